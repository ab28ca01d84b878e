from odoo import api, models
from odoo.exceptions import AccessError

OFFICER = "customer_archive.group_archive_officer"


class ReportArchiveLabelSheet(models.AbstractModel):
    """Values of the folder labels (an A4 sheet of 2 x 5): the archives printed, which the user
    must be allowed to read. Archives are in the access log: each print of them is logged there."""

    _name = "report.customer_archive.report_archive_label_sheet"
    _description = "Archive Labels Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        if not self.env.su and not self.env.user.has_group(OFFICER):
            raise AccessError(self.env._("Folder labels are printed by the archive office."))
        archives = self.env["customer.archive"].browse(docids)
        # Refused before anything is rendered, naming the archives the user may not read.
        archives.check_access("read")
        return {"doc_ids": docids, "doc_model": "customer.archive", "docs": archives}
