from odoo import api, models
from odoo.exceptions import AccessError, UserError


class ReportCreditGrantNotice(models.AbstractModel):
    """Values of the credit grant notice (授信通知书): only for approved applications."""

    _name = "report.customer_credit.report_credit_grant_notice"
    _description = "Credit Grant Notice Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        if not self.env.su and not self.env.user.has_group("customer_credit.group_credit_user"):
            raise AccessError(self.env._("Credit grant notices are printed by the credit users."))
        applications = self.env["customer.credit.application"].browse(docids)
        applications.check_access("read")
        undecided = applications.filtered(lambda application: application.state != "approved")
        if undecided:
            raise UserError(
                self.env._(
                    "A grant notice is printed once the credit is granted; not yet for %(names)s.",
                    names=", ".join(undecided.mapped("name")),
                )
            )
        return {
            "doc_ids": docids,
            "doc_model": "customer.credit.application",
            "docs": applications,
        }
