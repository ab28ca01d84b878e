from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

# Who reads the statistics and the analysis (统计报表, 分析报告): the credit department and the
# general management. The figures are read with SQL, past the record rules: nobody else may ask.
READERS = ("customer_credit.group_credit_officer", "customer_archive.group_archive_executive")
TOP_RISK_COUNT = 10


class CustomerCreditAnalysisWizard(models.TransientModel):
    """The half-yearly credit statistics and the annual credit analysis (统计报表, 分析报告, C13) of
    a company, on screen or as a PDF.

    The period is a half-year (1 January - 30 June, 1 July - 31 December) or a year; a period not
    over yet ends today. Amounts are in the company currency, tax included. Every figure is read in
    a few SQL statements whatever the number of customers:

    - grades: each customer's grade at the period's end is that of its latest approved evaluation
      (approved or since superseded) dated up to then; customers with receivables or sales and no
      such evaluation are "not graded";
    - migration: for each customer with an approved evaluation dated in the period, the grade of
      the evaluation before its latest one (none: a new customer) → the grade of its latest one;
    - receivable at the period's end: what the receivables ageing (``customer.credit.ageing``)
      shows open at that date; overdue: the part past its due date, less the customer's unapplied
      credits (the rule of the exposure, C6);
    - overdue rate = overdue / receivable at the period's end;
    - DSO (days sales outstanding) = receivable at the period's end / credit sales of the period
      × days of the period, credit sales being the posted customer invoices less credit notes
      dated in the period;
    - applications created in the period, by decision: count, requested and granted limits;
    - credit events dated in the period, by type: count and amount converted to the company
      currency at the rate of the event's date;
    - top risk customers: the ten with the largest overdue at the period's end, then the largest
      excess of their receivable over the limit in force then.
    """

    _name = "customer.credit.analysis.wizard"
    _description = "Credit Statistics and Analysis"

    period = fields.Selection([("half", "Half-year"), ("year", "Year")], required=True, default="half")
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    half = fields.Selection(
        [("1", "First Half (January - June)"), ("2", "Second Half (July - December)")],
        string="Half-year",
        default=lambda self: "1" if fields.Date.context_today(self).month <= 6 else "2",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="Period Start", compute="_compute_dates")
    date_to = fields.Date(
        string="Period End", compute="_compute_dates", help="Today for a period not over yet."
    )

    @api.constrains("company_id")
    def _check_company_of_user(self):
        # A company the user does not work in (an RPC call can name any): its figures are not theirs;
        # the error does not name it (a guessed id would tell a company's name).
        for wizard in self:
            if wizard.company_id not in self.env.user.company_ids:
                raise ValidationError(self.env._("Choose one of your companies."))

    @api.depends("period", "year", "half", "company_id")
    def _compute_dates(self):
        for wizard in self:
            wizard.date_from, wizard.date_to = wizard._analysis_dates()

    @api.constrains("year", "period", "half")
    def _check_period(self):
        for wizard in self:
            if not 1900 < wizard.year < 3000:
                raise ValidationError(self.env._("Choose a year between 1901 and 2999."))
            if wizard.period == "half" and not wizard.half:
                raise ValidationError(self.env._("Choose the half-year of the statistics."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_reader()
        return super().create(vals_list)

    @api.model
    def _check_reader(self):
        """Raise AccessError unless the user is of the credit department or the general management:
        the figures cover every customer of the company."""
        if self.env.su or any(self.env.user.has_group(group) for group in READERS):
            return
        raise AccessError(
            self.env._("The credit statistics are read by the credit department and the general management.")
        )

    def _analysis_dates(self):
        """(first day, last day) of the period; the last day is the company's today while the
        period is not over. Returns (False, False) while the period is incomplete."""
        self.ensure_one()
        if not self.year or not 1900 < self.year < 3000 or (self.period == "half" and not self.half):
            return False, False
        start, end = date(self.year, 1, 1), date(self.year, 12, 31)
        if self.period == "half":
            start, end = (start, date(self.year, 6, 30)) if self.half == "1" else (date(self.year, 7, 1), end)
        today = (self.company_id or self.env.company)._archive_today()
        return start, min(end, today)

    def _analysis_title(self):
        """The report's title: "Half-yearly Credit Statistics 2026 H1" or "Annual Credit Analysis 2026"."""
        self.ensure_one()
        if self.period == "half":
            return self.env._(
                "Half-yearly Credit Statistics %(year)s H%(half)s", year=self.year, half=self.half
            )
        return self.env._("Annual Credit Analysis %(year)s", year=self.year)

    def action_open(self):
        """The analysis on screen (the report's HTML in the web client)."""
        self.ensure_one()
        action = self.env.ref("customer_credit.action_report_credit_analysis").report_action(self)
        action["report_type"] = "qweb-html"
        return action

    def action_print(self):
        """The analysis as a PDF (QWeb)."""
        self.ensure_one()
        return self.env.ref("customer_credit.action_report_credit_analysis").report_action(self)

    # ------------------------------------------------------------------ figures
    def _analysis_data(self):
        """Every figure of the report, for the wizard's company and period.

        Returns a dict: ``date_from``, ``date_to``, ``days``; ``grades`` (rows of ``_analysis_grades``
        with a ``total`` row), ``migration`` (``_analysis_migration``), ``applications``,
        ``events`` and ``top_risk`` (see their methods). Raises AccessError for other readers."""
        self.ensure_one()
        self._check_reader()
        start, end = self._analysis_dates()
        if not start or start > end:
            raise UserError(self.env._("The period has not started yet."))
        figures = self._analysis_customer_figures(start, end)
        grades, total = self._analysis_grades(figures, start, end)
        return {
            "date_from": start,
            "date_to": end,
            "days": (end - start).days + 1,
            "grades": grades,
            "total": total,
            "migration": self._analysis_migration(start, end),
            "applications": self._analysis_applications(start, end),
            "events": self._analysis_events(start, end),
            "top_risk": self._analysis_top_risk(figures),
        }

    def _analysis_customer_figures(self, start, end):
        """Per customer (commercial partner) of the company, in one query: {partner id: dict of
        grade_id, receivable and overdue at ``end``, max days overdue, credit sales from ``start``
        to ``end`` and the limit in force at ``end``}. Customers with none of them are left out."""
        self.ensure_one()
        company = self.company_id
        for model in ("customer.credit.evaluation", "account.move", "customer.credit.limit.history"):
            self.env[model].flush_model()
        ageing = self.env["customer.credit.ageing"]._ageing_sql(company, end)
        end_of_day = fields.Datetime.to_datetime(end + timedelta(days=1))
        self.env.cr.execute(
            SQL(
                """
                WITH grades AS (
                    SELECT DISTINCT ON (e.partner_id) e.partner_id, e.grade_id
                      FROM customer_credit_evaluation e
                     WHERE e.company_id = %(company)s AND e.state IN ('approved', 'superseded')
                       AND e.date <= %(end)s
                     ORDER BY e.partner_id, e.date DESC, e.id DESC
                ),
                receivables AS (
                    SELECT ag.partner_id,
                           SUM(ag.residual) AS receivable,
                           GREATEST(
                               COALESCE(SUM(ag.residual)
                                        FILTER (WHERE ag.residual > 0 AND ag.days_overdue > 0), 0)
                               + COALESCE(SUM(ag.residual) FILTER (WHERE ag.residual < 0), 0), 0
                           ) AS overdue,
                           COALESCE(MAX(ag.days_overdue) FILTER (WHERE ag.residual > 0), 0) AS days_overdue
                      FROM (%(ageing)s) ag
                     WHERE ag.partner_id IS NOT NULL
                     GROUP BY ag.partner_id
                ),
                sales AS (
                    SELECT m.commercial_partner_id AS partner_id, SUM(m.amount_total_signed) AS sales
                      FROM account_move m
                     WHERE m.company_id = %(company)s AND m.state = 'posted'
                       AND m.move_type IN ('out_invoice', 'out_refund')
                       AND m.invoice_date BETWEEN %(start)s AND %(end)s
                     GROUP BY m.commercial_partner_id
                ),
                limits AS (
                    SELECT DISTINCT ON (h.partner_id) h.partner_id, h.new_limit
                      FROM customer_credit_limit_history h
                     WHERE h.company_id = %(company)s AND h.date < %(end_of_day)s
                     ORDER BY h.partner_id, h.date DESC, h.id DESC
                ),
                customers AS (
                    SELECT partner_id FROM grades
                    UNION SELECT partner_id FROM receivables
                    UNION SELECT partner_id FROM sales
                )
                SELECT c.partner_id, g.grade_id,
                       COALESCE(r.receivable, 0), COALESCE(r.overdue, 0), COALESCE(r.days_overdue, 0),
                       COALESCE(s.sales, 0), l.new_limit
                  FROM customers c
                  LEFT JOIN grades g ON g.partner_id = c.partner_id
                  LEFT JOIN receivables r ON r.partner_id = c.partner_id
                  LEFT JOIN sales s ON s.partner_id = c.partner_id
                  LEFT JOIN limits l ON l.partner_id = c.partner_id
                """,
                company=company.id,
                start=start,
                end=end,
                end_of_day=end_of_day,
                ageing=ageing,
            )
        )
        keys = ("grade_id", "receivable", "overdue", "days_overdue", "sales", "limit")
        return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in self.env.cr.fetchall()}

    def _analysis_grades(self, figures, start, end):
        """Rows per grade of the company (best first, then "not graded" when it has customers):
        dicts of ``grade`` (record, empty for not graded), ``customers``, ``receivable``,
        ``overdue``, ``overdue_rate`` (%, None without receivable), ``sales``, ``dso`` (days, None
        without sales), and the total row."""
        self.ensure_one()
        days = (end - start).days + 1
        grades = (
            self.env["customer.credit.grade"]
            .with_context(active_test=False)
            .search([("company_id", "=", self.company_id.id)])
        )

        def row(grade, members):
            receivable = sum(values["receivable"] for values in members)
            overdue = sum(values["overdue"] for values in members)
            sales = sum(values["sales"] for values in members)
            return {
                "grade": grade,
                "customers": len(members),
                "receivable": receivable,
                "overdue": overdue,
                "overdue_rate": 100.0 * overdue / receivable if receivable > 0 else None,
                "sales": sales,
                "dso": receivable / sales * days if sales > 0 else None,
            }

        rows = [
            row(grade, [values for values in figures.values() if values["grade_id"] == grade.id])
            for grade in grades
            if grade.active or any(values["grade_id"] == grade.id for values in figures.values())
        ]
        ungraded = [values for values in figures.values() if not values["grade_id"]]
        if ungraded:
            rows.append(row(grades.browse(), ungraded))
        return rows, row(grades.browse(), list(figures.values()))

    def _analysis_migration(self, start, end):
        """The grade migration of the period (A→B…), in one query.

        Returns a dict: ``grades`` (the grades to show, best first), ``matrix`` {(from grade id or
        False for new customers, to grade id): customers}, ``rows`` [(from grade or empty record,
        [count per grade of ``grades``], total)] and ``upgraded``, ``downgraded``, ``unchanged``,
        ``new`` (customers), better meaning a higher minimum score."""
        self.ensure_one()
        self.env["customer.credit.evaluation"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH ranked AS (
                    SELECT e.partner_id, e.grade_id, e.date,
                           ROW_NUMBER() OVER (PARTITION BY e.partner_id
                                              ORDER BY e.date DESC, e.id DESC) AS rank
                      FROM customer_credit_evaluation e
                     WHERE e.company_id = %(company)s AND e.state IN ('approved', 'superseded')
                       AND e.date <= %(end)s
                )
                SELECT previous.grade_id, latest.grade_id, COUNT(*)
                  FROM ranked latest
                  LEFT JOIN ranked previous ON previous.partner_id = latest.partner_id AND previous.rank = 2
                 WHERE latest.rank = 1 AND latest.date >= %(start)s
                 GROUP BY previous.grade_id, latest.grade_id
                """,
                company=self.company_id.id,
                start=start,
                end=end,
            )
        )
        matrix = {(from_id or False, to_id): count for from_id, to_id, count in self.env.cr.fetchall()}
        Grade = self.env["customer.credit.grade"].with_context(active_test=False)
        used = {grade_id for pair in matrix for grade_id in pair if grade_id}
        grades = Grade.search(
            ["|", ("company_id", "=", self.company_id.id), ("id", "in", list(used))]
        ).filtered(lambda grade: grade.active or grade.id in used)
        score = {grade.id: grade.min_score for grade in grades}
        summary = {"upgraded": 0, "downgraded": 0, "unchanged": 0, "new": 0}
        for (from_id, to_id), count in matrix.items():
            if not from_id:
                key = "new"
            elif from_id == to_id:
                key = "unchanged"
            else:
                key = "upgraded" if score.get(to_id, 0) > score.get(from_id, 0) else "downgraded"
            summary[key] += count
        rows = []
        for source in [*grades, grades.browse()]:
            counts = [matrix.get((source.id or False, grade.id), 0) for grade in grades]
            if source or sum(counts):
                rows.append((source, counts, sum(counts)))
        return {"grades": grades, "matrix": matrix, "rows": rows, **summary}

    def _analysis_applications(self, start, end):
        """Credit applications created in the period, by decision, in one query: [(label, count,
        requested, granted)] for approved, rejected and in progress (draft to reviewed), then the
        total. Limits are in the company currency (an application's currency)."""
        self.ensure_one()
        self.env["customer.credit.application"].flush_model()
        tz = self.company_id._archive_tz().zone
        self.env.cr.execute(
            SQL(
                """
                SELECT CASE WHEN a.state IN ('approved', 'rejected') THEN a.state ELSE 'open' END,
                       COUNT(*), COALESCE(SUM(a.requested_limit), 0),
                       COALESCE(SUM(a.granted_limit) FILTER (WHERE a.state = 'approved'), 0)
                  FROM customer_credit_application a
                 WHERE a.company_id = %(company)s
                   AND (a.create_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                       BETWEEN %(start)s AND %(end)s
                 GROUP BY 1
                """,
                company=self.company_id.id,
                tz=tz,
                start=start,
                end=end,
            )
        )
        found = {state: values for state, *values in self.env.cr.fetchall()}
        labels = {
            "approved": self.env._("Approved"),
            "rejected": self.env._("Rejected"),
            "open": self.env._("In Progress"),
        }
        rows = [
            (labels[state], *found.get(state, (0, 0.0, 0.0))) for state in ("approved", "rejected", "open")
        ]
        total = (
            self.env._("Total"),
            sum(row[1] for row in rows),
            sum(row[2] for row in rows),
            sum(row[3] for row in rows),
        )
        return [*rows, total]

    def _analysis_events(self, start, end):
        """Credit events dated in the period, by type, in one query: [(type label, count, amount in
        the company currency)], in the order of the types, then the total. An amount in another
        currency counts at the rate of the event's date (the event's ``amount_company_currency``)."""
        self.ensure_one()
        Event = self.env["customer.credit.event"]
        Event.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT e.event_type, COUNT(*), COALESCE(SUM(e.amount_company_currency), 0)
                  FROM customer_credit_event e
                 WHERE e.company_id = %(company)s AND e.date BETWEEN %(start)s AND %(end)s
                 GROUP BY e.event_type
                """,
                company=self.company_id.id,
                start=start,
                end=end,
            )
        )
        totals = {event_type: values for event_type, *values in self.env.cr.fetchall()}
        labels = dict(Event._fields["event_type"]._description_selection(self.env))
        rows = [
            (labels[event_type], *totals[event_type])
            for event_type, _label in Event._fields["event_type"].selection
            if event_type in totals
        ]
        return [*rows, (self.env._("Total"), sum(row[1] for row in rows), sum(row[2] for row in rows))]

    def _analysis_top_risk(self, figures):
        """The ten riskiest customers at the period's end: those with an overdue or a receivable
        over their limit, by overdue (largest first), then by excess over the limit, then by name.
        Returns dicts of ``partner``, ``grade``, ``receivable``, ``overdue``, ``days_overdue``,
        ``limit`` (None without a decided limit) and ``over_limit``."""
        self.ensure_one()
        rows = []
        for partner_id, values in figures.items():
            limit = values["limit"]
            over = max(values["receivable"] - limit, 0.0) if limit is not None else 0.0
            if values["overdue"] > 0 or over > 0:
                rows.append((partner_id, values, over))
        partners = self.env["res.partner"].browse([row[0] for row in rows])
        names = {partner.id: partner.display_name for partner in partners}
        rows.sort(key=lambda row: (-row[1]["overdue"], -row[2], names.get(row[0], "")))
        Grade = self.env["customer.credit.grade"]
        return [
            {
                "partner": partners.browse(partner_id),
                "name": names[partner_id],
                "grade": Grade.browse(values["grade_id"]).display_name if values["grade_id"] else "",
                "receivable": values["receivable"],
                "overdue": values["overdue"],
                "days_overdue": values["days_overdue"],
                "limit": values["limit"],
                "over_limit": over,
            }
            for partner_id, values, over in rows[:TOP_RISK_COUNT]
        ]
