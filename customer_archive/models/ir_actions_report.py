from contextvars import ContextVar

from odoo import models

# Set while a PDF is made: the HTML it is made from is the same print, not a second one.
_IN_PDF = ContextVar("customer_archive_in_pdf", default=False)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _log_print(self, report_ref, res_ids):
        if self.env.su or not res_ids:
            return
        report = self._get_report(report_ref)
        records = self.env[report.model].browse(res_ids)
        if hasattr(records, "_access_log_subjects"):
            self.env["customer.archive.access.log"]._record(
                "print", records._access_log_subjects(), details=report.name
            )

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        token = _IN_PDF.set(True)
        try:
            result = super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        finally:
            _IN_PDF.reset(token)
        self._log_print(report_ref, [res_ids] if isinstance(res_ids, int) else res_ids)
        return result

    def _render_qweb_html(self, report_ref, docids, data=None):
        result = super()._render_qweb_html(report_ref, docids, data=data)
        if not _IN_PDF.get():
            self._log_print(report_ref, [docids] if isinstance(docids, int) else docids)
        return result
