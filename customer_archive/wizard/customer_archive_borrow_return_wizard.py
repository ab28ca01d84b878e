from odoo import api, fields, models

from ..models.customer_archive_borrow import INTEGRITY_RESULTS


class CustomerArchiveBorrowReturnWizard(models.TransientModel):
    """The officer takes an archive back and checks each document lent: complete, damaged or
    missing, its pages counted (检查完整性). A loan handed out without its documents recorded (an
    empty archive) gets one result for the whole loan."""

    _name = "customer.archive.borrow.return.wizard"
    _description = "Take Back a Lent Archive"
    # Names an archive for one action and hands out nothing: not in the access log.
    _archive_access_log = False

    borrow_id = fields.Many2one("customer.archive.borrow", required=True)
    request_type = fields.Selection(related="borrow_id.request_type")
    line_ids = fields.One2many(
        "customer.archive.borrow.return.wizard.line",
        "wizard_id",
        string="Documents Lent",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
        precompute=True,
    )
    by_document = fields.Boolean(compute="_compute_by_document")
    integrity_result = fields.Selection(
        INTEGRITY_RESULTS,
        string="Integrity Check",
        compute="_compute_integrity_result",
        store=True,
        readonly=False,
        precompute=True,
        help="Derived from the documents' checks; chosen for a loan without documents recorded.",
    )
    integrity_note = fields.Text(string="Damage or Missing Items")
    copy_count = fields.Integer(string="Copies Made")
    copy_pages = fields.Integer(string="Pages Copied")

    @api.depends("borrow_id")
    def _compute_line_ids(self):
        for wizard in self:
            wizard.line_ids = [fields.Command.clear()] + [
                fields.Command.create(
                    {
                        "borrow_line_id": line.id,
                        "integrity_result": "complete",
                        "pages_counted": line.pages_lent,
                    }
                )
                for line in wizard.borrow_id.line_ids
            ]

    @api.depends("borrow_id")
    def _compute_by_document(self):
        for wizard in self:
            wizard.by_document = bool(wizard.borrow_id.line_ids)

    @api.depends("line_ids.integrity_result")
    def _compute_integrity_result(self):
        Borrow = self.env["customer.archive.borrow"]
        for wizard in self:
            if wizard.line_ids:
                checks = {line: (line.integrity_result, line.pages_counted) for line in wizard.line_ids}
                wizard.integrity_result = Borrow._integrity_from(checks, "complete")
            elif not wizard.integrity_result:
                wizard.integrity_result = "complete"

    def action_confirm(self):
        """Take the loan back by the request's own step, with each document's check."""
        self.ensure_one()
        copies = self.request_type == "photocopy"
        values = {
            "integrity_note": self.integrity_note,
            "copy_count": self.copy_count if copies else None,
            "copy_pages": self.copy_pages if copies else None,
        }
        if self.by_document:
            values["document_results"] = [line._result() for line in self.line_ids]
        else:
            values["integrity_result"] = self.integrity_result
        self.borrow_id.action_return(**values)
        return {"type": "ir.actions.act_window_close"}
