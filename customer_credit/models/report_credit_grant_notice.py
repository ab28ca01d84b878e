import cn2an

from odoo import SUPERUSER_ID, api, models
from odoo.addons.customer_archive.models.ir_actions_report import report_reader
from odoo.exceptions import AccessError, UserError
from odoo.tools.float_utils import float_round


def amount_in_capitals(amount, currency):
    """Return ``amount`` in Chinese capital numerals (大写金额, e.g. 壹拾万元整) as contracts and
    notices write renminbi amounts, or "" for any other currency (the numerals name 元/角/分).

    cn2an is a maintained library that writes these by the accounting rules (零 and 整 included);
    Odoo's own ``amount_to_text`` relies on num2words, which has no Chinese.
    """
    if currency.name != "CNY" or amount < 0:
        return ""
    return cn2an.an2cn(f"{float_round(amount, precision_digits=2):.2f}", "rmb")


class ReportCreditGrantNotice(models.AbstractModel):
    """Values of the credit grant notice (授信通知书): only for approved applications."""

    _name = "report.customer_credit.report_credit_grant_notice"
    _description = "Credit Grant Notice Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        reader = report_reader(self.env)
        if reader.uid != SUPERUSER_ID and not reader.user.has_group("customer_credit.group_credit_user"):
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
            "capitals": {
                application.id: amount_in_capitals(application.granted_limit, application.currency_id)
                for application in applications
            },
        }
