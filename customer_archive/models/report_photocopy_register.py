from odoo import api, models


class ReportPhotocopyRegister(models.AbstractModel):
    """Values of the photocopy register (影印登记): the photocopies among the selected requests."""

    _name = "report.customer_archive.report_photocopy_register"
    _description = "Photocopy Register Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        requests = self.env["customer.archive.borrow"].browse(docids)
        # Refused before anything is rendered, with the reason, rather than midway in the template.
        requests.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": "customer.archive.borrow",
            "docs": requests,
            "copies": requests.filtered(lambda request: request.request_type == "photocopy"),
        }
