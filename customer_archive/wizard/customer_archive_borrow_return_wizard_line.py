from odoo import api, fields, models

from ..models.customer_archive_borrow_line import DOCUMENT_RESULTS


class CustomerArchiveBorrowReturnWizardLine(models.TransientModel):
    """One document lent, as the officer finds it at the take-back."""

    _name = "customer.archive.borrow.return.wizard.line"
    _description = "Document Checked at the Take-back"
    _archive_access_log = False

    wizard_id = fields.Many2one("customer.archive.borrow.return.wizard", required=True, ondelete="cascade")
    borrow_line_id = fields.Many2one("customer.archive.borrow.line", string="Document Lent", required=True)
    document_id = fields.Many2one(related="borrow_line_id.document_id")
    type_id = fields.Many2one(related="borrow_line_id.type_id")
    pages_lent = fields.Integer(related="borrow_line_id.pages_lent")
    integrity_result = fields.Selection(
        DOCUMENT_RESULTS, string="Integrity Check", required=True, default="complete"
    )
    pages_counted = fields.Integer()

    @api.onchange("integrity_result")
    def _onchange_integrity_result(self):
        # A missing document has no pages; one found complete has all it was lent with.
        if self.integrity_result == "missing":
            self.pages_counted = 0
        elif self.integrity_result == "complete":
            self.pages_counted = self.pages_lent

    def _result(self):
        """This document's check, as the request's take-back reads it."""
        return {
            "document_id": self.document_id.id,
            "integrity_result": self.integrity_result,
            "pages_counted": self.pages_counted,
        }
