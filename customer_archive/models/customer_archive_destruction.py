import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .customer_archive_access_logged_mixin import REGISTER
from .customer_archive_approval_mixin import APPROVAL_FIELDS
from .customer_archive_confidentiality_mixin import CONFIDENTIALITY_RANK, level_opened

DESTRUCTION_METHODS = [
    ("shredding", "Shredding"),
    ("incineration", "Incineration"),
    ("deletion", "Deletion of Electronic Copies"),
]
DESTRUCTION_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("done", "Destroyed"),
    ("rejected", "Rejected"),
]


class CustomerArchiveDestruction(models.Model):
    """A destruction list (销毁审批表): appraised archives, approved, destroyed under supervision."""

    _name = "customer.archive.destruction"
    _description = "Archive Destruction List"
    _inherit = [
        # Before mail.thread: its chatter keeps within the record's level.
        "customer.archive.confidential.thread",
        "mail.thread",
        "mail.activity.mixin",
        "customer.archive.approval.mixin",
        "customer.archive.workflow.mixin",
        "customer.archive.access.logged.mixin",
    ]
    _order = "create_date desc, id desc"
    _workflow_fields = APPROVAL_FIELDS | {"date_done"}
    _archive_access_log = REGISTER

    name = fields.Char(readonly=True, copy=False, default="/")
    line_ids = fields.One2many("customer.archive.destruction.line", "destruction_id", string="Archives")
    state = fields.Selection(DESTRUCTION_STATES, required=True, default="draft", readonly=True, tracking=True)
    supervisor_id = fields.Many2one("res.users", tracking=True)
    date_planned = fields.Date(string="Destruction Date", tracking=True)
    method = fields.Selection(DESTRUCTION_METHODS, tracking=True)
    date_done = fields.Date(string="Destroyed On", readonly=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    confidentiality_rank = fields.Integer(compute="_compute_confidentiality_rank", store=True)
    register_ids = fields.One2many("customer.archive.destruction.register", "destruction_id")

    @api.depends(
        "line_ids.archive_id.confidentiality_rank", "line_ids.archive_id.document_ids.confidentiality_rank"
    )
    def _compute_confidentiality_rank(self):
        # Destroying an archive destroys every document in it: the list is as confidential as they are.
        for destruction in self:
            archives = destruction.line_ids.archive_id
            destruction.confidentiality_rank = CONFIDENTIALITY_RANK[level_opened(archives)] if archives else 0

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = self._workflow_create_values(vals_list)
        for vals in vals_list:
            vals["name"] = self.env["ir.sequence"].next_by_code("customer.archive.destruction") or "/"
        return super().create(vals_list)

    def write(self, vals):
        self._check_workflow_fields(vals)
        # Carried out, the list and its certificate (supervisor, method, date) are final evidence.
        if not self._in_workflow() and self._content_fields(vals) and any(d.state == "done" for d in self):
            raise UserError(
                self.env._("A destruction carried out is final: its list and certificate are kept.")
            )
        if "line_ids" in vals:
            self._check_lines_editable()
        return super().write(vals)

    def _check_lines_editable(self):
        if any(destruction.state != "draft" for destruction in self):
            raise UserError(self.env._("The archives of a destruction list change only while it is a draft."))

    def unlink(self):
        if self:
            raise UserError(self.env._("Destruction lists are kept; reject one instead of deleting it."))
        return super().unlink()

    # ------------------------------------------------------------------ rules
    def _access_log_subjects(self):
        """A printed certificate or an exported list discloses the archives of the list."""
        return self.line_ids.archive_id

    def _approval_group_xmlid(self):
        return self._approval_group_by_level()

    def _check_archives_may_go(self):
        """Lent, held, not yet at their retention end or already destroyed: never destroyed."""
        today = self.env.company._archive_today()
        for destruction in self:
            if not destruction.line_ids:
                raise UserError(self.env._("A destruction list needs archives."))
            for line in destruction.line_ids:
                archive = line.archive_id.sudo()  # sudo: the checks read state, not content
                if archive.state == "destroyed":
                    raise UserError(
                        self.env._("Archive %(number)s is already destroyed.", number=archive.number)
                    )
                if archive.is_lent:
                    raise UserError(self.env._("Archive %(number)s is lent out.", number=archive.number))
                if archive.legal_hold:
                    raise UserError(self.env._("Archive %(number)s is on legal hold.", number=archive.number))
                if not archive.retention_end_date or archive.retention_end_date > today:
                    raise UserError(
                        self.env._(
                            "Archive %(number)s must be kept until %(date)s.",
                            number=archive.number,
                            date=archive.retention_end_date or self.env._("forever"),
                        )
                    )
                if not (line.appraisal or "").strip():
                    raise UserError(
                        self.env._("Say why archive %(number)s has no further value.", number=archive.number)
                    )

    def _check_officer(self):
        self._check_group(
            "customer_archive.group_archive_officer",
            self.env._("Destruction is handled by the archive office."),
        )

    # ------------------------------------------------------------------ workflow
    def action_submit(self):
        self._check_officer()
        self._check_state("draft")
        self._check_archives_may_go()
        return self._approval_advance({"state": "submitted"})

    def action_approve(self):
        return self._approval_decide("approve", ("submitted",), "approved")

    def action_reject(self, reason):
        return self._approval_reject(reason)

    def action_destroy(self):
        """Carried out under the named supervisor: the archives become destroyed, their files leave
        the filestore, and the permanent register (销毁清册) keeps what they were."""
        self._check_officer()
        if any(destruction.supervisor_id == self.env.user for destruction in self):
            raise AccessError(self.env._("The supervisor cannot be the officer who destroys the archives."))
        self._check_state("approved")
        for destruction in self:
            if not (destruction.supervisor_id and destruction.date_planned and destruction.method):
                raise ValidationError(
                    self.env._("Name the supervisor, the date and the method of the destruction.")
                )
        self._check_archives_may_go()
        for destruction in self:
            archives = destruction.line_ids.archive_id.sudo()  # sudo: destroys what was approved
            destruction._write_register(archives)
            attachments = archives.document_ids.attachment_ids
            attachments.unlink()  # the files are what is destroyed; the register keeps the record
            archives._workflow_write({"state": "destroyed", "date_destroyed": destruction.date_planned})
            destruction._workflow_write({"state": "done", "date_done": self.env.company._archive_today()})
        return True

    def _write_register(self, archives):
        self.ensure_one()
        # The register is permanent and read by everybody who may: the category's name in the
        # language of whoever destroys, the company's when none is set (a data import, the demo).
        categories = self.company_id._archive_for_reader(archives.category_id)
        appraisals = {line.archive_id.id: line.appraisal for line in self.line_ids}
        self.env[
            "customer.archive.destruction.register"
        ].sudo()._workflow_create(  # sudo: nobody else writes it
            [
                {
                    "destruction_id": self.id,
                    "company_id": self.company_id.id,
                    "archive_number": archive.number,
                    "partner_name": archive.partner_id.display_name,
                    "category_name": archive.category_id.with_env(categories.env).display_name,
                    "confidentiality": archive.confidentiality,
                    "date_opened": archive.date_opened,
                    "date_formalised": archive.date_formalised,
                    "retention_end_date": archive.retention_end_date,
                    "appraisal": appraisals.get(archive.id),
                    "approver_name": self.approver_id.name,
                    "approved_on_behalf_of_name": self.approved_on_behalf_of_id.name,
                    "supervisor_name": self.supervisor_id.name,
                    "officer_name": self.env.user.name,
                    "method": self.method,
                    "date_destroyed": self.date_planned,
                    "state_snapshot": json.dumps(
                        archive._destruction_snapshot(), ensure_ascii=False, default=str
                    ),
                }
                for archive in archives
            ]
        )
