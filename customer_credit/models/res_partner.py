from typing import NamedTuple

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.models import PREFETCH_MAX
from odoo.tools import SQL

# Financial details and scores: the credit department only.
CREDIT_OFFICER = "customer_credit.group_credit_officer"
CREDIT_USER = "customer_credit.group_credit_user"
EXPOSURE_BATCH = 50_000
# Passed in the context by the credit decision methods; no RPC caller can send this object.
_DECISION = object()


class CreditFigures(NamedTuple):
    """The named parts of a customer's exposure (信用使用情况, C6), in company currency."""

    open_receivable: float = 0.0
    overdue_amount: float = 0.0
    oldest_due: object = None  # date of the oldest overdue receivable, or None
    draft_invoiced: float = 0.0
    uninvoiced_orders: float = 0.0

    @property
    def exposure(self):
        return self.open_receivable + self.draft_invoiced + self.uninvoiced_orders


NO_FIGURES = CreditFigures()


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- C1: credit profile (legal representative and registered capital are on the archive card)
    registered_address = fields.Char(tracking=True)
    business_scope = fields.Text()
    licence_number = fields.Char(string="Business Licence Number", tracking=True)
    licence_valid_until = fields.Date(tracking=True)
    payment_habits = fields.Text(groups=CREDIT_OFFICER, copy=False)

    # --- current evaluation, grade and terms
    credit_evaluation_ids = fields.One2many(
        "customer.credit.evaluation", "partner_id", string="Credit Evaluations"
    )
    credit_evaluation_id = fields.Many2one(
        "customer.credit.evaluation",
        compute="_compute_credit_evaluation_id",
        string="Current Evaluation",
        groups=CREDIT_OFFICER,
    )
    credit_grade_id = fields.Many2one(
        "customer.credit.grade",
        compute="_compute_credit_evaluation_id",
        search="_search_credit_grade_id",
        groups=CREDIT_USER,
    )
    credit_term_days = fields.Integer(
        string="Credit Term (Days)", company_dependent=True, groups=CREDIT_USER, copy=False
    )
    credit_on_hold = fields.Boolean(
        string="On Credit Hold",
        company_dependent=True,
        tracking=True,
        copy=False,
        groups=CREDIT_USER,
        help="Every order of this customer waits for a credit manager.",
    )
    credit_guarantee_required = fields.Boolean(company_dependent=True, groups=CREDIT_USER, copy=False)
    credit_risk_plan = fields.Text(
        string="Risk Plan", groups=CREDIT_OFFICER, copy=False, help="风险客户独立方案"
    )
    credit_risk_plan_review_date = fields.Date(string="Risk Plan Review", groups=CREDIT_OFFICER, copy=False)
    # Technical: bumped by each credit check of an order, to serialise checks per customer.
    credit_check_count = fields.Integer(copy=False)
    credit_event_ids = fields.One2many(
        "customer.credit.event", "partner_id", string="Credit Events", groups=CREDIT_OFFICER
    )
    credit_limit_history_ids = fields.One2many(
        "customer.credit.limit.history", "partner_id", string="Limit History", groups=CREDIT_OFFICER
    )

    # --- C6: exposure, computed in batch
    credit_currency_id = fields.Many2one("res.currency", compute="_compute_credit_exposure")
    credit_open_receivable = fields.Monetary(
        currency_field="credit_currency_id", compute="_compute_credit_exposure", groups=CREDIT_OFFICER
    )
    credit_draft_invoiced = fields.Monetary(
        string="Draft Invoices",
        currency_field="credit_currency_id",
        compute="_compute_credit_exposure",
        groups=CREDIT_OFFICER,
    )
    credit_uninvoiced_orders = fields.Monetary(
        string="Confirmed, Not Invoiced",
        currency_field="credit_currency_id",
        compute="_compute_credit_exposure",
        groups=CREDIT_OFFICER,
    )
    credit_exposure = fields.Monetary(
        currency_field="credit_currency_id", compute="_compute_credit_exposure", groups=CREDIT_USER
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        currency_field="credit_currency_id",
        compute="_compute_credit_exposure",
        groups=CREDIT_USER,
    )
    credit_over_limit = fields.Boolean(
        compute="_compute_credit_exposure", search="_search_credit_over_limit", groups=CREDIT_USER
    )
    credit_overdue_amount = fields.Monetary(
        currency_field="credit_currency_id", compute="_compute_credit_exposure", groups=CREDIT_OFFICER
    )
    credit_overdue_days = fields.Integer(
        string="Oldest Overdue (Days)",
        compute="_compute_credit_exposure",
        search="_search_credit_overdue_days",
        groups=CREDIT_OFFICER,
    )

    # ------------------------------------------------------------------ evaluation
    # Per user too: sales staff see only their own customers' credit, so values never share a cache.
    @api.depends_context("company", "uid")
    @api.depends("credit_evaluation_ids.state")
    def _compute_credit_evaluation_id(self):
        current = {
            partner.id: evaluation
            for partner, evaluation in self.env["customer.credit.evaluation"]
            .sudo()  # sudo: ids of current evaluations only
            ._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("state", "=", "approved"),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id"],
                ["id:max"],
            )
        }  # sudo: only the current evaluation's id and grade are derived here
        Evaluation = self.env["customer.credit.evaluation"].sudo()  # sudo: their grades only
        evaluations = Evaluation.browse(list(current.values()))
        by_partner = {evaluation.partner_id.id: evaluation for evaluation in evaluations}
        visible = self._credit_visible_partners()
        for partner in self:
            evaluation = by_partner.get(partner.id, self.env["customer.credit.evaluation"])
            if partner not in visible:
                evaluation = self.env["customer.credit.evaluation"]
            partner.credit_evaluation_id = evaluation.with_env(self.env)
            partner.credit_grade_id = evaluation.grade_id.with_env(self.env)

    def _search_credit_grade_id(self, operator, value):
        evaluations = (
            self.env["customer.credit.evaluation"]
            .sudo()  # sudo: partner ids only
            .search(
                [
                    ("state", "=", "approved"),
                    ("company_id", "=", self.env.company.id),
                    ("grade_id", operator, value),
                ]
            )
        )  # sudo: answers which partners have the grade, nothing more
        return [("id", "in", evaluations.partner_id.with_env(self.env)._credit_visible_partners().ids)]

    def write(self, vals):
        # Credit terms and holds are credit managers' decisions (with their history), not edits.
        decided = {"credit_on_hold", "credit_term_days", "credit_guarantee_required"}.intersection(vals)
        if (
            decided
            and not self.env.su
            and not self.env.user.has_group("customer_credit.group_credit_manager")
        ):
            raise AccessError(self.env._("Only a credit manager changes a customer's credit terms or hold."))
        return super().write(vals)

    def _credit_decision_write(self, vals):
        """Write the fields that only credit decisions set (limit, term, guarantee, hold), once the
        caller has checked the decision (role, state, reason) and recorded it. Takes the values;
        returns what ``write`` returns."""
        return self.with_context(customer_credit_decision=_DECISION).write(vals)

    def _credit_in_decision(self):
        return self.env.context.get("customer_credit_decision") is _DECISION

    def action_view_credit_archives(self):
        """The customer's credit file: archives of the 'credit' category (licences, annual reports,
        financial statements, applications) kept by customer_archive."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_archive.customer_archive_action")
        category = self.env.ref("customer_archive.category_credit")
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id), ("category_id", "=", category.id)]
        action["context"] = {"default_partner_id": partner.id, "default_category_id": category.id}
        return action

    def _credit_debtor(self, company):
        """The partner whose credit limit controls each partner of ``self`` (信用授予规则, C8).

        Takes partners (contacts, invoice addresses, companies); returns a dict
        {partner id: debtor partner id}. The debtor is the commercial entity; a company placed
        under a managed customer without a credit decision of its own is controlled under its
        parent's limit (集团授信).
        """
        return {partner.id: partner.commercial_partner_id.id for partner in self}

    def _credit_is_managed(self, company):
        """Credit control applies to customers with a limit decided through customer_credit (an
        approved evaluation or application), or to all when the company switches it on."""
        self.ensure_one()
        return self.commercial_partner_id in self.commercial_partner_id._credit_managed(company)

    def _credit_managed(self, company):
        """The partners of ``self`` that credit control applies to, in one query."""
        if company.credit_enforce_all:
            return self
        History = self.env["customer.credit.limit.history"].sudo()  # sudo: existence of a decision only
        decided = History._read_group(
            [("partner_id", "in", self.ids), ("company_id", "=", company.id)], ["partner_id"]
        )
        return self & self.browse([partner.id for (partner,) in decided])

    def _apply_credit_decision(self, limit, term_days, reason, evaluation=None, company=None):
        """Set the credit limit and term decided by a credit manager, keeping the previous ones."""
        self.ensure_one()
        company = company or self.env.company
        if limit < 0 or term_days < 0:
            raise UserError(self.env._("A credit limit or term cannot be negative."))
        partner = self.sudo().with_company(company)  # sudo: the decision was checked by the caller
        self.env["customer.credit.limit.history"].sudo().create(  # sudo: history of a checked decision
            {
                "partner_id": self.id,
                "company_id": company.id,
                "previous_limit": partner.credit_limit,
                "new_limit": limit,
                "previous_term_days": partner.credit_term_days,
                "new_term_days": term_days,
                "reason": reason,
                "approver_id": self.env.user.id,
                "evaluation_id": evaluation.id if evaluation else False,
            }
        )
        partner.write({"credit_limit": limit, "credit_term_days": term_days})
        partner.message_post(body=reason, subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------------ exposure (C6)
    @api.depends_context("company", "uid")
    def _compute_credit_exposure(self):
        # The values go straight to the cache, which is what the field setters would do, without
        # tens of thousands of setter calls for a long list of partners.
        records = self
        company = self.env.company
        today = fields.Date.context_today(self)
        visible = records._credit_visible_partners()
        figures = records._credit_exposure_figures(company, visible.ids)
        limited = visible.sudo().with_company(company)  # sudo: limits, Odoo reserves them to accounting
        limits = dict(zip(visible.ids, limited.mapped("credit_limit"), strict=True))
        columns = {name: [] for name in self._credit_exposure_fields()}
        for partner_id in records.ids:
            figure = figures.get(partner_id, NO_FIGURES)
            exposure = figure.exposure
            limit = limits.get(partner_id, 0.0)
            columns["credit_currency_id"].append(company.currency_id.id)
            columns["credit_open_receivable"].append(figure.open_receivable)
            columns["credit_draft_invoiced"].append(figure.draft_invoiced)
            columns["credit_uninvoiced_orders"].append(figure.uninvoiced_orders)
            columns["credit_exposure"].append(exposure)
            columns["credit_available"].append(limit - exposure if limit else 0.0)
            columns["credit_over_limit"].append(bool(limit) and exposure > limit)
            columns["credit_overdue_amount"].append(figure.overdue_amount)
            columns["credit_overdue_days"].append(
                (today - figure.oldest_due).days if figure.oldest_due else 0
            )
        for name, values in columns.items():
            self.env.cache.update(records, self._fields[name], values)

    def _in_cache_without(self, field, limit=PREFETCH_MAX):
        # The exposure of any number of partners costs one query: compute it for the whole list at
        # once rather than by Odoo's default batches of a thousand.
        if field.name in self._credit_exposure_fields():
            limit = EXPOSURE_BATCH
        return super()._in_cache_without(field, limit=limit)

    @api.model
    def _credit_exposure_fields(self):
        return (
            "credit_currency_id",
            "credit_open_receivable",
            "credit_draft_invoiced",
            "credit_uninvoiced_orders",
            "credit_exposure",
            "credit_available",
            "credit_over_limit",
            "credit_overdue_amount",
            "credit_overdue_days",
        )

    @api.model
    def _credit_exposure_figures(self, company, partner_ids=None):
        """{partner id: CreditFigures} for the commercial partners ``partner_ids`` (every partner with figures when None), in one
        query whatever their number."""
        ids = list(self.ids if partner_ids is None else partner_ids)
        restrict = partner_ids is not None or bool(self)
        self._credit_flush()
        self.env.cr.execute(
            SQL(
                """
                WITH receivable AS (%(receivable)s),
                drafts AS (
                    SELECT m.commercial_partner_id AS partner_id, SUM(m.amount_total_signed) AS amount
                      FROM account_move m
                     WHERE m.company_id = %(company)s
                       AND m.state = 'draft'
                       AND m.move_type IN ('out_invoice', 'out_refund')
                       AND %(draft_partners)s
                     GROUP BY m.commercial_partner_id
                ),
                orders AS (
                    SELECT p.commercial_partner_id AS partner_id,
                           SUM(l.untaxed_amount_to_invoice / COALESCE(NULLIF(o.currency_rate, 0), 1))
                               AS amount
                      FROM sale_order_line l
                      JOIN sale_order o ON o.id = l.order_id
                      JOIN res_partner p ON p.id = o.partner_id
                     WHERE o.company_id = %(company)s
                       AND o.state = 'sale'
                       AND l.untaxed_amount_to_invoice > 0
                       AND %(order_partners)s
                     GROUP BY p.commercial_partner_id
                )
                SELECT COALESCE(r.partner_id, d.partner_id, o.partner_id),
                       COALESCE(r.open_amount, 0), COALESCE(r.overdue_amount, 0), r.oldest_due,
                       COALESCE(d.amount, 0), COALESCE(o.amount, 0)
                  FROM receivable r
                  FULL JOIN drafts d ON d.partner_id = r.partner_id
                  FULL JOIN orders o ON o.partner_id = COALESCE(r.partner_id, d.partner_id)
                """,
                receivable=self._credit_receivable_query(company, ids if restrict else None),
                company=company.id,
                draft_partners=SQL("m.commercial_partner_id = ANY(%s)", ids) if restrict else SQL("TRUE"),
                order_partners=SQL("p.commercial_partner_id = ANY(%s)", ids) if restrict else SQL("TRUE"),
            )
        )
        return {partner_id: CreditFigures(*figures) for partner_id, *figures in self.env.cr.fetchall()}

    def _credit_visible_partners(self):
        """Sales staff see the credit of their own customers; the credit department of all."""
        if self.env.su or self.env.user.has_group(CREDIT_OFFICER):
            return self
        return self.filtered(lambda partner: partner.commercial_partner_id.user_id == self.env.user)

    @api.model
    def _credit_flush(self):
        """Write pending changes of what the credit queries read."""
        for model in ("account.move.line", "account.move", "sale.order.line", "sale.order"):
            self.env[model].flush_model()

    @api.model
    def _credit_receivable_query(self, company, partner_ids=None, having=None):
        """Open receivables per partner: amount, overdue amount, oldest overdue due date."""
        today = fields.Date.context_today(self)
        return SQL(
            """
            SELECT l.partner_id,
                   COALESCE(SUM(l.amount_residual), 0) AS open_amount,
                   COALESCE(SUM(l.amount_residual) FILTER (WHERE l.date_maturity < %(today)s), 0)
                       AS overdue_amount,
                   MIN(l.date_maturity) FILTER (WHERE l.date_maturity < %(today)s AND l.amount_residual > 0)
                       AS oldest_due
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
             WHERE l.company_id = %(company)s
               AND l.parent_state = 'posted'
               AND a.account_type = 'asset_receivable'
               AND NOT l.reconciled
               AND l.partner_id IS NOT NULL
               AND %(partners)s
             GROUP BY l.partner_id
            %(having)s
            """,
            today=today,
            company=company.id,
            partners=SQL("l.partner_id = ANY(%s)", list(partner_ids))
            if partner_ids is not None
            else SQL("TRUE"),
            having=having or SQL(),
        )

    def _search_credit_over_limit(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the credit limit."))
        company = self.env.company
        # sudo: reads limits to answer the search; only partners with a limit can be over it
        limited = self.sudo().with_company(company).search([("credit_limit", ">", 0)])  # sudo: limits
        figures = self._credit_exposure_figures(company, limited.ids)
        over = []
        for partner in limited:
            if figures.get(partner.id, NO_FIGURES).exposure > partner.credit_limit:
                over.append(partner.id)
        over = self.browse(over)._credit_visible_partners().ids
        return [("id", "in" if (operator == "=") == value else "not in", over)]

    def _search_credit_overdue_days(self, operator, value):
        """Partners whose oldest overdue receivable is ``operator value`` days old, in one query."""
        comparisons = {">": SQL(">"), ">=": SQL(">="), "<": SQL("<"), "<=": SQL("<="), "=": SQL("=")}
        if operator not in comparisons or not isinstance(value, int):
            raise UserError(self.env._("Unsupported search on overdue days."))
        today = fields.Date.context_today(self)
        having = SQL(
            "HAVING %s - MIN(l.date_maturity) FILTER (WHERE l.date_maturity < %s AND l.amount_residual > 0)"
            " %s %s",
            today,
            today,
            comparisons[operator],
            value,
        )
        self._credit_flush()
        self.env.cr.execute(self._credit_receivable_query(self.env.company, having=having))
        return [("id", "in", [row[0] for row in self.env.cr.fetchall()])]
