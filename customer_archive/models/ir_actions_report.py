from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        result = super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        report = self._get_report(report_ref)
        records = self.env[report.model].browse(res_ids or [])
        if records and hasattr(records, "_access_log_subjects") and not self.env.su:
            self.env["customer.archive.access.log"]._record(
                "print", records._access_log_subjects(), details=report.name
            )
        return result
