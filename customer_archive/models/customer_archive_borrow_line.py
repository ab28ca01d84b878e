from odoo import api, fields, models
from odoo.exceptions import UserError

from .customer_archive_access_logged_mixin import REGISTER

# The integrity check of one document (检查完整性): its pages counted against those lent.
DOCUMENT_RESULTS = [("complete", "Complete"), ("damaged", "Damaged"), ("missing", "Missing")]


class CustomerArchiveBorrowLine(models.Model):
    """One document handed out under a lending request, with its pages at the hand-out and the
    result of its integrity check when it came back. Written only by the request's workflow: the
    hand-out records what was lent, the take-back what came back."""

    _name = "customer.archive.borrow.line"
    _description = "Document Lent"
    _inherit = ["customer.archive.workflow.mixin", "customer.archive.access.logged.mixin"]
    _order = "borrow_id, sequence, id"
    # A line of the register: prints and exports are logged, naming the archive.
    _archive_access_log = REGISTER
    _workflow_fields = frozenset(
        {"borrow_id", "document_id", "sequence", "pages_lent", "integrity_result", "pages_counted"}
    )

    borrow_id = fields.Many2one(
        "customer.archive.borrow",
        string="Lending Request",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    document_id = fields.Many2one("customer.archive.document", required=True, readonly=True)
    sequence = fields.Integer(readonly=True)
    type_id = fields.Many2one(related="document_id.type_id")
    is_original = fields.Boolean(related="document_id.is_original")
    pages_lent = fields.Integer(readonly=True, help="The document's pages when it was handed out.")
    integrity_result = fields.Selection(
        DOCUMENT_RESULTS, string="Integrity Check", readonly=True, help="Empty until the document is back."
    )
    pages_counted = fields.Integer(readonly=True, help="The pages counted when the document came back.")
    company_id = fields.Many2one(related="borrow_id.company_id", store=True)

    _sql_constraints = [
        ("document_uniq", "unique(borrow_id, document_id)", "A document is lent once per request."),
        (
            "pages_positive",
            "CHECK(pages_lent >= 0 AND pages_counted >= 0)",
            "The number of pages cannot be negative.",
        ),
    ]

    def _access_log_targets(self):
        return self.borrow_id.archive_id, self.document_id

    def _access_log_subjects(self):
        return self.borrow_id.archive_id

    @api.depends("document_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = line.document_id.display_name

    @api.model_create_multi
    def create(self, vals_list):
        if not self._in_workflow():
            raise UserError(self.env._("The documents lent are recorded by the hand-out of their request."))
        return super().create(vals_list)

    def write(self, vals):
        self._check_workflow_fields(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if self:
            raise UserError(self.env._("The documents lent are part of the register and are never deleted."))

    def _copy_refusal(self):
        return self.env._("The documents lent are recorded by the hand-out of their request, not duplicated.")
