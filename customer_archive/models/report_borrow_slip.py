from odoo import api, models


class ReportBorrowSlip(models.AbstractModel):
    """Values of the lending slip (借阅单 / 查阅单 / 影印单), one per request."""

    _name = "report.customer_archive.report_borrow_slip"
    _description = "Lending Slip Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        """The requests ``docids``; raises AccessError before anything is rendered when the user
        may not read one of them (the borrower prints their own slips, the archive office all
        within its clearance)."""
        requests = self.env["customer.archive.borrow"].browse(docids)
        requests.check_access("read")
        return {"doc_ids": docids, "doc_model": requests._name, "docs": requests}
