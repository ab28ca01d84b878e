from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .customer_archive_access_logged_mixin import REGISTER
from .customer_archive_approval_mixin import APPROVAL_FIELDS
from .customer_archive_confidentiality_mixin import CONFIDENTIALITY_LEVELS, CONFIDENTIALITY_RANK, level_opened
from .customer_archive_workflow_mixin import check_named_records_readable

SHARE_TYPES = [
    ("internal", "Colleagues Outside the Archive's Scope"),
    ("external", "Copies for an Outside Party"),
]
SHARE_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Active"),
    ("rejected", "Rejected"),
    ("revoked", "Revoked"),
    ("expired", "Expired"),
    ("cancelled", "Cancelled"),
]
MANAGER = "customer_archive.group_archive_manager"


class CustomerArchiveShare(models.Model):
    """Opening an archive to people outside its normal scope, or giving copies to an outside party:
    scoped to documents, for a purpose, until an end date, after approval (共享审批制度)."""

    _name = "customer.archive.share"
    _description = "Archive Share"
    _inherit = [
        # Before mail.thread: its chatter keeps within the record's level.
        "customer.archive.confidential.thread",
        "mail.thread",
        "mail.activity.mixin",
        "customer.archive.confidentiality.mixin",
        "customer.archive.approval.mixin",
        "customer.archive.workflow.mixin",
        "customer.archive.access.logged.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _archive_access_log = REGISTER
    _workflow_fields = APPROVAL_FIELDS | {
        "shared_document_ids",
        "revoked_by_id",
        "date_revoked",
        "revocation_reason",
    }
    _request_fields = frozenset(
        {
            "archive_id",
            "document_ids",
            "share_type",
            "grantee_user_ids",
            "department_id",
            "external_partner_id",
            "copy_count",
            "purpose",
            "date_end",
            "requester_id",
        }
    )

    name = fields.Char(string="Reference", readonly=True, copy=False, default=lambda self: self.env._("New"))
    state = fields.Selection(SHARE_STATES, required=True, default="draft", readonly=True, tracking=True)
    # What may be shared at all (the record rules add scope and clearance): nothing destroyed,
    # nothing confidential or top secret (机密 is read only in the archive room, 绝密 never).
    archive_id = fields.Many2one(
        "customer.archive",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="[('state', '!=', 'destroyed'), ('confidentiality', 'in', ('ordinary', 'secret'))]",
    )
    partner_id = fields.Many2one(related="archive_id.partner_id", store=True, string="Customer")
    # The archive's company; before an archive is chosen, the current company, whose archives the
    # form offers (check_company).
    company_id = fields.Many2one("res.company", compute="_compute_company_id", store=True, precompute=True)
    document_ids = fields.Many2many(
        "customer.archive.document",
        "customer_archive_share_document_rel",
        "share_id",
        "document_id",
        string="Documents",
        domain="[('archive_id', '=', archive_id), ('confidentiality', 'in', ('ordinary', 'secret'))]",
        help="Leave empty to share the whole archive.",
    )
    shared_document_ids = fields.Many2many(
        "customer.archive.document",
        "customer_archive_share_granted_document_rel",
        "share_id",
        "document_id",
        string="Documents Opened",
        readonly=True,
        help="Fixed at approval: the documents chosen, or every document of the archive.",
    )
    share_type = fields.Selection(SHARE_TYPES, required=True, default="internal", tracking=True)
    grantee_user_ids = fields.Many2many(
        "res.users",
        "customer_archive_share_user_rel",
        "share_id",
        "user_id",
        string="Shared With",
        domain="[('share', '=', False)]",
        tracking=True,
    )
    department_id = fields.Many2one(
        "customer.archive.department", check_company=True, help="The department the people belong to."
    )
    external_partner_id = fields.Many2one("res.partner", string="Outside Party", tracking=True)
    copy_count = fields.Integer(string="Copies", tracking=True)
    purpose = fields.Text(required=True)
    date_end = fields.Date(string="Until", required=True, tracking=True)
    confidentiality = fields.Selection(
        CONFIDENTIALITY_LEVELS, compute="_compute_confidentiality", store=True, readonly=True, required=False
    )
    revoked_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_revoked = fields.Datetime(readonly=True, copy=False)
    revocation_reason = fields.Text(readonly=True, copy=False, tracking=True)

    # ------------------------------------------------------------------ computes and checks
    @api.depends("archive_id.company_id")
    def _compute_company_id(self):
        for share in self:
            share.company_id = share.archive_id.company_id or share.company_id or self.env.company

    @api.model
    def _opened_to_user_domain(self, kind, opened=True):
        """Domain on the id of the archives (``kind`` "archive") or the documents ("document")
        that an approved share opens to the current user (共享审批制度), or, when ``opened`` is
        False, of those it does not open.

        The ids are gathered once into an array: a condition on the id that record rules can OR
        with the salesperson's own records and PostgreSQL still answers from indexes (a subquery
        there makes it read the whole table)."""
        self.flush_model(["state", "archive_id", "grantee_user_ids", "shared_document_ids"])
        shared = {
            "archive": SQL("SELECT s.archive_id FROM customer_archive_share s"),
            "document": SQL(
                "SELECT d.document_id FROM customer_archive_share_granted_document_rel d"
                " JOIN customer_archive_share s ON s.id = d.share_id"
            ),
        }[kind]
        ids = SQL(
            "ARRAY(%s JOIN customer_archive_share_user_rel u ON u.share_id = s.id"
            " WHERE s.state = 'approved' AND u.user_id = %s)",
            shared,
            self.env.uid,
        )
        if opened:
            return [("id", "=", SQL("ANY(%s)", ids))]
        return [("id", "!=", SQL("ALL(%s)", ids))]

    @api.depends(
        "archive_id.confidentiality",
        "document_ids.confidentiality",
        "archive_id.document_ids.confidentiality",
    )
    def _compute_confidentiality(self):
        # As confidential as the most confidential thing it opens: a whole-archive share opens
        # every document, and a document may be above its archive.
        for share in self:
            share.confidentiality = level_opened(share.archive_id, share.document_ids)

    def _access_log_targets(self):
        return self.archive_id, self.env["customer.archive.document"]

    def _access_log_subjects(self):
        return self.archive_id

    def _documents_opened(self):
        """The documents chosen, or every document of the archive."""
        self.ensure_one()
        return self.document_ids or self.archive_id.document_ids

    @api.constrains("document_ids", "archive_id")
    def _check_documents_in_archive(self):
        for share in self:
            if share.document_ids.sudo().archive_id - share.archive_id:  # sudo: checks membership
                raise ValidationError(self.env._("The documents shared must belong to the archive."))

    @api.constrains("copy_count")
    def _check_copy_count(self):
        for share in self:
            if share.copy_count < 0:
                raise ValidationError(self.env._("The number of copies cannot be negative."))

    def _check_complete(self):
        today = self.env.company._archive_today()
        for share in self:
            if not share.date_end:
                raise UserError(self.env._("A share needs an end date."))
            if share.date_end < today:
                raise UserError(self.env._("The end date of a share cannot be in the past."))
            if share.share_type == "internal" and not share.grantee_user_ids:
                raise UserError(self.env._("Say with whom the archive is shared."))
            without_rights = share.grantee_user_ids.filtered(
                lambda user: not user.has_group("customer_archive.group_archive_user")
            )
            if without_rights:
                raise UserError(
                    self.env._(
                        "%(users)s cannot open archives at all: give them the Archive User group first.",
                        users=", ".join(without_rights.mapped("name")),
                    )
                )
            if share.share_type == "external" and not share.external_partner_id:
                raise UserError(self.env._("Say which outside party receives the copies."))
            if not (share.purpose or "").strip():
                raise UserError(self.env._("Say what the share is for."))
            # 机密 is read only in the archive room and 绝密 by nobody below top secret: never shared.
            if share.confidentiality_rank >= CONFIDENTIALITY_RANK["confidential"]:
                raise UserError(
                    self.env._(
                        "%(level)s archives and documents are never shared: confidential ones are read "
                        "only in the archive room, top secret ones never.",
                        level=dict(CONFIDENTIALITY_LEVELS).get(share.confidentiality),
                    )
                )
            # Clearance is a ceiling no share lifts: every grantee and the requester must hold it.
            below = (share.grantee_user_ids | share.requester_id).filtered(
                lambda user, rank=share.confidentiality_rank: user.archive_clearance_rank < rank
            )
            if below:
                raise UserError(
                    self.env._(
                        "%(users)s are not cleared for %(level)s: the share cannot open it to them.",
                        users=", ".join(below.mapped("name")),
                        level=dict(CONFIDENTIALITY_LEVELS).get(share.confidentiality),
                    )
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        check_named_records_readable(self, vals_list)
        vals_list = self._workflow_create_values(vals_list)
        for vals in vals_list:
            if not vals.get("date_end"):
                raise UserError(self.env._("A share needs an end date."))
            vals["name"] = self.env["ir.sequence"].next_by_code("customer.archive.share") or "/"
        Archive = self.env["customer.archive"]
        named = [vals["archive_id"] for vals in vals_list if vals.get("archive_id")]
        Archive.browse(named)._check_not_destroyed()
        return super().create(vals_list)

    def write(self, vals):
        check_named_records_readable(self, [vals])
        self._check_workflow_fields(vals)
        if "date_end" in vals and not vals["date_end"]:
            raise UserError(self.env._("A share needs an end date."))
        self._check_request_frozen(vals)
        if vals.get("archive_id"):
            self.env["customer.archive"].browse(vals["archive_id"])._check_not_destroyed()
        return super().write(vals)

    def unlink(self):
        if self:
            raise UserError(self.env._("Shares are kept; cancel or revoke them instead."))
        return super().unlink()

    # ------------------------------------------------------------------ approval rules
    def _approval_group_xmlid(self):
        return self._approval_group_by_level()

    def _check_requester(self):
        self._check_requester_or_group(
            MANAGER, self.env._("Only the requester or an archive manager can do this.")
        )

    # ------------------------------------------------------------------ workflow
    def action_submit(self):
        self._check_requester()
        self._check_state("draft")
        self._check_complete()
        return self._approval_advance({"state": "submitted"})

    def action_approve(self):
        def approval(share):
            if self.env.user.archive_clearance_rank < share.confidentiality_rank:
                raise AccessError(
                    self.env._(
                        "%(name)s is %(level)s, above your clearance: it cannot be shared on your approval.",
                        name=share.name,
                        level=dict(CONFIDENTIALITY_LEVELS).get(share.confidentiality),
                    )
                )
            share._check_complete()
            documents = share.sudo()._documents_opened()  # sudo: whatever the approver's own scope
            return {"shared_document_ids": [(6, 0, documents.ids)]}

        self._approval_decide("approve", ("submitted",), "approved", values=approval)
        for share in self:
            self.env["customer.archive.access.log"]._record(
                "share", share.archive_id, details=self.env._("%(name)s approved", name=share.name)
            )
        return True

    def action_reject(self, reason):
        return self._approval_reject(reason)

    def action_open_reject_wizard(self):
        return self._action_open_wizard(
            "customer.archive.share.reason.wizard", self.env._("Refuse the Share"), "share_id"
        )

    def action_open_revoke_wizard(self):
        action = self._action_open_wizard(
            "customer.archive.share.reason.wizard", self.env._("Revoke the Share"), "share_id"
        )
        action["context"]["default_revoke"] = True
        return action

    def action_revoke(self, reason):
        """Close an active share now: the people it opened the archive to lose access."""
        if not self.env.user.has_group(MANAGER) and any(
            self.env.user not in share.requester_id | share.approver_id for share in self
        ):
            raise AccessError(
                self.env._("Only the requester, the approver or an archive manager can revoke.")
            )
        self._check_state("approved")
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the share is revoked."))
        self._workflow_write(
            {
                "state": "revoked",
                "revoked_by_id": self.env.uid,
                "date_revoked": fields.Datetime.now(),
                "revocation_reason": reason.strip(),
            }
        )
        for share in self:
            note = share.company_id._archive_for_reader(share)
            share.message_post(
                body=note.env._("Revoked by %(user)s: %(reason)s", user=self.env.user.name, reason=reason),
                subtype_xmlid="mail.mt_note",
            )
            self.env["customer.archive.access.log"]._record(
                "share", share.archive_id, details=self.env._("%(name)s revoked", name=share.name)
            )
        return True

    def action_cancel(self):
        self._check_requester()
        self._check_state("draft", "submitted")
        return self._approval_advance({"state": "cancelled"})

    @api.model
    def _cron_expire(self, batch_size=500):
        """End the shares whose end date has passed, by the day in their company's time zone: they
        give nothing any more (共享审批制度, A17); a note in the company's language says so.
        Idempotent (an expired share is no longer approved), one bounded batch per call, the cron
        runner told what remains (hourly, so a share ends within the hour after its last day).
        Returns the shares ended."""
        ended, remaining = self.env["ir.cron"]._archive_batch(
            self,
            lambda company: [
                ("company_id", "=", company.id),
                ("state", "=", "approved"),
                ("date_end", "<", company._archive_today()),
            ],
            batch_size,
        )
        ended._workflow_write({"state": "expired"})
        for company, shares in ended.grouped("company_id").items():
            note = company._archive_for_reader(shares)  # the system's note: the company's language
            body = Markup("<p>%s</p>") % note.env._("The share has ended.")
            note._message_log_batch({share.id: body for share in shares})
        self.env["ir.cron"]._archive_progress(len(ended), remaining)
        return ended
