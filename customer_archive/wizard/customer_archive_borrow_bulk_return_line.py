from odoo import fields, models

from ..models.customer_archive_borrow import INTEGRITY_RESULTS


class CustomerArchiveBorrowBulkReturnLine(models.TransientModel):
    """One loan brought back, with the result of its integrity check."""

    _name = "customer.archive.borrow.bulk.return.line"
    _description = "Loan Brought Back"
    _archive_access_log = False

    wizard_id = fields.Many2one(
        "customer.archive.borrow.bulk.return.wizard", required=True, ondelete="cascade"
    )
    borrow_id = fields.Many2one("customer.archive.borrow", string="Loan", required=True)
    archive_id = fields.Many2one(related="borrow_id.archive_id")
    request_type = fields.Selection(related="borrow_id.request_type")
    date_due = fields.Datetime(related="borrow_id.date_due")
    integrity_result = fields.Selection(
        INTEGRITY_RESULTS, string="Integrity Check", required=True, default="complete"
    )
    integrity_note = fields.Char(string="Damage or Missing Items")
    copy_count = fields.Integer(string="Copies Made")
    copy_pages = fields.Integer(string="Pages Copied")

    def _take_back(self):
        """The request's own take-back step, with this line's check."""
        self.ensure_one()
        copies = self.borrow_id.request_type == "photocopy"
        return self.borrow_id.action_return(
            integrity_result=self.integrity_result,
            integrity_note=self.integrity_note,
            copy_count=self.copy_count if copies else None,
            copy_pages=self.copy_pages if copies else None,
        )
