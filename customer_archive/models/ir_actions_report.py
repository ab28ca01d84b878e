from contextvars import ContextVar

from odoo import SUPERUSER_ID, models

from .customer_archive_access_logged_mixin import is_logged

# Set while a PDF is made: the HTML it is made from is the same print, not a second one.
_IN_PDF = ContextVar("customer_archive_in_pdf", default=False)
# The addons whose reports answer to the rights of the user they are printed for.
REPORT_ADDONS = ("customer_archive.", "customer_credit.")


def report_reader(env):
    """The environment of the user a report is printed for, to check their rights: Odoo prints as
    superuser on a user's behalf (a mail template's attachments in the e-mail composer, its
    preview, a chatter attachment), so a check skipped under ``env.su`` let any user print what
    they may not read. Only the system itself (the scheduled actions, which run as the superuser)
    prints without a check."""
    return env if env.uid == SUPERUSER_ID else env(su=False)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _log_print(self, report_ref, res_ids):
        """Log a print of archive data, as declared: by the report's values model when it declares
        what it discloses (the archive card of a customer, whose partner holds no archive data
        itself), else by the model of the printed records (``_archive_access_log``)."""
        if self.env.su or not res_ids:
            return
        report = self._get_report(report_ref)
        values_model = self.env.get(f"report.{report.report_name}")
        if is_logged(values_model):
            disclosed = values_model._access_log_disclosed(res_ids)
        else:
            records = self.env[report.model].browse(res_ids)
            if not is_logged(records):
                return
            disclosed = records._access_log_disclosed()
        self.env["customer.archive.access.log"]._record("print", disclosed, details=report.name)

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        token = _IN_PDF.set(True)
        try:
            result = super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        finally:
            _IN_PDF.reset(token)
        self._log_print(report_ref, [res_ids] if isinstance(res_ids, int) else res_ids)
        return result

    def _render_qweb_html(self, report_ref, docids, data=None):
        # Every print of the addons' reports, PDF included (it is made from this HTML): the records
        # are readable by the user it is printed for, however Odoo calls it.
        report = self._get_report(report_ref)
        if docids and report.report_name.startswith(REPORT_ADDONS) and report.model in self.env:
            ids = [docids] if isinstance(docids, int) else docids
            report_reader(self.env)[report.model].browse(ids).check_access("read")
        result = super()._render_qweb_html(report_ref, docids, data=data)
        if not _IN_PDF.get():
            self._log_print(report_ref, [docids] if isinstance(docids, int) else docids)
        return result
