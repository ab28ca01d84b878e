from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

# What an evaluation was scored on: fixed once an evaluation uses the indicator.
SCORING_FIELDS = frozenset({"scorecard_id", "weight", "kind", "computation", "full_score_value"})

COMPUTATIONS = [
    ("overdue_share", "Share Paid Late"),
    ("average_days_late", "Average Days Late"),
    ("years_of_cooperation", "Years Since the First Invoice"),
    ("sales_12_months", "Invoiced Sales, Last 12 Months"),
    ("broken_promises", "Broken Promises to Pay, Last 12 Months"),
]


class CustomerCreditIndicator(models.Model):
    """One weighted line of a scorecard: computed from Odoo's data, or scored by the officer."""

    _name = "customer.credit.indicator"
    _description = "Credit Indicator"
    _order = "scorecard_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    scorecard_id = fields.Many2one("customer.credit.scorecard", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    weight = fields.Float(required=True, help="Share of the total score, in percent.")
    kind = fields.Selection(
        [("computed", "Computed"), ("manual", "Scored by Hand")], required=True, default="manual"
    )
    computation = fields.Selection(COMPUTATIONS)
    full_score_value = fields.Float(
        help="Figure that earns the full 100 points: days late that score 0 for 'average days late', "
        "years for 'years since the first invoice', amount for 'invoiced sales'.",
    )
    description = fields.Text(translate=True)

    @api.constrains("weight", "kind", "computation", "full_score_value")
    def _check_indicator(self):
        for indicator in self:
            if not 0 < indicator.weight <= 100:
                raise ValidationError(self.env._("An indicator's weight lies between 0 and 100."))
            if indicator.kind == "computed" and not indicator.computation:
                raise ValidationError(self.env._("Say how a computed indicator is computed."))
            needs_scale = indicator.computation in (
                "average_days_late",
                "broken_promises",
                "years_of_cooperation",
                "sales_12_months",
            )
            if indicator.kind == "computed" and needs_scale and indicator.full_score_value <= 0:
                raise ValidationError(
                    self.env._("Indicator %(name)s needs a positive full-score value.", name=indicator.name)
                )

    def _check_unused(self):
        Line = self.env["customer.credit.evaluation.line"].sudo()  # sudo: counts lines only
        used = Line._read_group([("indicator_id", "in", self.ids)], ["indicator_id"])
        if used:
            raise UserError(
                self.env._(
                    "Indicator %(name)s has scored evaluations, which are kept as they were: "
                    "make a new scorecard instead and archive this one.",
                    name=used[0][0].name,
                )
            )

    def write(self, vals):
        if SCORING_FIELDS.intersection(vals):
            self._check_unused()
        return super().write(vals)

    def unlink(self):
        self._check_unused()
        return super().unlink()

    def _score_of(self, figure):
        """Turn a computed figure into 0-100 points."""
        self.ensure_one()
        if self.computation == "overdue_share":
            score = 100.0 * (1.0 - figure)
        elif self.computation in ("average_days_late", "broken_promises"):
            score = 100.0 * (1.0 - figure / self.full_score_value)
        else:
            score = 100.0 * figure / self.full_score_value
        return round(max(0.0, min(100.0, score)), 2)

    # ------------------------------------------------------------------ figures (C2)
    @api.model
    def _figures_for(self, partners, date=None):
        """The figures of the computed indicators of ``partners`` (commercial partners) in the
        current company, as of ``date`` (today when None): {partner id: {computation: figure}}, in
        three queries whatever their number (评分体系, C2).

        Payment behaviour counts the customer invoices due within the 12 months before ``date``,
        paid or not, and the older ones still open then, weighted by their amount: an invoice is
        late by the days from its due date to the day it was fully paid (the last reconciliation of
        its receivable), or to ``date`` while it is still open. "Share paid late" is the share of
        that amount paid late or still open past its due date; "average days late" averages the
        days late, on-time invoices counting 0: a customer who always pays 60 days late is no
        perfect payer (优秀客户 从未逾期付款).
        """
        company = self.env.company
        end = date or fields.Date.context_today(self)
        ids = partners.ids
        partners._credit_flush()
        self.env["account.partial.reconcile"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH invoices AS (
                    SELECT m.commercial_partner_id AS partner_id,
                           m.amount_total_signed AS amount,
                           m.invoice_date_due AS due,
                           CASE WHEN m.amount_residual = 0 AND paid.day <= %(end)s THEN paid.day END
                               AS paid_on
                      FROM account_move m
                      LEFT JOIN LATERAL (
                          SELECT MAX(apr.max_date) AS day
                            FROM account_move_line l
                            JOIN account_partial_reconcile apr ON apr.debit_move_id = l.id
                           WHERE l.move_id = m.id
                      ) paid ON TRUE
                     WHERE m.company_id = %(company)s
                       AND m.state = 'posted'
                       AND m.move_type = 'out_invoice'
                       AND m.payment_state != 'reversed'
                       AND m.commercial_partner_id = ANY(%(ids)s)
                       AND m.invoice_date_due <= %(end)s
                       -- due within the period, or older and still not fully paid at its end
                       AND (m.invoice_date_due > %(start)s OR paid.day IS NULL OR paid.day > %(end)s
                            OR m.amount_residual <> 0)
                ),
                lateness AS (
                    SELECT partner_id, amount, GREATEST(COALESCE(paid_on, %(end)s) - due, 0) AS days
                      FROM invoices
                )
                SELECT partner_id,
                       SUM(amount),
                       COALESCE(SUM(amount) FILTER (WHERE days > 0), 0),
                       SUM(amount * days)
                  FROM lateness
                 GROUP BY partner_id
                """,
                company=company.id,
                ids=ids,
                start=end - timedelta(days=365),
                end=end,
            )
        )
        payments = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        invoices = {
            partner.id: (first_date, sales)
            for partner, first_date, sales in self.env["account.move"]
            .sudo()  # sudo: accounting figures
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("commercial_partner_id", "in", ids),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                ],
                ["commercial_partner_id"],
                ["invoice_date:min", "amount_untaxed_signed:sum"],
            )
        }  # sudo: figures for the credit department, whatever the accounting rights
        recent_sales = dict(
            self.env["account.move"]
            .sudo()  # sudo: accounting figures
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("commercial_partner_id", "in", ids),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("invoice_date", ">", end - timedelta(days=365)),
                    ("invoice_date", "<=", end),
                ],
                ["commercial_partner_id"],
                ["amount_untaxed_signed:sum"],
            )
        )  # sudo: as above
        # Promises to pay broken within the period (collection log, settled by the monitoring).
        broken = dict(
            self.env["customer.credit.collection.log"]
            .sudo()  # sudo: figures for the credit department, whatever the reader's rules
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", ids),
                    ("promise_state", "=", "broken"),
                    ("promised_date", ">", end - timedelta(days=365)),
                    ("promised_date", "<=", end),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        figures = {}
        for partner in partners:
            total, late, weighted_days = payments.get(partner.id, (0.0, 0.0, 0.0))
            first_date, _all_sales = invoices.get(partner.id, (None, 0.0))
            figures[partner.id] = {
                "overdue_share": late / total if total and total > 0 else 0.0,
                "average_days_late": weighted_days / total if total and total > 0 else 0.0,
                "years_of_cooperation": (end - first_date).days / 365.25 if first_date else 0.0,
                "sales_12_months": recent_sales.get(partner, 0.0),
                "broken_promises": float(broken.get(partner, 0)),
            }
        return figures
