from odoo import models


class ReportArchiveLabel(models.AbstractModel):
    """Values of the single folder label: the same as the sheet's."""

    _name = "report.customer_archive.report_archive_label"
    _inherit = "report.customer_archive.report_archive_label_sheet"
    _description = "Archive Label Report"
