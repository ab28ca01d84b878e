from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .customer_archive_access_logged_mixin import REGISTER

REPAIR_ACTIVITY = "customer_archive.mail_activity_type_repair"


class CustomerArchiveRepair(models.Model):
    """Damage or loss found in an archive (拆旧破损应及时修复): by the integrity check of a loan
    taken back, or by the archive office outside any loan (``_record_outside_loan``)."""

    _name = "customer.archive.repair"
    _description = "Archive Repair"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "customer.archive.workflow.mixin",
        "customer.archive.access.logged.mixin",
    ]
    _order = "create_date desc, id desc"
    _archive_access_log = REGISTER
    _workflow_fields = frozenset({"state", "repaired_by_id", "date_done"})

    name = fields.Char(compute="_compute_name", store=True)
    # As hidden as the request's repair_ids: searching that list (repaired or not) reads this.
    borrow_id = fields.Many2one(
        "customer.archive.borrow",
        string="Lending Request",
        index=True,
        readonly=True,
        groups="customer_archive.group_archive_officer",
    )
    archive_id = fields.Many2one("customer.archive", required=True, index=True, readonly=True)
    document_ids = fields.Many2many("customer.archive.document", string="Documents", readonly=True)
    kind = fields.Selection([("damaged", "Damaged"), ("missing", "Missing")], required=True, readonly=True)
    description = fields.Text(required=True)
    state = fields.Selection(
        [("to_repair", "To Repair"), ("repaired", "Repaired"), ("lost", "Lost")],
        required=True,
        default="to_repair",
        readonly=True,
        tracking=True,
    )
    repaired_by_id = fields.Many2one("res.users", string="Closed By", readonly=True)
    date_done = fields.Datetime(string="Closed On", readonly=True)
    company_id = fields.Many2one(related="archive_id.company_id", store=True)
    confidentiality_rank = fields.Integer(related="archive_id.confidentiality_rank", store=True)

    def _access_log_targets(self):
        return self.archive_id, self.env["customer.archive.document"]

    def _access_log_subjects(self):
        return self.archive_id

    @api.depends("archive_id.number", "kind")
    def _compute_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for repair in self:
            repair.name = f"{repair.archive_id.number or ''} – {labels.get(repair.kind, '')}"

    @api.model_create_multi
    def create(self, vals_list):
        if not self._in_workflow():
            raise UserError(
                self.env._(
                    "Repairs are recorded by the integrity check of a returned archive, or with "
                    "Record Damage on the archive or document."
                )
            )
        repairs = super().create(vals_list)
        for repair in repairs:
            condition = "missing" if repair.kind == "missing" else "damaged"
            # sudo: the officer checking the return updates documents of the archive they hold
            repair.document_ids.sudo().write({"condition": condition})  # sudo: the officer holds them
            repair._notify_archive_managers()
        return repairs

    @api.model
    def _record_outside_loan(self, archive, documents, kind, description):
        """Record damage or loss that the archive office finds outside any loan (an inventory, a
        folder opened in the archive room): a repair of ``archive`` (a ``customer.archive``
        record) for ``documents`` (some of its documents, or none: the folder itself), of
        ``kind`` ("damaged" or "missing"), described in ``description``. The documents take that
        condition and the archive office managers are told, as for a loan's check (拆旧破损应及时
        修复). Raises AccessError for anyone but the archive office or for an archive or document
        the user may not read, UserError for a destroyed archive, documents of another archive or
        out on a loan, a missing folder without documents, or no description. Returns the repair."""
        if not self.env.user.has_group("customer_archive.group_archive_officer"):
            raise AccessError(self.env._("Only the archive office records damage to archives."))
        archive.ensure_one()
        archive.check_access("read")
        documents.check_access("read")
        archive._check_not_destroyed()
        if kind not in dict(self._fields["kind"]._description_selection(self.env)):
            raise UserError(self.env._("Say whether the archive is damaged or missing items."))
        if not (description or "").strip():
            raise UserError(self.env._("Describe the damage or what is missing."))
        if documents.archive_id - archive:
            raise UserError(self.env._("The documents concerned must belong to the archive."))
        if kind == "missing" and not documents:
            raise UserError(self.env._("Name the documents that are missing."))
        # A document out on a loan is checked when it comes back, by that loan's integrity check.
        Borrow = self.env["customer.archive.borrow"].sudo()  # sudo: unreadable loans hold documents too
        loans = Borrow.search([("archive_id", "=", archive.id), ("state", "=", "lent")])
        # A whole-archive loan holds the folder; any loan holds the documents it lent.
        out = loans.filtered(
            lambda loan: (not documents and not loan.document_ids)
            or (loan.line_ids.document_id or loan.document_ids or loan.archive_id.document_ids) & documents
        )
        if out:
            raise UserError(
                self.env._(
                    "Archive %(archive)s (or the documents concerned) is lent under %(request)s: its "
                    "damage is recorded when it comes back.",
                    archive=archive.number,
                    request=out[0].name,
                )
            )
        return self._workflow_create(
            [
                {
                    "archive_id": archive.id,
                    "document_ids": [fields.Command.set(documents.ids)],
                    "kind": kind,
                    "description": description,
                }
            ]
        )

    def write(self, vals):
        self._check_workflow_fields(vals)
        return super().write(vals)

    def unlink(self):
        if self:
            raise UserError(self.env._("Repair records are never deleted."))
        return super().unlink()

    def _copy_refusal(self):
        return self.env._("Repairs are recorded as the damage is found, not duplicated.")

    def _notify_archive_managers(self):
        """A damaged or missing archive is repaired under the archive office manager
        (拆旧破损应及时修复): one to-do of the repair type for each archive office manager of the
        archive's company (``res.users._archive_office_managers``) cleared for its level, in their
        language, due today in the company's time zone. Returns the activities."""
        self.ensure_one()
        company = self.archive_id.company_id
        managers = self.env["res.users"]._archive_office_managers(company)
        # Nobody below the archive's level holds the to-do; none cleared: the activity's own rule
        # passes it to a cleared manager, once.
        cleared = managers.filtered(lambda user: user.archive_clearance_rank >= self.confidentiality_rank)
        activities = self.env["mail.activity"]
        for manager in cleared or managers[:1]:
            # In each manager's language; the description is the officer's own words.
            reader = company._archive_for_reader(self, manager)
            activities |= reader.activity_schedule(
                REPAIR_ACTIVITY,
                summary=reader.env._("Repair archive %(number)s", number=self.archive_id.number),
                note=self.description,
                user_id=manager.id,
                date_deadline=fields.Date.context_today(reader),
            )
        return activities

    def _close(self, state, condition):
        if not self.env.user.has_group("customer_archive.group_archive_officer"):
            raise AccessError(self.env._("Only the archive office closes repairs."))
        if any(repair.state != "to_repair" for repair in self):
            raise UserError(self.env._("This repair is already closed."))
        self._workflow_write(
            {"state": state, "repaired_by_id": self.env.user.id, "date_done": fields.Datetime.now()}
        )
        self.document_ids.sudo().write({"condition": condition})  # sudo: as above
        # Only the repair's own to-dos: the users' own ones on it stay.
        self.activity_unlink([REPAIR_ACTIVITY])
        return True

    def action_mark_repaired(self):
        return self._close("repaired", "good")

    def action_mark_lost(self):
        return self._close("lost", "missing")
