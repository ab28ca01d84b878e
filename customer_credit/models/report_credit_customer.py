from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, models
from odoo.addons.customer_archive.models.ir_actions_report import report_reader
from odoo.exceptions import AccessError
from odoo.tools import SQL


class ReportCreditCustomer(models.AbstractModel):
    """Values of the credit report of a customer (客户信用报告, C13): its profile, grade, limit and
    term, exposure, ageing, payment record of the last 12 months, evaluations, limit history,
    collection log and credit events, in the current company."""

    _name = "report.customer_credit.report_credit_customer"
    _description = "Customer Credit Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        """Take the customers' ids; return them with, per customer id, their ``payments`` (see
        ``_credit_payment_record``), ``payment_summary`` and ``collection_logs``. Raises
        AccessError for anyone but the credit officers (the report shows the accounting and the
        credit file of the customer, whoever its salesperson)."""
        reader = report_reader(self.env)
        if reader.uid != SUPERUSER_ID and not reader.user.has_group("customer_credit.group_credit_officer"):
            raise AccessError(
                self.env._("The credit report of a customer is printed by the credit department.")
            )
        partners = self.env["res.partner"].browse(docids)
        partners.check_access("read")
        company = self.env.company
        today = company._archive_today()
        payments = self._credit_payment_record(partners, company, today)
        logs = self.env["customer.credit.collection.log"].search(
            [
                ("partner_id", "child_of", partners.commercial_partner_id.ids),
                ("company_id", "=", company.id),
                ("date", ">=", today - relativedelta(months=12)),
            ],
            order="date desc, id desc",
        )
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": company,
            "today": today,
            "payments": payments,
            "payment_summary": {
                partner_id: self._credit_payment_summary(rows) for partner_id, rows in payments.items()
            },
            "collection_logs": {
                partner.id: logs.filtered(
                    lambda log, partner=partner: log.partner_id.commercial_partner_id
                    == partner.commercial_partner_id
                )
                for partner in partners
            },
        }

    @api.model
    def _credit_payment_record(self, partners, company, today):
        """The payment record (付款记录) of the last 12 months, in one query: the posted customer
        invoices of each customer (its contacts included) in ``company`` due from 12 months before
        ``today`` to ``today``. Returns {partner id: [dict of ``invoice`` (its number: the credit
        officers do not read the accounting), ``due``, ``amount`` (company currency, tax included),
        ``residual``, ``paid_date`` (date of the reconciliation that settled it, None while open)
        and ``days_late`` (paid date, else today, less the due date; 0 if on time)]}, by due
        date."""
        self.env["account.move"].flush_model()
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        commercial = partners.commercial_partner_id
        self.env.cr.execute(
            SQL(
                """
                SELECT m.name, m.commercial_partner_id, m.invoice_date_due, m.amount_total_signed,
                       m.amount_residual_signed, MAX(pr.max_date)
                  FROM account_move m
                  JOIN account_move_line l ON l.move_id = m.id
                  JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                  LEFT JOIN account_partial_reconcile pr ON pr.debit_move_id = l.id
                 WHERE m.company_id = %(company)s AND m.state = 'posted' AND m.move_type = 'out_invoice'
                   AND m.commercial_partner_id = ANY(%(partners)s)
                   AND m.invoice_date_due BETWEEN %(since)s AND %(today)s
                 GROUP BY m.id
                 ORDER BY m.invoice_date_due, m.id
                """,
                company=company.id,
                partners=commercial.ids,
                since=today - relativedelta(months=12),
                today=today,
            )
        )
        record = {partner.id: [] for partner in partners}
        for name, partner_id, due, amount, residual, last_payment in self.env.cr.fetchall():
            paid_date = last_payment if company.currency_id.is_zero(residual) else None
            entry = {
                "invoice": name,
                "due": due,
                "amount": amount,
                "residual": residual,
                "paid_date": paid_date,
                "days_late": max(((paid_date or today) - due).days, 0),
            }
            for partner in partners:
                if partner.commercial_partner_id.id == partner_id:
                    record[partner.id].append(entry)
        return record

    @api.model
    def _credit_payment_summary(self, rows):
        """Counts of a payment record: ``invoices``, ``on_time`` (paid by the due date), ``late``
        (paid after it), ``open`` (not fully paid), ``average_days_late`` of the paid ones (None
        without any) and ``amount``."""
        paid = [row for row in rows if row["paid_date"]]
        return {
            "invoices": len(rows),
            "on_time": sum(1 for row in paid if not row["days_late"]),
            "late": sum(1 for row in paid if row["days_late"]),
            "open": len(rows) - len(paid),
            "average_days_late": sum(row["days_late"] for row in paid) / len(paid) if paid else None,
            "amount": sum(row["amount"] for row in rows),
        }
