from odoo import SUPERUSER_ID, api, models
from odoo.addons.customer_archive.models.ir_actions_report import report_reader
from odoo.exceptions import AccessError


class ReportCollectionLetter(models.AbstractModel):
    """Values of the payment reminder letter (催款函) of the collection levels: the customer's
    overdue invoices in the current company with their days overdue (C9)."""

    _name = "report.customer_credit.report_collection_letter"
    _description = "Payment Reminder Letter Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        """Take the customers' ids; return their overdue invoices, the company's today and the total.
        Raises AccessError for anyone but the credit officers and a salesperson with credit rights
        for their own customers (the letter lists the accounting, read with sudo), whoever it is
        printed for: also when Odoo prints it as superuser on their behalf (``report_reader``)."""
        partners = self.env["res.partner"].browse(docids)
        partners.check_access("read")
        reader = report_reader(self.env)
        user = reader.user
        if reader.uid != SUPERUSER_ID and not user.has_group("customer_credit.group_credit_officer"):
            if not user.has_group("customer_credit.group_credit_user") or any(
                partner.commercial_partner_id.user_id != user for partner in partners
            ):
                raise AccessError(
                    self.env._(
                        "Payment reminders are printed by the credit officers and the customer's "
                        "salesperson."
                    )
                )
        company = self.env.company
        today = company._archive_today()
        invoices = {partner.id: partner._credit_collection_invoices(company) for partner in partners}
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": company,
            "today": today,
            "invoices": invoices,
            "days_overdue": {
                move.id: (today - move.invoice_date_due).days for moves in invoices.values() for move in moves
            },
        }
