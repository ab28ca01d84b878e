from odoo import fields, models

from ..models.customer_archive_borrow import INTEGRITY_RESULTS


class CustomerArchiveBorrowReturnWizard(models.TransientModel):
    """The officer takes an archive back and checks that it is complete."""

    _name = "customer.archive.borrow.return.wizard"
    _description = "Take Back a Lent Archive"

    borrow_id = fields.Many2one("customer.archive.borrow", required=True)
    request_type = fields.Selection(related="borrow_id.request_type")
    integrity_result = fields.Selection(
        INTEGRITY_RESULTS, string="Integrity Check", required=True, default="complete"
    )
    integrity_note = fields.Text(string="Damage or Missing Items")
    copy_count = fields.Integer(string="Copies Made")
    copy_pages = fields.Integer(string="Pages Copied")

    def action_confirm(self):
        self.ensure_one()
        copies = self.request_type == "photocopy"
        self.borrow_id.action_return(
            integrity_result=self.integrity_result,
            integrity_note=self.integrity_note,
            copy_count=self.copy_count if copies else None,
            copy_pages=self.copy_pages if copies else None,
        )
        return {"type": "ir.actions.act_window_close"}
