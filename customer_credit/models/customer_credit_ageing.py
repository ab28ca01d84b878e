from odoo import api, fields, models
from odoo.tools import SQL

# Age buckets of receivables (账龄), by days past the due date at the report's date.
AGEING_BUCKETS = [
    ("not_due", "Not Due"),
    ("days_1_30", "1-30 Days"),
    ("days_31_60", "31-60 Days"),
    ("days_61_90", "61-90 Days"),
    ("days_over_90", "Over 90 Days"),
]
AGEING_FIELDS = [name for name, _label in AGEING_BUCKETS]
# A row is a journal item at a date: its id is the item's id times this, plus the date's day
# number (days since 1970), so that the rows of two dates are two records (Odoo caches records by
# id within a transaction, whatever the context they were read in).
DATE_SPAN = 100_000


class CustomerCreditAgeing(models.Model):
    """Receivables by age (账龄分析, C6/C10) at a date, per company, in company currency.

    One row per posted receivable journal item open at the date, with what was still owed on it
    then: its balance less the partial reconciliations made up to that date (``max_date``), so
    that the rows of a date add up to the receivable accounts' balance at that date. The date and
    company come from the context (``ageing_date``, ``ageing_company_id``; today and the current
    company by default): see the wizard ``customer.credit.ageing.wizard``.
    """

    _name = "customer.credit.ageing"
    _description = "Receivables Ageing"
    _auto = False
    _order = "partner_id, date_maturity, id"
    _rec_name = "move_id"

    ageing_date = fields.Date(string="At", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    move_id = fields.Many2one("account.move", string="Document", readonly=True)
    move_line_id = fields.Many2one("account.move.line", string="Journal Item", readonly=True)
    account_id = fields.Many2one("account.account", readonly=True)
    date = fields.Date(readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(AGEING_BUCKETS, string="Age", readonly=True)
    residual = fields.Monetary(string="Open Amount", readonly=True)
    not_due = fields.Monetary(readonly=True)
    days_1_30 = fields.Monetary(string="1-30 Days", readonly=True)
    days_31_60 = fields.Monetary(string="31-60 Days", readonly=True)
    days_61_90 = fields.Monetary(string="61-90 Days", readonly=True)
    days_over_90 = fields.Monetary(string="Over 90 Days", readonly=True)

    @api.model
    def _ageing_date(self):
        """The date the rows are at: ``ageing_date`` of the context, else today."""
        return fields.Date.to_date(self.env.context.get("ageing_date")) or fields.Date.context_today(self)

    @api.model
    def _ageing_company(self):
        """The company the rows are of: ``ageing_company_id`` of the context when the user works in
        it, else the current company. One company at a time: amounts are in its currency."""
        company_id = self.env.context.get("ageing_company_id")
        if company_id in self.env.companies.ids:
            return self.env["res.company"].browse(company_id)
        return self.env.company

    @property
    def _table_query(self):
        return self._ageing_sql(self._ageing_company(), self._ageing_date())

    @api.model
    def _ageing_sql(self, company, date):
        """The rows at ``date`` for ``company``, as SQL. What was owed on a line at a date is what
        is owed on it now (Odoo's ``amount_residual``, company currency) with the reconciliations
        dated after that date taken back (a partial's ``max_date`` is the later of its two lines'
        dates): only the partials after the date are read, none for today."""
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        buckets = SQL(
            """
            CASE WHEN r.days <= 0 THEN 'not_due'
                 WHEN r.days <= 30 THEN 'days_1_30'
                 WHEN r.days <= 60 THEN 'days_31_60'
                 WHEN r.days <= 90 THEN 'days_61_90'
                 ELSE 'days_over_90' END
            """
        )
        return SQL(
            """
            SELECT l.id::bigint * %(span)s + (%(date)s::date - DATE '1970-01-01') AS id, l.id AS move_line_id,
                   %(date)s::date AS ageing_date, l.company_id, c.currency_id,
                   p.commercial_partner_id AS partner_id, cp.user_id, l.move_id, l.account_id, l.date,
                   COALESCE(l.date_maturity, l.date) AS date_maturity,
                   GREATEST(r.days, 0) AS days_overdue,
                   %(buckets)s AS bucket,
                   r.residual,
                   %(columns)s
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
              JOIN res_company c ON c.id = l.company_id
              LEFT JOIN res_partner p ON p.id = l.partner_id
              LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
              LEFT JOIN (
                   -- what the reconciliations after the date settled on each line
                   SELECT line_id, SUM(amount) AS amount
                     FROM (SELECT pr.debit_move_id AS line_id, pr.amount
                             FROM account_partial_reconcile pr
                            WHERE pr.max_date > %(date)s
                           UNION ALL
                           SELECT pr.credit_move_id, -pr.amount
                             FROM account_partial_reconcile pr
                            WHERE pr.max_date > %(date)s) later_partials
                    GROUP BY line_id
             ) later ON later.line_id = l.id
             CROSS JOIN LATERAL (
                   SELECT l.amount_residual + COALESCE(later.amount, 0) AS residual,
                          %(date)s::date - COALESCE(l.date_maturity, l.date) AS days
             ) r
             WHERE l.company_id = %(company)s
               AND l.parent_state = 'posted'
               AND a.account_type = 'asset_receivable'
               AND l.date <= %(date)s
               AND (l.amount_residual <> 0 OR later.line_id IS NOT NULL)
               AND r.residual <> 0
            """,
            date=date,
            span=DATE_SPAN,
            company=company.id,
            buckets=buckets,
            columns=SQL(", ").join(
                SQL(
                    "CASE WHEN %s = %s THEN r.residual ELSE 0 END AS %s",
                    buckets,
                    bucket,
                    SQL.identifier(bucket),
                )
                for bucket in AGEING_FIELDS
            ),
        )

    @api.model
    def _ageing_by_partner(self, domain=()):
        """[(customer, {bucket: amount, 'residual': total})] of the rows of ``domain`` (at the
        context's date and company), ordered by customer, in one query."""
        groups = self._read_group(
            list(domain),
            ["partner_id"],
            [f"{name}:sum" for name in [*AGEING_FIELDS, "residual"]],
            order="partner_id",
        )
        return [
            (partner, dict(zip([*AGEING_FIELDS, "residual"], sums, strict=True))) for partner, *sums in groups
        ]
