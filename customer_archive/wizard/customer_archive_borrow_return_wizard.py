from odoo import api, fields, models

from ..models.customer_archive_borrow import INTEGRITY_RESULTS


class CustomerArchiveBorrowReturnWizard(models.TransientModel):
    """The officer takes an archive back and checks that it is complete."""

    _name = "customer.archive.borrow.return.wizard"
    _description = "Take Back a Lent Archive"
    # Names an archive for one action and hands out nothing: not in the access log.
    _archive_access_log = False

    borrow_id = fields.Many2one("customer.archive.borrow", required=True)
    request_type = fields.Selection(related="borrow_id.request_type")
    integrity_result = fields.Selection(
        INTEGRITY_RESULTS, string="Integrity Check", required=True, default="complete"
    )
    integrity_note = fields.Text(string="Damage or Missing Items")
    lent_document_ids = fields.Many2many(
        "customer.archive.document",
        "customer_archive_return_wizard_lent_doc_rel",
        compute="_compute_lent_document_ids",
    )
    damaged_document_ids = fields.Many2many(
        "customer.archive.document",
        "customer_archive_return_wizard_damaged_doc_rel",
        string="Documents Concerned",
        domain="[('id', 'in', lent_document_ids)]",
        help="Leave empty when the whole loan is concerned.",
    )
    copy_count = fields.Integer(string="Copies Made")
    copy_pages = fields.Integer(string="Pages Copied")

    @api.depends("borrow_id")
    def _compute_lent_document_ids(self):
        for wizard in self:
            wizard.lent_document_ids = wizard.borrow_id._lent_documents()

    def action_confirm(self):
        self.ensure_one()
        copies = self.request_type == "photocopy"
        self.borrow_id.action_return(
            integrity_result=self.integrity_result,
            integrity_note=self.integrity_note,
            copy_count=self.copy_count if copies else None,
            copy_pages=self.copy_pages if copies else None,
            damaged_document_ids=self.damaged_document_ids.ids,
        )
        return {"type": "ir.actions.act_window_close"}
