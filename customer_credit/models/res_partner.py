import hashlib
import itertools
import json
import math
import re
import weakref
from operator import eq, ge, gt, le, lt, ne
from typing import NamedTuple

import psycopg2
from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.addons.customer_archive.models.res_partner import ruled_one2many_search
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, format_date
from odoo.tools.sql import create_index

# Financial details and scores: the credit department only.
CREDIT_MANAGER = "customer_credit.group_credit_manager"
CREDIT_OFFICER = "customer_credit.group_credit_officer"
CREDIT_USER = "customer_credit.group_credit_user"
INTERNAL = "base.group_user"
# The general management sees the grades and figures of every customer.
EXECUTIVE = "customer_archive.group_archive_executive"
ARCHIVE_OFFICER = "customer_archive.group_archive_officer"
CREDIT_TERMS_READERS = f"{CREDIT_OFFICER},{EXECUTIVE}"
# Credit records with a chatter that sales staff read for their own customers only (record rules
# on the customer's salesperson).
SALESPERSON_CREDIT_THREADS = ("customer.credit.application", "customer.credit.collection")
# The digest of the daily monitoring's activities (mail.activity._archive_send_digests).
MONITORING_DIGEST = "customer_credit.ir_cron_credit_monitoring"
# Deepest group (集团授信) followed up the parent chain; Odoo refuses cycles anyway.
GROUP_DEPTH_MAX = 32
# Up to CREDIT_FEW partners asked at once, the exposure statement runs prepared on its generic
# plan; from CREDIT_MANY, the one above, it is planned for many rows (res.partner._credit_fetch).
CREDIT_FEW = 20
CREDIT_MANY = CREDIT_FEW + 1
# The exposure statements prepared through each cursor ({cursor: {name}}). Not per database
# connection: Odoo's pool resets a connection it lends again (psycopg2's reset, a DISCARD ALL),
# which drops its prepared statements; a cursor is one loan. A cursor closed takes its own along.
CREDIT_PREPARED = weakref.WeakKeyDictionary()
# What read() and mapped() give for a cached value of an exposure field, by the field's type:
# Odoo's convert_to_record, then for read() convert_to_read, which leaves these values as they are
# (res.partner.read and mapped take them from the cache by column).
CREDIT_READ_VALUE = {
    "monetary": lambda value: value or 0.0,
    "integer": lambda value: value or 0,
    "boolean": bool,
}
# Passed in the context by the credit decision methods; no RPC caller can send this object.
_DECISION = object()
# Set only by credit decisions (with their limit history), never by a plain write, create or import.
CREDIT_DECISION_FIELDS = frozenset(
    {
        "credit_limit",
        "use_partner_credit_limit",
        "credit_term_days",
        "credit_guarantee_required",
        "credit_on_hold",
        "credit_decided_grade_id",
    }
)


class CreditFigures(NamedTuple):
    """The named parts of a customer's exposure (信用使用情况, C6), in company currency, as the
    ``figures`` of ``res.partner._credit_figures_sql`` has them: the exposure is summed there only
    (the partner fields, the searches, the hold reasons, the monitoring and the reports read it)."""

    open_receivable: float = 0.0
    overdue_amount: float = 0.0
    oldest_due: object = None  # date of the oldest overdue receivable, or None
    draft_invoiced: float = 0.0
    uninvoiced_orders: float = 0.0
    exposure: float = 0.0  # open receivables + draft invoices + confirmed orders not invoiced


NO_FIGURES = CreditFigures()


def credit_db_id(record_id):
    """Whether ``record_id`` can be the id of a row: an integer (not a boolean) within
    PostgreSQL's ``integer``. A new record's id, or whatever an RPC client sends as ids (a float,
    None, 2**31), has no credit figures of its own and must not reach the statements."""
    return type(record_id) is int and 0 < record_id < 2**31


def credit_ids_sql(ids):
    """SQL selecting the partner ids ``ids``, for the exposure statements. The ids go as one text
    value (``'{1,2,3}'``) cast to an array: psycopg2 adapts a list item by item, which took 12 ms
    for 5,000 ids, as long as a tenth of the statement itself. Raises TypeError for anything but
    integers (a boolean, a string, a new record's id), which the text must not hold."""
    for partner_id in ids:
        if type(partner_id) is not int:
            raise TypeError(f"Partner ids must be integers, not {partner_id!r}")
    return SQL("SELECT unnest(%s::int[])", "{" + ",".join(map(str, ids)) + "}")


class PartnerCredit(NamedTuple):
    """A partner's credit as ``res.partner._credit_partner_figures`` reads it, in one query."""

    debtor_id: int  # the partner whose limit controls it (``_credit_debtor``)
    visible: bool  # the current user may see its credit (``_credit_visible_partners``)
    credit_limit: float  # the debtor's limit in the company, as the system reads it
    figures: CreditFigures  # the debtor's figures


class CreditPreview(NamedTuple):
    """A customer's credit as the order and invoice forms show it (``_credit_previews``)."""

    debtor: object  # res.partner whose limit controls, as the system in the company
    figures: CreditFigures
    managed: bool  # credit control applies to the debtor
    visible: bool  # the current user may see the customer's credit


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- C1: credit profile (legal representative and registered capital are on the archive card,
    # which the credit officers read and keep too)
    # The credit file is the company's own: never portal or public users', their own included.
    registered_address = fields.Char(tracking=True, groups=INTERNAL)
    business_scope = fields.Text(groups=INTERNAL)
    licence_number = fields.Char(string="Business Licence Number", tracking=True, groups=INTERNAL)
    licence_valid_until = fields.Date(tracking=True, groups=INTERNAL)
    payment_habits = fields.Text(groups=CREDIT_OFFICER, copy=False)
    archive_card_ids = fields.One2many(groups=f"customer_archive.group_archive_user,{CREDIT_OFFICER}")

    # --- current evaluation, grade and terms
    # The credit department's, like the evaluations: Odoo answers "is set" and "in" searches on a
    # one2many without the record rules of its model, so anyone could learn who was evaluated.
    credit_evaluation_ids = fields.One2many(
        "customer.credit.evaluation", "partner_id", string="Credit Evaluations", groups=CREDIT_OFFICER
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
    # The decided terms are read by the credit department and the general management; sales staff
    # see them through the *_shown fields below, for their own customers only.
    credit_term_days = fields.Integer(
        string="Credit Term (Days)", company_dependent=True, groups=CREDIT_TERMS_READERS, copy=False
    )
    # Not tracked: a tracking message on the customer, which every salesperson reads, told of a
    # hold its field hides from them (its value hidden, the message not); the hold is noted on
    # the customer's credit status.
    credit_on_hold = fields.Boolean(
        string="On Credit Hold",
        company_dependent=True,
        copy=False,
        groups=CREDIT_TERMS_READERS,
        help="Every order of this customer waits for a credit manager.",
    )
    credit_guarantee_required = fields.Boolean(
        company_dependent=True, groups=CREDIT_TERMS_READERS, copy=False
    )
    # The grade of the evaluation in force, kept per company by the decision that applied it, so
    # that the credit department can group customers by grade (``credit_grade_id`` is computed per
    # reader and cannot be grouped). Sales staff read grades through ``credit_grade_id`` only.
    credit_decided_grade_id = fields.Many2one(
        "customer.credit.grade",
        string="Grade",
        company_dependent=True,
        copy=False,
        groups=CREDIT_TERMS_READERS,
        help="The grade of the approved evaluation in force in this company.",
    )
    credit_term_days_shown = fields.Integer(
        string="Granted Term (Days)", compute="_compute_credit_terms_shown", groups=CREDIT_USER
    )
    credit_on_hold_shown = fields.Boolean(
        string="Customer on Credit Hold", compute="_compute_credit_terms_shown", groups=CREDIT_USER
    )
    credit_guarantee_required_shown = fields.Boolean(
        string="Guarantee Required", compute="_compute_credit_terms_shown", groups=CREDIT_USER
    )
    credit_next_review_date = fields.Date(
        string="Next Review",
        compute="_compute_credit_next_review_date",
        search="_search_credit_next_review_date",
        groups=CREDIT_OFFICER,
        help="When the evaluation in force is due for review: its date plus its grade's review "
        "interval (12 months without one), as the daily monitoring counts it.",
    )
    credit_risk_plan = fields.Text(
        string="Risk Plan", groups=CREDIT_OFFICER, copy=False, help="风险客户独立方案"
    )
    credit_risk_plan_review_date = fields.Date(string="Risk Plan Review", groups=CREDIT_OFFICER, copy=False)
    # Technical: bumped by each credit check of an order, to serialise checks per customer. The
    # system's alone: it tells which customers are under credit control.
    credit_check_count = fields.Integer(copy=False, groups="base.group_system")
    credit_event_ids = fields.One2many(
        "customer.credit.event", "partner_id", string="Credit Events", groups=CREDIT_OFFICER
    )
    credit_limit_history_ids = fields.One2many(
        "customer.credit.limit.history", "partner_id", string="Limit History", groups=CREDIT_OFFICER
    )

    # --- C6: exposure, computed in batch
    credit_currency_id = fields.Many2one("res.currency", compute="_compute_credit_exposure")
    credit_open_receivable = fields.Monetary(
        currency_field="credit_currency_id",
        compute="_compute_credit_exposure",
        search="_search_credit_open_receivable",
        groups=CREDIT_OFFICER,
    )
    credit_draft_invoiced = fields.Monetary(
        string="Draft Invoices",
        currency_field="credit_currency_id",
        compute="_compute_credit_exposure",
        search="_search_credit_draft_invoiced",
        groups=CREDIT_OFFICER,
    )
    credit_uninvoiced_orders = fields.Monetary(
        string="Confirmed, Not Invoiced",
        currency_field="credit_currency_id",
        compute="_compute_credit_exposure",
        search="_search_credit_uninvoiced_orders",
        groups=CREDIT_OFFICER,
    )
    credit_exposure = fields.Monetary(
        currency_field="credit_currency_id",
        compute="_compute_credit_exposure",
        search="_search_credit_exposure",
        groups=CREDIT_USER,
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        currency_field="credit_currency_id",
        compute="_compute_credit_exposure",
        search="_search_credit_available",
        groups=CREDIT_USER,
    )
    credit_limit_shown = fields.Monetary(
        string="Limit in Force",
        currency_field="credit_currency_id",
        compute="_compute_credit_exposure",
        search="_search_credit_limit_shown",
        groups=CREDIT_USER,
        help="The limit of the customer whose credit controls this partner (its company or group).",
    )
    credit_over_limit = fields.Boolean(
        compute="_compute_credit_exposure", search="_search_credit_over_limit", groups=CREDIT_USER
    )
    credit_overdue_amount = fields.Monetary(
        currency_field="credit_currency_id",
        compute="_compute_credit_exposure",
        search="_search_credit_overdue_amount",
        groups=CREDIT_OFFICER,
    )
    credit_overdue_days = fields.Integer(
        string="Oldest Overdue (Days)",
        compute="_compute_credit_exposure",
        search="_search_credit_overdue_days",
        groups=CREDIT_OFFICER,
    )

    # --- ageing of the customer's receivables today (账龄), see customer.credit.ageing
    credit_ageing_not_due = fields.Monetary(
        string="Not Due",
        currency_field="credit_currency_id",
        compute="_compute_credit_ageing",
        groups=CREDIT_OFFICER,
    )
    credit_ageing_1_30 = fields.Monetary(
        string="1-30 Days",
        currency_field="credit_currency_id",
        compute="_compute_credit_ageing",
        groups=CREDIT_OFFICER,
    )
    credit_ageing_31_60 = fields.Monetary(
        string="31-60 Days",
        currency_field="credit_currency_id",
        compute="_compute_credit_ageing",
        groups=CREDIT_OFFICER,
    )
    credit_ageing_61_90 = fields.Monetary(
        string="61-90 Days",
        currency_field="credit_currency_id",
        compute="_compute_credit_ageing",
        groups=CREDIT_OFFICER,
    )
    credit_ageing_over_90 = fields.Monetary(
        string="Over 90 Days",
        currency_field="credit_currency_id",
        compute="_compute_credit_ageing",
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

    @api.depends_context("company", "uid")
    @api.depends("credit_term_days", "credit_on_hold", "credit_guarantee_required")
    def _compute_credit_terms_shown(self):
        # Sales staff see the terms of their own customers only, like the rest of the credit.
        visible = self._credit_visible_partners()
        for partner, stored in zip(self, self.sudo(), strict=True):  # sudo: shown only where visible
            shown = partner in visible
            partner.credit_term_days_shown = stored.credit_term_days if shown else 0
            partner.credit_on_hold_shown = stored.credit_on_hold if shown else False
            partner.credit_guarantee_required_shown = stored.credit_guarantee_required if shown else False

    @api.model
    def _credit_next_review_sql(self, company):
        """SQL selecting ``(partner_id, review_date)``: the review date of each customer's evaluation
        in force in ``company`` (its date + its grade's review interval, 12 months by default; the
        end of a shorter month where the day does not exist, as the monitoring counts it)."""
        return SQL(
            """
            SELECT DISTINCT ON (e.partner_id) e.partner_id,
                   (e.date + make_interval(months => COALESCE(NULLIF(g.review_interval_months, 0), 12)))::date
                       AS review_date
              FROM customer_credit_evaluation e
              LEFT JOIN customer_credit_grade g ON g.id = e.grade_id
             WHERE e.state = 'approved' AND e.company_id = %s
             ORDER BY e.partner_id, e.id DESC
            """,
            company.id,
        )

    @api.depends_context("company")
    @api.depends("credit_evaluation_ids.state", "credit_evaluation_ids.date")
    def _compute_credit_next_review_date(self):
        ids = [partner_id for partner_id in self.ids if credit_db_id(partner_id)]
        dates = {}
        if ids:
            self.env["customer.credit.evaluation"].flush_model(["state", "date", "grade_id", "partner_id"])
            self.env.cr.execute(
                SQL(
                    "SELECT partner_id, review_date FROM (%s) r WHERE partner_id = ANY(%s)",
                    self._credit_next_review_sql(self.env.company),
                    ids,
                )
            )
            dates = dict(self.env.cr.fetchall())
        for partner in self:
            partner.credit_next_review_date = dates.get(partner.id, False)

    def _search_credit_next_review_date(self, operator, value):
        """Customers whose evaluation in force is due for review ``operator value``, as one SQL
        subquery."""
        # A search is a read: nobody asks yes/no questions about a value hidden from them.
        self.check_field_access_rights("read", ["credit_next_review_date"])
        operators = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "=": "="}
        if operator not in operators or not value:
            raise UserError(self.env._("Unsupported search on the next review date."))
        self.env["customer.credit.evaluation"].flush_model(["state", "date", "grade_id", "partner_id"])
        return [
            (
                "id",
                "in",
                SQL(
                    "(SELECT partner_id FROM (%s) r WHERE review_date %s %s)",
                    self._credit_next_review_sql(self.env.company),
                    SQL(operators[operator]),
                    fields.Date.to_date(value),
                ),
            )
        ]

    @api.depends_context("company")
    def _compute_credit_ageing(self):
        # The customer's (commercial partner's) open receivables today by age, in one query.
        company = self.env.company
        commercial = self.commercial_partner_id.filtered(lambda partner: credit_db_id(partner.id))
        Ageing = (
            self.env["customer.credit.ageing"]
            .sudo()  # sudo: the rows of the customers asked about; these fields are the credit department's
            .with_context(ageing_date=fields.Date.context_today(self), ageing_company_id=company.id)
        )
        rows = dict(Ageing._ageing_by_partner([("partner_id", "in", commercial.ids)])) if commercial else {}
        columns = {
            "credit_ageing_not_due": "not_due",
            "credit_ageing_1_30": "days_1_30",
            "credit_ageing_31_60": "days_31_60",
            "credit_ageing_61_90": "days_61_90",
            "credit_ageing_over_90": "days_over_90",
        }
        by_id = {partner.id: values for partner, values in rows.items()}
        for partner in self:
            values = by_id.get(partner.commercial_partner_id.id, {})
            partner.update({name: values.get(bucket, 0.0) for name, bucket in columns.items()})

    def _search_credit_grade_id(self, operator, value):
        """Partners whose grade in force (``credit_grade_id``: the grade of the latest approved
        evaluation of the partner in the current company, shown where the user may see its credit)
        matches ``operator value``, as one SQL subquery; a partner without one, or whose credit the
        user may not see, has no grade (False). Takes a many2one's operators: ``=``, ``!=``,
        ``in``, ``not in`` with grade ids, names or False, ``=?``, and the name operators
        (``ilike``, ``not ilike``, ``like``, ``not like``, ``=like``, ``=ilike``). Raises
        AccessError without read access to the grade, UserError for another operator or value."""
        # A search is a read: nobody asks yes/no questions about a value hidden from them.
        self.check_field_access_rights("read", ["credit_grade_id"])
        if operator == "=?":
            if value is False or value is None:
                return [(1, "=", 1)]  # Odoo's "=?": no value, no condition
            operator = "="
        negations = {"!=": "=", "not in": "in", "not ilike": "ilike", "not like": "like"}
        positive = negations.get(operator, operator)
        values = list(value) if isinstance(value, list | tuple) and positive == "in" else [value]
        valid = positive in ("=", "in", "ilike", "like", "=like", "=ilike") and all(
            item is False or item is None or isinstance(item, int | str) for item in values
        )
        if positive not in ("=", "in"):
            valid = valid and len(values) == 1 and isinstance(values[0], str)
        if not valid:
            raise UserError(self.env._("Unsupported search on the credit grade."))
        ids = [item for item in values if isinstance(item, int) and not isinstance(item, bool)]
        names = [item for item in values if isinstance(item, str)]
        conditions = []
        if any(item is False or item is None for item in values):
            conditions.append(SQL("c.grade_id IS NULL"))
        if ids or names:
            name_operator = "=" if positive in ("=", "in") else positive
            grade_domain = expression.OR(
                ([[("id", "in", ids)]] if ids else []) + [[("name", name_operator, name)] for name in names]
            )
            Grade = self.env["customer.credit.grade"].with_context(active_test=False)
            grades = Grade.sudo()._search(grade_domain)  # sudo: grade settings; only their ids are compared
            conditions.append(SQL("c.grade_id IN %s", grades.subselect()))
        matched = SQL("COALESCE(%s, FALSE)", SQL(" OR ").join(conditions)) if conditions else SQL("FALSE")
        self.env["customer.credit.evaluation"].flush_model(["state", "company_id", "partner_id", "grade_id"])
        self._credit_flush()  # the visibility condition reads salespersons and companies
        return [
            (
                "id",
                "in",
                SQL(
                    """
                    (SELECT p.id
                       FROM res_partner p
                       LEFT JOIN (
                           SELECT DISTINCT ON (e.partner_id) e.partner_id, e.grade_id
                             FROM customer_credit_evaluation e
                            WHERE e.state = 'approved' AND e.company_id = %(company)s
                            ORDER BY e.partner_id, e.id DESC
                       ) c ON c.partner_id = p.id AND %(visible)s
                      WHERE %(negate)s %(matched)s)
                    """,
                    company=self.env.company.id,
                    visible=self._credit_visible_sql("p"),
                    negate=SQL("NOT") if operator in negations else SQL(""),
                    matched=matched,
                ),
            )
        ]

    def init(self):
        # The companies placed under another (集团授信, ``_credit_groups_sql``): found without
        # reading the contacts, which are most of the table and also have a parent.
        create_index(
            self.env.cr,
            "customer_credit_partner_group_member_idx",
            self._table,
            ["id", "parent_id"],
            where="parent_id IS NOT NULL AND id = commercial_partner_id",
        )
        # A salesperson's customers (whose credit he sees, ``_credit_visible_sql``; the record
        # rules of evaluations and applications): Odoo does not index the salesperson.
        create_index(
            self.env.cr,
            "customer_credit_partner_salesperson_idx",
            self._table,
            ["user_id"],
            where="user_id IS NOT NULL",
        )
        return super().init()

    @api.model_create_multi
    def create(self, vals_list):
        # A partner is born without a credit decision: its limit, term and hold come from one.
        # ``default_<field>`` keys of the context would set them as well.
        self._credit_check_decision_fields(
            {name for vals in vals_list for name in vals}
            | {key.removeprefix("default_") for key in self.env.context if key.startswith("default_")}
        )
        # A company created straight under a customer joins its group credit (集团授信).
        defaults = {
            key.removeprefix("default_"): value
            for key, value in self.env.context.items()
            if key.startswith("default_")
        }
        for vals in vals_list:
            values = {**defaults, **vals}
            if values.get("parent_id") and self._credit_company_in_values(values):
                parent = self.browse(values["parent_id"])
                self._credit_check_joining_group(parent, self.browse(), vals.get("name"))
        return super().create(vals_list)

    def write(self, vals):
        self._credit_check_decision_fields(vals)
        self._credit_check_debtor_change(vals)
        self._credit_check_salesperson_change(vals)
        self._credit_check_commercial_change(vals)
        if vals.get("parent_id"):
            # A company placed under a customer joins its group credit (集团授信).
            is_company = self._credit_company_in_values(vals)
            companies = self.filtered(
                lambda p: (
                    (p.is_company if is_company is None else is_company)
                    and p.parent_id.id != vals["parent_id"]
                )
            )
            if companies:
                self._credit_check_joining_group(self.browse(vals["parent_id"]), companies)
        before = self._credit_exposure_before_move(vals)
        contacts = customers = self.browse()
        if {"parent_id", "is_company", "company_type"}.intersection(vals):
            partners = self.sudo()  # sudo: whether each is a customer in its own right, whoever moves it
            contacts = partners.filtered(lambda partner: partner.commercial_partner_id != partner)
            customers = partners - contacts
        result = super().write(vals)
        self._credit_check_debts_moved(before)
        # customers made contacts: none with a decision still being made on it
        customers.filtered(
            lambda partner: partner.commercial_partner_id != partner
        )._credit_check_no_pending()
        # contacts made customers in their own right: their own decisions' limit and term
        contacts._credit_restore_decided_terms()
        return result

    @api.model
    def _archive_salesperson_threads(self):
        # the credit records sales staff read for their own customers only
        return {
            **super()._archive_salesperson_threads(),
            **dict.fromkeys(SALESPERSON_CREDIT_THREADS, "partner_id"),
        }

    def _credit_check_no_pending(self):
        """Raise UserError when an evaluation or a credit application is still being decided on a
        partner of ``self`` (draft, submitted or reviewed): made a contact, it would be decided on
        a contact (信用授予规则), refused only when approved. Its decision comes first, or its
        rejection."""
        if not self:
            return
        pending = [
            ("customer.credit.evaluation", ["draft", "submitted"]),
            ("customer.credit.application", ["draft", "submitted", "reviewed"]),
        ]
        for model, states in pending:
            Model = self.env[model].sudo()  # sudo: whether one is pending, whoever moves the partner
            found = Model._read_group(
                [("partner_id", "in", self.ids), ("state", "in", states)], ["partner_id"]
            )
            if found:
                raise UserError(
                    self.env._(
                        "A credit evaluation or application is being decided on %(partners)s: approve or "
                        "reject it before making them contacts of another customer.",
                        partners=", ".join(partner.name for (partner,) in found),
                    )
                )

    def unlink(self):
        # A contact whose parent is deleted becomes a customer in its own right (the database
        # empties its parent): its limit and term are then those of its own decisions, not the
        # limit Odoo copied to it from its company (_credit_restore_decided_terms).
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)  # sudo: whoever deletes
        orphans = Partner.search([("parent_id", "in", self.ids), ("id", "not in", self.ids)]).filtered(
            lambda partner: partner.commercial_partner_id != partner
        )
        result = super().unlink()
        orphans.exists()._credit_restore_decided_terms()
        return result

    def _credit_exposure_before_move(self, vals):
        """{(company, debtor id): exposure} of the controlled customers that the partners of
        ``self`` join by the values of a write (a new parent), before it: what
        ``_credit_check_debts_moved`` compares with after it. Another salesperson's customers
        (``_credit_unseen``) count too, controlled or not: a refusal for the controlled ones only
        would tell which are under credit control. Empty for the system, a credit manager, or a write that
        places no partner under another."""
        if not vals.get("parent_id") or self.env.su or not self or self.env.user.has_group(CREDIT_MANAGER):
            return {}
        parent = self.browse(vals["parent_id"]).sudo()  # sudo: who controls it, whoever edits it
        before = {}
        for company in self.env.user.company_ids:
            debtor = self.browse(parent._credit_debtor(company)[parent.id]).sudo()  # sudo: as above
            if debtor._credit_managed(company) or debtor._credit_unseen():
                figures = self._credit_exposure_figures(company, debtor.ids)
                before[company, debtor.id] = figures.get(debtor.id, NO_FIGURES).exposure
        return before

    def _credit_check_debts_moved(self, before):
        """Refuse (AccessError) a move of partners that brought debts into a controlled customer's
        exposure (信用授予规则, C8): orders and invoices of a person or a contact placed under a
        customer count on that customer's limit from then on, and that is a credit decision, as an
        order that grows is. Takes ``_credit_exposure_before_move``'s result, after the write;
        a move that brings nothing (a new contact, a person owing nothing) passes."""
        for (company, debtor_id), exposure in before.items():
            after = self._credit_exposure_figures(company, [debtor_id]).get(debtor_id, NO_FIGURES).exposure
            if company.currency_id.compare_amounts(after, exposure) > 0:
                debtor = self.browse(debtor_id).sudo()  # sudo: its name, whoever edits the partners
                if self.browse(debtor_id)._credit_unseen():
                    # Neither the amount nor whether the customer is under credit control.
                    raise AccessError(
                        self.env._(
                            "%(partners)s owe money, which would count on the credit of %(customer)s, "
                            "whose credit you do not see: only a credit manager places them under it.",
                            partners=", ".join(self.mapped("display_name")),
                            customer=debtor.display_name,
                        )
                    )
                raise AccessError(
                    self.env._(
                        "%(partners)s owe %(amount)s, which would count on the credit of %(customer)s "
                        "(under credit control): only a credit manager places them under it.",
                        partners=", ".join(self.mapped("display_name")),
                        amount=company.currency_id.format(after - exposure),
                        customer=debtor.display_name,
                    )
                )

    @api.model
    def _credit_company_in_values(self, vals):
        """Whether the values of a create or write make a company (``is_company``, or the
        ``company_type`` the form sets), or None when they do not say."""
        if "is_company" in vals:
            return bool(vals["is_company"])
        if "company_type" in vals:
            return vals["company_type"] == "company"
        return None

    def _credit_check_salesperson_change(self, vals):
        """Refuse (AccessError) sales staff taking over another salesperson's customer.

        The salesperson decides who sees a customer's credit file (its limit, grade, evaluations,
        holds, exposure and ageing: the record rules and ``_credit_visible_partners`` go by it). A
        user may set the salesperson of a partner that has none or whose salesperson they are, but
        not of a customer whose group credit (集团授信) holds another salesperson's customers, whose
        figures it shows (``_credit_groups_with_others``);
        changing anyone else's is for the credit department (credit officers and managers), the
        general management (who read every credit file) and the archive office (which reassigns
        customers with archives, customer_archive's rule, and hands over a leaving user's
        customers). The system passes (Odoo's syncs, the handover). Takes the values of a write.
        """
        if "user_id" not in vals or self.env.su or not self:
            return
        user = self.env.user
        if any(user.has_group(group) for group in (CREDIT_OFFICER, EXECUTIVE, ARCHIVE_OFFICER)):
            return
        new = vals["user_id"] or False
        partners = self.sudo()  # sudo: whose customer each partner is, whoever edits it
        taken = partners.filtered(lambda p: p.user_id and p.user_id.id not in (user.id, new))
        if taken:
            raise AccessError(
                self.env._(
                    "%(partners)s already have a salesperson: only the credit department or the "
                    "archive office assigns them to someone else.",
                    partners=", ".join(taken.mapped("display_name")),
                )
            )
        # A customer in its own right shows the credit of its group (集团授信): a company under
        # another salesperson's customer shows that customer's figures, a group's top those of
        # every company under it. Its salesperson would read them: refused when the group holds
        # a customer of someone else than the new salesperson and the user.
        if not new:
            return
        shared = self._credit_groups_with_others(
            partners.filtered(lambda p: p.commercial_partner_id == p), new
        )
        if shared:
            raise AccessError(
                self.env._(
                    "%(partners)s share the credit of a group with customers of another salesperson: "
                    "only the credit department or the archive office assigns them a salesperson.",
                    partners=", ".join(shared.mapped("display_name")),
                )
            )

    def _credit_groups_with_others(self, partners, salesperson):
        """The partners of ``partners`` (sudo) whose group (the partners whose amounts count to
        their debtor, ``_credit_figures_sql``'s ``sources``) holds, in one of the user's companies,
        a partner with a salesperson other than ``salesperson`` and the user: one query per company."""
        found = partners.browse()
        if not partners:
            return found
        for company in self.env.user.company_ids:
            debtor_of = partners._credit_debtor(company)
            debtors = sorted(set(debtor_of.values()))
            rows = self._credit_fetch(
                self._credit_figures_sql(
                    company,
                    credit_ids_sql(debtors),
                    select=SQL(
                        """
                        SELECT DISTINCT s.debtor_id
                          FROM sources s
                          JOIN res_partner p ON p.id = s.id
                         WHERE p.user_id IS NOT NULL AND p.user_id <> ALL(%s)
                        """,
                        [salesperson or self.env.user.id, self.env.user.id],
                    ),
                ),
            )
            others = {debtor_id for (debtor_id,) in rows}
            found |= partners.browse([pid for pid, debtor_id in debtor_of.items() if debtor_id in others])
        return found

    def _credit_check_commercial_change(self, vals):
        """Refuse (AccessError) making a customer in its own right (its own commercial partner) a
        contact of another partner (``is_company`` off, under a parent), unless a credit manager
        does it, when the customer has another salesperson, credit control applies to it, or it is
        a company and credit control applies to the customer it would join. Its orders, invoices
        and credit would move to that customer (集团授信, C8): out of its own limit and hold, into
        another company's limit, or into the sight of whoever sells to that company. Takes the
        values of a write; the system and credit managers pass. A salesperson attaches their own
        uncontrolled customers, and persons join a customer as its contacts (what they owe is
        checked by ``_credit_check_debts_moved``)."""
        if self.env.su or not self or not {"parent_id", "is_company", "company_type"}.intersection(vals):
            return
        user = self.env.user
        if user.has_group(CREDIT_MANAGER):
            return
        is_company = self._credit_company_in_values(vals)
        partners = self.sudo()  # sudo: whose customer each partner is and where it goes, whoever edits it
        leaving = partners.filtered(
            lambda p: (
                p.commercial_partner_id == p
                and not (p.is_company if is_company is None else is_company)
                and (vals["parent_id"] if "parent_id" in vals else p.parent_id.id)
            )
        )
        if not leaving:
            return
        refused = leaving.filtered(lambda p: p.user_id and p.user_id != user)
        for company in user.company_ids:
            if refused:
                break
            parents = self.browse(vals["parent_id"]) if "parent_id" in vals else leaving.parent_id
            debtor_of = parents.sudo()._credit_debtor(company)  # sudo: who controls the new parents
            joined = self.browse(set(debtor_of.values())).sudo()  # sudo: whether they are controlled
            # A company joins a controlled customer's credit only by a credit manager (a person
            # joins it as its contact, as sales work: ``_credit_check_debts_moved`` checks what it
            # owes); a controlled customer never leaves it.
            joining = leaving.filtered("is_company") if joined._credit_managed(company) else leaving.browse()
            refused = joining | leaving._credit_managed(company)
        if refused:
            raise AccessError(
                self.env._(
                    "%(partners)s are customers in their own right: only a credit manager makes them "
                    "contacts of another customer, whose credit they would then share.",
                    partners=", ".join(refused.mapped("display_name")),
                )
            )

    def _credit_check_joining_group(self, parent, companies, name=None):
        """Refuse (AccessError) placing companies under a customer credit control applies to,
        unless a credit manager does it: a company placed under a managed customer without a
        credit decision of its own buys on that customer's group credit (集团授信, C8), so sales
        staff would open a new company's orders on another customer's limit. Contacts (persons)
        join their company as before. Takes the new parent, the companies moved (an empty
        recordset for a company being created, named ``name``); the system and credit managers
        pass. A company with a credit decision of its own stands alone and may move."""
        if self.env.su or not parent or self.env.user.has_group(CREDIT_MANAGER):
            return
        History = self.env["customer.credit.limit.history"].sudo()  # sudo: existence of a decision only
        for company in self.env.user.company_ids:
            debtor_of = parent.sudo()._credit_debtor(company)  # sudo: who controls it, whoever asks
            controller = debtor_of[parent.id]
            debtor = self.browse(controller).sudo()  # sudo: whether it is managed and its name, as above
            # Another's customer refuses alike, controlled or not: else the refusal tells which
            # customers whose credit the user does not see are under credit control.
            unseen = debtor._credit_unseen()
            if not unseen and not debtor._credit_managed(company):
                continue
            decided = History._read_group(
                [("partner_id", "in", companies.ids), ("company_id", "=", company.id)], ["partner_id"]
            )
            joining = companies - self.browse([partner.id for (partner,) in decided])
            if unseen and (joining or not companies):
                raise AccessError(
                    self.env._(
                        "%(customer)s is a customer whose credit you do not see: only a credit manager "
                        "places a company (%(companies)s) under it.",
                        customer=debtor.display_name,
                        companies=", ".join(joining.mapped("display_name")) or name or "",
                    )
                )
            if joining or not companies:
                raise AccessError(
                    self.env._(
                        "%(customer)s is under credit control: only a credit manager places a "
                        "company (%(companies)s) under it, which would buy on its group credit.",
                        customer=debtor.display_name,
                        companies=", ".join(joining.mapped("display_name")) or name or "",
                    )
                )

    def _credit_check_debtor_change(self, vals):
        """Refuse (AccessError) moving a partner out of, or into, a customer credit control applies
        to, or a customer whose credit the user does not see, unless a credit manager does it:
        detaching a contact or a branch from its company would take its orders and invoices out of
        that customer's limit and hold (集团授信, C8). Takes the values of a write; the system and
        credit managers pass."""
        if not {"parent_id", "is_company"}.intersection(vals) or self.env.su or not self:
            return
        if self.env.user.has_group(CREDIT_MANAGER):
            return
        # Another salesperson's customer, or a contact of one, is not moved, controlled or not:
        # it would leave its salesperson's credit file, and the refusal tells nothing.
        if self.sudo().commercial_partner_id._credit_unseen():  # sudo: whose customers they are
            raise AccessError(
                self.env._(
                    "%(partners)s belong to a customer whose credit you do not see: only a credit "
                    "manager moves them to another company.",
                    partners=", ".join(self.mapped("display_name")),
                )
            )
        for company in self.env.user.company_ids:
            # sudo: which customer controls these partners, whoever edits them
            debtor_of = self.sudo()._credit_debtor(company)
            # A partner that is its own debtor stays under its own control wherever it is placed.
            # sudo: whether those customers are under control, whoever edits their partners
            controlled_by = self.browse({debtor_of[p.id] for p in self if debtor_of[p.id] != p.id}).sudo()
            # Another's customer refuses alike, controlled or not: else the refusal tells which
            # customers whose credit the user does not see are under credit control.
            if controlled_by._credit_unseen():
                raise AccessError(
                    self.env._(
                        "%(partners)s belong to a customer whose credit you do not see: only a credit "
                        "manager moves them to another company.",
                        partners=", ".join(self.mapped("display_name")),
                    )
                )
            if controlled_by._credit_managed(company):
                raise AccessError(
                    self.env._(
                        "%(partners)s belong to a customer under credit control: only a credit "
                        "manager moves them to another company.",
                        partners=", ".join(self.mapped("display_name")),
                    )
                )

    def _credit_check_decision_fields(self, names):
        """Refuse setting the fields that only credit decisions set, outside a decision.

        Only the system (env.su: Odoo's own syncs of commercial fields, the monitoring) and the
        decision methods (``_credit_decision_write``) pass; any user, a credit manager or an
        accountant included, gets an AccessError from a form, an RPC call or an import. Takes the
        field names (create) or the values of a write, where a field keeping its value is no change.
        """
        if self.env.su or self._credit_in_decision():
            return
        forced = CREDIT_DECISION_FIELDS.intersection(names)
        if forced and isinstance(names, dict) and self:
            # Writing the value a field already has changes nothing (a form, a contact merge).
            current = self.sudo()  # sudo: compares with values Odoo reserves to accounting
            forced = {name for name in forced if current._credit_value_changes(name, names[name])}
        if forced:
            raise AccessError(
                self.env._(
                    "%(fields)s change only through a credit decision: an approved evaluation or "
                    "credit application, or a credit manager's recorded limit change with its reason.",
                    fields=", ".join(
                        sorted(self._fields[name]._description_string(self.env) for name in forced)
                    ),
                )
            )

    def _credit_value_changes(self, name, value):
        field = self._fields[name]
        new = field.convert_to_record(field.convert_to_cache(value, self), self)
        # Record by record: ``mapped`` of a relational field is one recordset, not the values.
        return any(record[name] != new for record in self)

    def _credit_decision_write(self, vals):
        """Write the fields that only credit decisions set (limit, term, guarantee, hold), once the
        caller has checked the decision (role, state, reason) and recorded it.

        Takes the values; returns what ``write`` returns. A decided company-dependent value is
        kept for the company even where it equals the company default (see
        ``_credit_keep_decided_values``).
        """
        partners = (
            # sudo: the caller checked the decision; credit staff need no partner or accounting rights
            self.sudo().with_context(customer_credit_decision=_DECISION)
        )
        names = [
            name
            for name in vals
            if name in CREDIT_DECISION_FIELDS
            and self._fields[name].company_dependent
            and self._fields[name].store
        ]
        stored = partners._credit_stored_values(names)
        result = partners.write(vals)
        partners._credit_keep_decided_values({name: vals[name] for name in names}, stored)
        return result

    def _credit_stored_values(self, names):
        """{field name: {partner id: stored per-company values}} of company-dependent fields."""
        if not names or not self:
            return {}
        self.flush_recordset(names)
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM res_partner WHERE id = ANY(%s)",
                SQL(", ").join(SQL.identifier(name) for name in names),
                self.ids,
            )
        )
        rows = self.env.cr.fetchall()
        return {name: {row[0]: row[index] or {} for row in rows} for index, name in enumerate(names, 1)}

    def _credit_keep_decided_values(self, vals, stored):
        # Odoo stores a company-dependent value only where it differs from the company default
        # (ir.default, e.g. the default credit limit of the accounting settings), and a write drops
        # the stored values of every company that equal its default; it then reads the default. A
        # decided limit of 0 would become whatever default is set later. Keep the decided value of
        # this company explicitly, and the values of the other companies as they were stored.
        if not vals or not self:
            return
        self.flush_recordset(list(vals))
        for name, value in vals.items():
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE res_partner p
                       SET %(column)s = before.value || COALESCE(p.%(column)s, '{}'::jsonb)
                           || jsonb_build_object(%(company)s::text, %(value)s)
                      FROM jsonb_each(%(stored)s::jsonb) before
                     WHERE p.id = before.key::int
                    """,
                    column=SQL.identifier(name),
                    company=str(self.env.company.id),
                    value=self._fields[name].convert_to_column(value, self),
                    stored=json.dumps(stored[name]),
                )
            )
        self.invalidate_recordset(list(vals))

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

        Takes partners (contacts, invoice addresses, companies) and the company whose credit
        decisions count; returns {partner id: debtor partner id}, in one query whatever their
        number. The debtor is the commercial entity (contacts roll up to their company). Group
        credit (集团授信): a company placed under a managed customer (``parent_id`` chain; managed =
        a commercial entity with a credit decision in ``company``, or the company controls all
        customers) and without a decision of its own is controlled under the debtor of its nearest
        managed ancestor; a company with its own decision stands alone. A decision left on a
        partner made a contact since counts for nothing. Raises nothing.
        """
        ids = [partner_id for partner_id in self.ids if credit_db_id(partner_id)]
        if not ids:
            return {partner.id: partner.id for partner in self}
        self._credit_flush()
        self.env.cr.execute(self._credit_debtor_sql(company, credit_ids_sql(ids)))
        debtors = dict(self.env.cr.fetchall())
        return {partner.id: debtors.get(partner.id, partner.id) for partner in self}

    @api.model
    def _credit_debtor_sql(self, company, partners, where=None, many=False, columns=None):
        """One statement selecting ``(id, debtor_id)`` for the partners that ``partners`` (SQL
        selecting partner ids) selects and that ``where`` (SQL condition on their alias ``p``)
        keeps: the rule of ``_credit_debtor``; then ``columns`` (SQL of more columns of ``p``), when
        given. It can be a CTE of a larger statement. ``many``: it
        runs with nested loops off (``_credit_fetch``), where a join read the whole partner table:
        the partners are read through the primary key by the ids found (``= ANY(ARRAY(...))``), and
        the groups of every company with a parent are walked up (few, by their index) rather than
        those of the partners' companies, which costs reading each partner a second time.
        Otherwise (a search, which the planner joins as it estimates) ``IN`` subqueries."""
        return SQL(
            """
            WITH RECURSIVE %(groups)s
            SELECT p.id, COALESCE(g.debtor_id, p.commercial_partner_id, p.id) AS debtor_id %(columns)s
              FROM res_partner p
              LEFT JOIN groups g ON g.commercial_id = p.commercial_partner_id
             WHERE %(asked)s AND %(where)s
            """,
            groups=self._credit_groups_sql(
                company,
                None
                if many
                else SQL("SELECT commercial_partner_id FROM res_partner WHERE id IN (%s)", partners),
            ),
            asked=SQL("p.id = ANY(ARRAY(%s))", partners) if many else SQL("p.id IN (%s)", partners),
            where=where or SQL("TRUE"),
            columns=SQL(", %s", columns) if columns else SQL(""),
        )

    @api.model
    def _credit_groups_sql(self, company, starts=None):
        """The CTEs ``decided``, ``walk`` and ``groups (commercial_id, debtor_id)`` of a WITH
        RECURSIVE statement (集团授信): the debtor of each company among ``starts`` (SQL selecting
        partner ids; None: every partner) that has a parent. Every other commercial partner is its
        own debtor. The companies with a parent are few: the partial index
        ``customer_credit_partner_group_member_idx`` finds all of them without reading the
        contacts, and each step up reads one partner by its key."""
        # The nearest ancestor-or-self with a decision; without one, the company itself, or the top
        # of its group when the company controls all customers (every ancestor is managed then).
        return SQL(
            """
            decided AS (
                SELECT DISTINCT h.partner_id AS id
                  FROM customer_credit_limit_history h
                 WHERE h.company_id = %(company)s
            ),
            walk AS (
                SELECT c.id AS start, c.id AS node, c.parent_id AS parent, 0 AS depth,
                       c.id IN (SELECT id FROM decided) AS hit
                  FROM res_partner c
                 WHERE %(starts)s AND c.parent_id IS NOT NULL AND c.id = c.commercial_partner_id
                UNION ALL
                -- a decision counts on a commercial entity only: one left on a partner since made
                -- a contact (a credit manager's move) is passed over, its company decides
                SELECT w.start, r.id, r.parent_id, w.depth + 1,
                       r.id = r.commercial_partner_id AND r.id IN (SELECT id FROM decided)
                  FROM walk w
                  -- the parent by its key (LIMIT: not flattened into a join, which with nested
                  -- loops off read the whole partner table at each step)
                  CROSS JOIN LATERAL (
                      SELECT r.id, r.parent_id, r.commercial_partner_id
                        FROM res_partner r WHERE r.id = w.parent LIMIT 1
                  ) r
                 WHERE NOT w.hit AND w.depth < %(max_depth)s
            ),
            groups AS (
                -- the company's setting read here, not in Python: reading one field of the
                -- company fetches its whole row (a hundred columns), half of the time of the
                -- exposure of one customer
                SELECT start AS commercial_id,
                       (ARRAY_AGG(node ORDER BY hit DESC, CASE
                            WHEN (SELECT credit_enforce_all FROM res_company WHERE id = %(company)s)
                            THEN -depth ELSE depth
                        END))[1] AS debtor_id
                  FROM walk
                 GROUP BY start
            )
            """,
            company=company.id,
            starts=SQL("TRUE") if starts is None else SQL("c.id IN (%s)", starts),
            max_depth=GROUP_DEPTH_MAX,
        )

    def _credit_check_start(self, company):
        """Start a credit check of documents of the debtors ``self`` (orders, invoices) in
        ``company``: the one set-up both checks share (风险控制, C8).

        Ends the grants of these debtors that expired since the monitoring last ran, serialises
        checks per debtor until the transaction ends, and returns {debtor id: (debtor as the
        system in ``company``, exposure)} for the debtors credit control applies to.
        """
        managed = self._credit_managed(company)
        if not managed:
            return {}
        # No document passes on a grant whose validity ended before the daily monitoring ran.
        managed._credit_expire_grants(company)
        # Two checks at the same moment for one debtor: this UPDATE makes the second wait for the
        # first and then fail with a serialization error (Odoo retries it), so that it sees the
        # first document in the exposure and both cannot slip under the limit.
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET credit_check_count = COALESCE(credit_check_count, 0) + 1"
                " WHERE id = ANY(%s)",
                sorted(managed.ids),
            )
        )
        managed.invalidate_recordset(["credit_check_count"])
        # sudo: limits, holds, terms and exposure are needed whoever sells or invoices
        partners = managed.sudo().with_company(company)
        partners.invalidate_recordset()
        figures = partners._credit_exposure_figures(company, partners.ids)
        return {partner.id: (partner, figures.get(partner.id, NO_FIGURES).exposure) for partner in partners}

    def _credit_block(self, exposure, amount):
        """Why this debtor may not owe ``amount`` more (company currency, tax included) on top of
        its ``exposure`` without a credit manager: ``"on_hold"``, ``"grade"`` (its grade holds
        every document), ``"limit"`` (past its credit limit), or None when it may. The one
        statement of the rule (风险控制, C8) for confirmations, confirmed orders that grow and
        invoices; each document says it in its own words. Call it on the debtor in its company."""
        self.ensure_one()
        currency = self.env.company.currency_id
        if currency.compare_amounts(amount, 0) <= 0:
            return None
        if self.credit_on_hold:
            return "on_hold"
        policy = self.credit_grade_id.sales_policy
        if policy == "hold_always":
            return "grade"
        if policy != "allow" and currency.compare_amounts(exposure + amount, self.credit_limit) > 0:
            return "limit"
        return None

    def _credit_is_managed(self, company):
        """Credit control applies to customers with a limit decided through customer_credit (an
        approved evaluation or application), or to all when the company switches it on."""
        self.ensure_one()
        return self.commercial_partner_id in self.commercial_partner_id._credit_managed(company)

    def _credit_managed(self, company):
        """The partners of ``self`` that credit control applies to in ``company``, in two queries:
        those with a credit decision there, and those a credit manager put on hold (a customer on
        hold is controlled even without a decided limit); every one when the company controls
        all customers."""
        if company.credit_enforce_all:
            return self
        History = self.env["customer.credit.limit.history"].sudo()  # sudo: existence of a decision only
        decided = History._read_group(
            [("partner_id", "in", self.ids), ("company_id", "=", company.id)], ["partner_id"]
        )
        # sudo: the hold flag, whoever asks
        held = self.sudo().with_company(company).filtered("credit_on_hold")
        return self & (self.browse([partner.id for (partner,) in decided]) | held.with_env(self.env))

    def _apply_credit_decision(
        self,
        limit,
        term_days,
        reason,
        evaluation=None,
        company=None,
        application=None,
        on_behalf_of=None,
        delegation=None,
    ):
        """Set the credit limit and term of a decision, with its limit-history row.

        The one home of every change of a customer's limit or term (信用授予规则): approved
        evaluations and credit applications, a credit manager's recorded change. The caller has
        checked the decision (role, state); this records it: previous and new limit and term, the
        reason, the approver (and on whose behalf, under which delegation), the evaluation or
        application behind it. Returns the history row; raises UserError on a negative limit or
        term, an empty reason, or a partner that is a contact of a customer (its customer's
        decisions control it: 信用授予规则, C8).
        """
        self.ensure_one()
        company = company or self.env.company
        self._credit_check_decided_on_customer()
        if limit < 0 or term_days < 0:
            raise UserError(self.env._("A credit limit or term cannot be negative."))
        if not (reason or "").strip():
            raise UserError(self.env._("A change of credit limit or term needs its reason."))
        partner = self.sudo().with_company(company)  # sudo: reads the limit Odoo reserves to accounting
        history = (
            self.env["customer.credit.limit.history"]
            .sudo()  # sudo: the history of a checked decision, whatever the decider's rights
            ._workflow_create(
                {
                    "partner_id": self.id,
                    "company_id": company.id,
                    "previous_limit": partner.credit_limit,
                    "new_limit": limit,
                    "previous_term_days": partner.credit_term_days,
                    "new_term_days": term_days,
                    "reason": reason.strip(),
                    "approver_id": self.env.user.id,
                    "approved_on_behalf_of_id": on_behalf_of.id if on_behalf_of else False,
                    "delegation_id": delegation.id if delegation else False,
                    "evaluation_id": evaluation.id if evaluation else False,
                    "application_id": application.id if application else False,
                }
            )
        )
        decided = {"credit_limit": limit, "credit_term_days": term_days}
        if evaluation:
            decided["credit_decided_grade_id"] = evaluation.grade_id.id
        partner._credit_decision_write(decided)
        # Noted on the customer's credit status, read by those who see its credit (not on the
        # customer, which every salesperson reads): that a decision was made; its figures and
        # reason stay in the limit history, which only the credit department reads.
        status = self.env["customer.credit.collection"]._status_of(partner, company)[partner.id]
        status = company._archive_for_reader(status)
        status.message_post(
            body=status.env._(
                "The credit limit and term were changed by a credit decision; its figures and reason "
                "are in the limit history."
            ),
            subtype_xmlid="mail.mt_note",
        )
        return history.with_env(self.env)

    def _credit_check_decided_on_customer(self):
        """Raise UserError unless every partner of ``self`` is a customer in its own right (its own
        commercial partner: a company, or a person on its own). A contact's credit is its
        customer's (``_credit_debtor``): a decision on it would control nothing, or, once a company
        were placed under it, take that company out of its group's limit (集团授信, C8)."""
        # A partner the user may not read is refused as reading it is (an evaluation or an
        # application names any partner id): neither named nor decided on.
        self.check_access("read")
        partners = self.sudo()  # sudo: which customer each partner belongs to, and their names
        contacts = partners.filtered(lambda partner: partner.commercial_partner_id != partner)
        if contacts:
            # each named with its customer, in a list of its own: in a generator inside the
            # message's call, Odoo's export did not find the term to translate
            named = [
                self.env._(
                    "%(contact)s is a contact of %(customer)s",
                    contact=contact.name,
                    customer=contact.commercial_partner_id.name,
                )
                for contact in contacts
            ]
            raise UserError(
                self.env._(
                    "Credit decisions are made on customers, not on their contacts: %(contacts)s.",
                    contacts=", ".join(named),
                )
            )

    def _credit_restore_decided_terms(self):
        """Give each partner of ``self`` that is a customer in its own right the credit limit and
        term of its latest credit decision in each company, and none where it has none there (the
        company's default, as a new customer has): they are set by its decisions only (信用授予规则).
        Odoo copies a company's limit to its contacts (a commercial field of accounting), and a
        merge writes the merged partners' values: a contact made a customer again (detached, made
        a company, or its parent deleted), or a partner others were merged into, kept a limit or a
        term that no decision of its own set. Raises nothing."""
        partners = self.sudo()  # sudo: the limits Odoo reserves to accounting, whoever moves them
        customers = partners.filtered(lambda partner: partner.commercial_partner_id == partner)
        if not customers:
            return
        History = self.env["customer.credit.limit.history"].sudo()  # sudo: the decisions made
        decided = {}
        for row in History.search([("partner_id", "in", customers.ids)], order="id"):  # the latest last
            company = str(row.company_id.id)
            limits, terms = decided.setdefault(row.partner_id.id, ({}, {}))
            limits[company], terms[company] = row.new_limit, row.new_term_days
        customers.flush_recordset(["credit_limit", "credit_term_days"])
        stored = [decided.get(partner_id, (None, None)) for partner_id in customers.ids]
        # one statement for all of them; the per-company values as Odoo stores them (jsonb)
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p SET credit_limit = v.limits::jsonb, credit_term_days = v.terms::jsonb
                  FROM unnest(%s::int[], %s::text[], %s::text[]) v (id, limits, terms)
                 WHERE p.id = v.id
                """,
                customers.ids,
                [json.dumps(limits) if limits else None for limits, _terms in stored],
                [json.dumps(terms) if terms else None for _limits, terms in stored],
            )
        )
        customers.invalidate_recordset(["credit_limit", "credit_term_days"])

    def action_credit_change_limit(self):
        """Open the form of a credit manager's recorded change of this customer's limit and term."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Credit Limit"),
            "res_model": "customer.credit.limit.change.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_company_id": self.env.company.id,
            },
        }

    def _credit_change_limit(self, limit, term_days, reason):
        """A credit manager's recorded change of the customer's limit and term (信用授予规则).

        Allowed to credit managers, and to a credit officer under a delegation (委托书) in force
        from a credit manager (recorded as on the manager's behalf). Takes the new limit, term
        (days) and the reason; returns the limit-history row. Raises AccessError for anyone else,
        UserError without a reason or with a negative limit or term.
        """
        self.ensure_one()
        on_behalf_of, delegation = self._credit_manager_authority(
            self.env._(
                "Only a credit manager, or a credit officer under a delegation from one, changes "
                "a customer's credit limit or term."
            )
        )
        return self.commercial_partner_id._apply_credit_decision(
            limit,
            term_days,
            reason,
            company=self.env.company,
            on_behalf_of=on_behalf_of,
            delegation=delegation,
        )

    # ------------------------------------------------------------------ exposure (C6)
    @api.depends_context("company", "uid")
    def _compute_credit_exposure(self):
        self._credit_exposure_to_cache()

    def _credit_exposure_to_cache(self):
        """Compute the exposure fields (``_credit_exposure_fields``) of ``self`` in one query.

        Each partner shows the figures and the limit of its debtor: a contact or a branch under a
        group's limit sees what it may still buy on that limit. The values go straight to the
        cache, which is what the field setters would do, without tens of thousands of setter calls.
        """
        company = self.env.company
        today = fields.Date.context_today(self)
        # The rows as the statement gives them, one per partner of self in its order (a new record,
        # a form being edited, shows the figures of the partner it stands for), read by columns:
        # thousands of partners, no tuple made and no value appended per partner.
        rows = {row[0]: row for row in self._credit_partner_rows(company, visible_only=True)}
        # the company's currency comes with the rows: reading it through the ORM took a third
        # of the time of the exposure of one customer; only a form of a new partner needs it here
        currency_id = next(iter(rows.values()))[-1] if rows else company.currency_id.id
        empty = (None, None, True, 0.0, *NO_FIGURES, currency_id)
        picked = [
            rows.get(pid if credit_db_id(pid) else getattr(pid, "origin", None), empty) for pid in self._ids
        ]
        _ids, _debtors, _visible, limits, *figures, currencies = (
            zip(*picked, strict=True) if picked else ((),) * 11
        )
        receivables, overdues, oldest, drafts, orders, exposures = figures
        columns = {
            "credit_currency_id": currencies,
            "credit_open_receivable": receivables,
            "credit_draft_invoiced": drafts,
            "credit_uninvoiced_orders": orders,
            "credit_exposure": exposures,
            "credit_available": [
                limit - exposure if limit else 0.0 for limit, exposure in zip(limits, exposures, strict=True)
            ],
            "credit_limit_shown": limits,
            "credit_over_limit": [
                bool(limit) and exposure > limit for limit, exposure in zip(limits, exposures, strict=True)
            ],
            "credit_overdue_amount": overdues,
            "credit_overdue_days": [(today - due).days if due else 0 for due in oldest],
        }
        for name, values in columns.items():
            self.env.cache.update(self, self._fields[name], values)

    # Odoo computes a field that is not stored by batches of a thousand records; the exposure of
    # all of them costs one query, about as long as for a thousand. The public read paths that
    # name exposure fields compute them for all their records first: read (web_read and
    # web_search_read too), search_fetch (search_read, web_search_read) and mapped.
    def read(self, fields=None, load="_classic_read"):
        self._credit_exposure_prefetch(fields)
        # Odoo formats each value through the field's descriptor, record by record: for 5,000
        # customers a third of the benchmark's floor. The exposure figures read as they are cached
        # (see CREDIT_READ_VALUE), so they are taken from the cache by column, after Odoo's own
        # read of the other fields has checked the records; the field access is checked first.
        exposure = self._credit_exposure_fields()
        plain = [
            name for name in fields or () if name in exposure and self._fields[name].type in CREDIT_READ_VALUE
        ]
        if len(self) < 2 or not plain or not all(credit_db_id(record_id) for record_id in self._ids):
            return super().read(fields, load)
        self.check_field_access_rights("read", fields)
        columns = {}
        for name in plain:
            column = self._credit_cached_column(name)
            if column is not None:
                columns[name] = column
        other = [name for name in fields if name not in columns and name != "id"]
        if other or not columns:
            result = super().read(other or ["id"], load)
            position = {record_id: index for index, record_id in enumerate(self._ids)}
            rows = [position[vals["id"]] for vals in result]
        else:
            # Odoo's read of the id alone, without formatting each record: the records checked as
            # its read checks them (fetch), one dict per record in their order
            self.fetch(["id"])
            result = [{"id": record_id} for record_id in self._ids]
            rows = None
        for name, column in columns.items():
            if rows is None:
                for vals, value in zip(result, column, strict=True):
                    vals[name] = value
            else:
                for vals, row in zip(result, rows, strict=True):
                    vals[name] = column[row]
        return result

    @api.model
    def search_fetch(self, domain, field_names, offset=0, limit=None, order=None):
        records = super().search_fetch(domain, field_names, offset, limit, order)
        records._credit_exposure_prefetch(field_names)
        return records

    def mapped(self, func):
        if isinstance(func, str):
            self._credit_exposure_prefetch([func.split(".", 1)[0]])
            # Odoo's mapped makes a record per value to convert it: an exposure figure is taken
            # from the cache by column, as read takes it
            field = self._fields.get(func)
            if field and field.type in CREDIT_READ_VALUE and func in self._credit_exposure_fields():
                column = self._credit_cached_column(func)
                if column is not None:
                    return column
        return super().mapped(func)

    def _credit_cached_column(self, name):
        """The values of the exposure figure ``name`` (a field of a type in ``CREDIT_READ_VALUE``)
        of the partners of ``self`` in their order, from the cache by column, as ``read`` and
        ``mapped`` give them; None for fewer than two partners, a new record or a value not cached
        (Odoo's own path then). Checks no access: the callers do, as Odoo's would."""
        if len(self) < 2 or not all(credit_db_id(record_id) for record_id in self._ids):
            return None
        field = self._fields[name]
        values = self.env.cache.get_until_miss(self, field)
        if len(values) < len(self):
            return None
        return list(map(CREDIT_READ_VALUE[field.type], values))

    def _credit_exposure_prefetch(self, field_names):
        """Compute the exposure fields of every partner of ``self`` not computed yet, in one
        query, when ``field_names`` (None: every field) names one of them."""
        names = self._credit_exposure_fields()
        if len(self) < 2 or (field_names is not None and not set(names).intersection(field_names)):
            return
        if not all(isinstance(partner_id, int) for partner_id in self._ids):
            return  # new records (forms) are computed on their own
        missing = self.browse(list(self.env.cache.get_missing_ids(self, self._fields["credit_exposure"])))
        if missing:
            missing._credit_exposure_to_cache()

    def _credit_partner_figures(self, company, visible_only=False):
        """The credit of each partner of ``self`` as its forms show it, in ``company``, in one
        query whatever their number: its debtor (``_credit_debtor``), whether the current user may
        see its credit (``_credit_visible_partners``), the debtor's credit limit and its figures
        (``_credit_figures_sql``).

        Takes the company and ``visible_only`` (leave out the partners whose credit the user may
        not see, and do not compute their debtors' figures); returns {partner id: PartnerCredit}
        for the partners of ``self`` in the database (a new record stands for its origin).
        """
        rows = self._credit_partner_rows(company, visible_only)
        return {
            partner_id: PartnerCredit(debtor_id, visible, credit_limit, CreditFigures(*figures))
            for partner_id, debtor_id, visible, credit_limit, *figures, _currency_id in rows
        }

    def _credit_partner_rows(self, company, visible_only=False):
        """The rows behind ``_credit_partner_figures`` (same arguments): a list of
        ``(partner id, debtor id, visible, credit limit, *CreditFigures, company currency id)``,
        floats for amounts."""
        ids = sorted({partner_id for partner_id in self._origin._ids if credit_db_id(partner_id)})
        if not ids:
            return []
        self._credit_flush()
        return self._credit_fetch(
            self._credit_partner_sql(company, ids, visible_only),
            many=len(ids) >= CREDIT_MANY,
            few=len(ids) <= CREDIT_FEW,
        )

    @api.model
    def _credit_partner_sql(self, company, ids, visible_only=False):
        """The statement of ``_credit_partner_rows`` for the partner ids ``ids`` (a list of
        integers; ``company`` and ``visible_only`` as there)."""
        visible = self._credit_visible_sql("p")
        few = len(ids) <= CREDIT_FEW
        # sudo: the limit, which Odoo reserves to accounting, in the company asked about
        limit_of_p = self.sudo().with_company(company)._field_to_sql("p", "credit_limit")  # sudo: see above
        # A partner that is its own debtor (most: customers) has its limit read with it; another
        # (a contact, a company in a group) has its debtor's read by its key (the same expression
        # on the alias p, there the debtor). Reading every debtor again took a thirtieth of the
        # statement for 5,000 customers.
        asked = self._credit_debtor_sql(
            company,
            credit_ids_sql(ids),
            where=visible if visible_only else None,
            many=not few,
            columns=SQL("%s AS own_limit", limit_of_p),
        )
        limit = SQL(
            "CASE WHEN a.debtor_id = a.id THEN a.own_limit"
            " ELSE (SELECT %s FROM res_partner p WHERE p.id = a.debtor_id) END",
            limit_of_p,
        )
        return self._credit_figures_sql(
            company,
            asked=asked,
            few=few,
            many=not few,
            select=SQL(
                """
                SELECT a.id, a.debtor_id, %(visible)s, COALESCE(%(limit)s, 0)::float8,
                       COALESCE(f.open_receivable, 0)::float8, COALESCE(f.overdue_amount, 0)::float8,
                       f.oldest_due, COALESCE(f.draft_invoiced, 0)::float8,
                       COALESCE(f.uninvoiced_orders, 0)::float8, COALESCE(f.exposure, 0)::float8,
                       (SELECT currency_id FROM res_company WHERE id = %(company)s)
                  FROM asked a
                  %(partner)s
                  LEFT JOIN figures f ON f.debtor_id = a.debtor_id
                """,
                # asked holds only the visible ones then
                visible=SQL("TRUE") if visible_only else visible,
                partner=SQL("")
                if visible_only
                else SQL("JOIN res_partner p ON p.id = a.id AND p.id = ANY(ARRAY(SELECT id FROM asked))"),
                limit=limit,
                company=company.id,
            ),
        )

    @api.model
    def _credit_exposure_fields(self):
        return (
            "credit_currency_id",
            "credit_open_receivable",
            "credit_draft_invoiced",
            "credit_uninvoiced_orders",
            "credit_exposure",
            "credit_available",
            "credit_limit_shown",
            "credit_over_limit",
            "credit_overdue_amount",
            "credit_overdue_days",
        )

    @api.model
    def _credit_exposure_figures(self, company, partner_ids=None):
        """The exposure of debtors (信用使用情况, C6), in company currency, tax included.

        Takes the company and debtor ids (``_credit_debtor``; every debtor with figures when
        ``partner_ids`` is None and ``self`` is empty); returns {debtor id: CreditFigures}, in one
        query whatever their number. A debtor's figures include its contacts and the companies
        controlled under its limit (集团授信); an id that is not its own debtor gets none.
        See ``_credit_figures_sql`` for what counts.
        """
        ids = list(self.ids if partner_ids is None else partner_ids)
        restrict = partner_ids is not None or bool(self)
        if restrict and not ids:
            return {}
        self._credit_flush()
        debtors = credit_ids_sql(ids) if restrict else None
        # every debtor (the monitoring, the overview) is never run on the generic plan for few
        few = restrict and len(ids) <= CREDIT_FEW
        many = len(ids) >= CREDIT_MANY
        query = self._credit_figures_sql(company, debtors, few=few, many=many)
        rows = self._credit_fetch(query, many=many, few=few)
        return {partner_id: CreditFigures(*figures) for partner_id, *figures in rows}

    @api.model
    def _credit_fetch(self, query, many=False, few=False):
        """Run one statement made by ``_credit_figures_sql`` and return its rows (a list of tuples).

        Takes the statement, ``many`` (it asks for the figures of at least ``CREDIT_MANY``
        partners) and ``few`` (at most ``CREDIT_FEW``). Some planner settings are changed for that
        statement only:
        - PostgreSQL's JIT compilation is off: its plan holds hundreds of expressions, whose
          compilation costs more than running it once the planner's estimate passes
          ``jit_above_cost`` (measured at 5,000 customers: 2.1 s with, 0.11 s without);
        - with ``many``, nested loops and sorts are off: the planner cannot know how many rows
          the CTEs hold, guesses too few, joins the thousands of order lines order by order
          through an index and sorts the 100,000 receivable lines to sum them per partner. On
          the first machine measured, hash joins took a seventh less time at 5,000 customers, as
          long at 2,000, a little more at 1,000; on a later one with a faster Python (December
          2026) a third less from 500 to 5,000 (1.66x the floor instead of 2.16x at 1,000) and a
          tenth more at 100, three times more for one customer: so from 200. From 21 since the
          partners are read by their keys (December 2026): with nested loops, the lines of 400
          orders were read order by order, each probe of the index sorting again the array of
          the orders asked about (199 customers: 114 ms instead of 15, 6.6x the floor); with the
          few partners of a form, the generic plan of ``few``. Hashing rather than
          sorting the lines, another fifteenth at 5,000; no parallel workers: without nested
          loops, the down payments' taxes were read by a parallel hash join that started two
          workers (10 ms) to find no row, on a machine whose other core runs Odoo. Without nested
          loops a join reads the other side whole: the statement reads the lines of drafts, down
          payments and of a part of the orders by the ids it found (``_credit_figures_sql``);
        - with ``few``, the statement is prepared once per cursor (a request, a scheduled job:
          Odoo's pool resets a connection it lends, which drops them) and runs on its
          generic plan (``plan_cache_mode``): planning its twenty-odd CTEs takes 3 to 5 ms, more
          than running it for a few partners (a form, an order check: 1.4 ms for one customer
          instead of 6.7). The generic plan expects few rows: at 100 partners it took twice as
          long as a fresh plan, at 1,000 thirty times (see ``_credit_prepared``). That plan
          reads every table through its indexes, by nested loops: planned for the CTEs' default
          estimates (hundreds of rows), it read the whole partner table twice, to find the
          contacts and the companies under the debtors asked about (December 2026, 5,000
          customers: 5.6 ms for one customer, 1.3 ms without sequential scans, hash and merge
          joins, against 2.1 ms for the benchmark's floor).
        The settings are set back after it (two round trips in all); if the statement fails, the
        transaction is aborted and its rollback takes the local settings back. Raises
        what the statement raises.
        """
        settings = {"jit": "off"}
        if many:
            settings["enable_nestloop"] = "off"
            settings["enable_sort"] = "off"
            settings["max_parallel_workers_per_gather"] = "0"
        prepared = self._credit_prepared(query) if few and not many else None
        if prepared:
            settings["plan_cache_mode"] = "force_generic_plan"
            # few rows everywhere: each read through an index, each join a nested loop on it
            settings["enable_seqscan"] = "off"
            settings["enable_hashjoin"] = "off"
            settings["enable_mergejoin"] = "off"
        cr = self.env.cr
        try:
            rows = self._credit_run(query, settings, prepared)
        except (psycopg2.errors.InvalidSqlStatementName, psycopg2.errors.DuplicatePreparedStatement) as error:
            # The connection has not the statement recorded for this cursor (a DISCARD ALL, a
            # transaction aborted before its PREPARE), or has it unrecorded (a PREPARE whose
            # statement then failed, a test cursor over another's connection): recorded as it
            # is, and run again.
            cr.execute("ROLLBACK TO SAVEPOINT customer_credit_fetch; RELEASE SAVEPOINT customer_credit_fetch")
            known = CREDIT_PREPARED.setdefault(cr, set())
            if isinstance(error, psycopg2.errors.InvalidSqlStatementName):
                known.discard(prepared[0])
            else:
                known.add(prepared[0])
            rows = self._credit_run(query, settings, prepared)
        # Only on success: a statement that fails aborts the transaction, and its rollback (or
        # its savepoint's) takes the settings back.
        cr.execute("ROLLBACK TO SAVEPOINT customer_credit_fetch; RELEASE SAVEPOINT customer_credit_fetch")
        return rows

    @api.model
    def _credit_run(self, query, settings, prepared):
        """Set ``settings`` for the transaction after a savepoint, then run ``query``, or the
        prepared statement ``prepared`` (see ``_credit_prepared``), preparing it first through a
        cursor that has not yet; in one round trip. Returns its rows; the caller rolls back
        to the savepoint ``customer_credit_fetch`` (which undoes the settings, nothing else: the
        statement only reads, and a prepared statement outlives rollbacks) and releases it."""
        cr = self.env.cr
        statement = query
        if prepared:
            name, text, params = prepared
            statement = SQL(
                "%s EXECUTE %s(%s)",
                # the statement's own text, its values as $1, $2...: none is formatted into it
                SQL("")
                if name in CREDIT_PREPARED.get(cr, ())
                else SQL("PREPARE %s AS %s;", SQL.identifier(name), SQL(text)),
                SQL.identifier(name),
                SQL(", ").join(SQL("%s", param) for param in params),
            )
        cr.execute(
            SQL(
                "SAVEPOINT customer_credit_fetch; SELECT %s; %s",
                SQL(", ").join(
                    SQL("set_config(%s, %s, true)", setting, value) for setting, value in settings.items()
                ),
                statement,
            ),
            # a prepared statement the connection has not, or has already, is no error to log:
            # _credit_fetch runs it again
            log_exceptions=not prepared,
        )
        rows = cr.fetchall()
        if prepared:
            CREDIT_PREPARED.setdefault(cr, set()).add(prepared[0])
        return rows

    @api.model
    def _credit_prepared(self, query):
        """``(name, text, params)`` to run the SQL object ``query`` as a prepared statement: its name
        (from its text, so that the same statement with other values reuses it), its text with
        ``$1``, ``$2``... for its values, and the values; None when a value is of a kind psycopg2
        would not pass as one parameter (a tuple), or the text has a literal ``%``."""
        params = query.params
        # A literal % (written %%) would reach PostgreSQL doubled: the PREPARE has no values, so
        # nothing unescapes it. None of the exposure statements has one; such a one runs as itself.
        literal_percent = re.search(r"%(?!s)", query.code)
        if not params or literal_percent or any(isinstance(param, tuple | dict) for param in params):
            return None
        counter = iter(range(1, len(params) + 1))
        text = re.sub(r"%s", lambda _match: f"${next(counter)}", query.code)
        name = "customer_credit_" + hashlib.sha1(text.encode()).hexdigest()[:24]
        return name, text, params

    @api.model
    def _credit_figures_sql(self, company, debtors=None, select=None, asked=None, few=False, many=False):
        """One statement with the exposure figures of the debtors that ``debtors`` (SQL selecting
        partner ids; every debtor when None) selects, or of the debtors of the partners that
        ``asked`` (SQL selecting ``(id, debtor_id)``, see ``_credit_debtor_sql``) selects; ``asked``
        is then a CTE that ``select`` reads too. Its CTE ``sources (id, debtor_id)`` maps every
        partner whose amounts count to its debtor; ``figures`` has (debtor_id, open_receivable,
        overdue_amount, oldest_due, draft_invoiced, uninvoiced_orders, exposure); ``select`` reads them, or
        the parts: ``order_line_amounts (id, order_id, debtor_id, currency_rate, amount)`` and
        ``draft_amounts (id, debtor_id, amount)``, which the invoice check reads too. ``few``: the
        debtors are at most ``CREDIT_FEW``, run on the generic plan of ``_credit_fetch``; ``many``:
        run by ``_credit_fetch`` with nested loops off (``asked`` made with ``many`` too).

        What counts, in company currency and tax included (what the customer will pay):
        - open receivables: residual of the posted, unreconciled receivable lines, credit notes and
          unapplied payments lowering it;
        - draft customer invoices, except their lines made from orders (the orders count them);
          draft credit notes lower nothing;
        - confirmed orders (state ``sale``; an order on credit hold is not confirmed): what is
          still to invoice of the ordered or delivered quantity, whichever is more, tax included,
          at the order's rate. Down payments are lines of their order: once invoiced they lower
          what remains to invoice, so the rest of the order and the down payment make the order's
          total once.
        Overdue: receivables past their due date, net of the customer's unapplied credits, which
        settle the oldest first; ``oldest_due`` is the due date of the oldest one left unsettled.
        """
        today = fields.Date.context_today(self)
        prelude = SQL("")
        if asked is not None:
            prelude = SQL("asked AS (%s),", asked)
            debtors = SQL("SELECT DISTINCT debtor_id FROM asked")
        if debtors is None:
            scope = SQL("")
            starts = None
            restrict = moves_of_sources = orders_of_sources = SQL("TRUE")
            lines_of_sources = SQL("l.partner_id IN (SELECT id FROM sources)")
            lines_of_credit_sources = SQL("l.partner_id IN (SELECT id FROM credit_sources)")
        else:
            # Partners whose debtor is wanted: those of the wanted ones and of the companies under
            # them in their groups, found by their commercial partner.
            scope = SQL("%s wanted AS (%s),", prelude, debtors)
            if few:
                # a form, an order check: the partners under the wanted ones, by their parent
                scope = SQL(
                    """
                    %s
                    down AS (
                        SELECT id FROM res_partner WHERE id IN (SELECT * FROM wanted)
                        UNION
                        SELECT c.id FROM res_partner c JOIN down d ON c.parent_id = d.id
                    ),
                    """,
                    scope,
                )
                starts = SQL("SELECT id FROM down")
                commercials = SQL("p.commercial_partner_id IN (SELECT id FROM down)")
            else:
                # The groups of every company with a parent (few, by a partial index), kept when
                # their debtor is wanted. Going down from the wanted ones read every contact of
                # theirs, and with nested loops off the whole partner table at each step: at 1,000
                # customers among 50,000 partners, twice the floor of the benchmark instead of 1x.
                starts = None
                wanted_commercials = SQL(
                    "SELECT * FROM wanted UNION SELECT commercial_id FROM groups"
                    " WHERE debtor_id IN (SELECT * FROM wanted)"
                )
                # With nested loops off (``many``), their partners by the index, never joined (a
                # join read the whole partner table). Otherwise (a search) joined as PostgreSQL
                # estimates: an array hid their number, which it then guessed at five, and joined
                # 1,670 partners to 6,667 orders by comparing every pair (1.1 s of a 1.2 s filter).
                commercials = SQL(
                    "p.commercial_partner_id = ANY(ARRAY(%s))" if many else "p.commercial_partner_id IN (%s)",
                    wanted_commercials,
                )
            restrict = SQL(
                "%s AND COALESCE(g.debtor_id, p.commercial_partner_id) IN (SELECT * FROM wanted)",
                commercials,
            )
            # Receivable lines, drafts and orders of the sources only, read through the partner
            # indexes: an array computed once lets PostgreSQL probe the index rather than read
            # every line, order and draft.
            moves_of_sources = SQL("m.partner_id = ANY(ARRAY(SELECT id FROM sources))")
            orders_of_sources = SQL("o.partner_invoice_id = ANY(ARRAY(SELECT id FROM sources))")
            lines_of_sources = SQL("l.partner_id = ANY(ARRAY(SELECT id FROM sources))")
            lines_of_credit_sources = SQL("l.partner_id = ANY(ARRAY(SELECT id FROM credit_sources))")
        # The lines of the confirmed orders: of every debtor, in one pass; of few partners (nested
        # loops on), joined through the index order by order. Otherwise through the index by order
        # when the orders are a part of the book, in one pass over every line when they are most
        # of it, decided as the statement runs (PostgreSQL skips the other branch): the planner
        # cannot know how many orders it finds, and without nested loops (many partners) a join
        # read every line of the book for a page of 200 customers (twice the time at 200
        # customers among 5,000), the index 7 % slower for 5,000 customers among 5,000. For few
        # partners the two branches took a third longer.
        order_share = SQL("")
        order_lines = self._credit_order_lines_sql(SQL("TRUE"))
        if debtors is not None and not few:
            order_share = SQL(
                """
                order_share AS (
                    -- whether the confirmed orders of the sources are half the orders or more
                    -- (PostgreSQL's estimate of the table's rows, not a count)
                    SELECT (SELECT COUNT(*) FROM confirmed_orders) * 2
                           >= (SELECT reltuples FROM pg_class WHERE oid = 'sale_order'::regclass) AS most
                ),
                """
            )
            order_lines = SQL(
                "%s UNION ALL %s",
                self._credit_order_lines_sql(
                    SQL(
                        "l.order_id = ANY(ARRAY(SELECT id FROM confirmed_orders))"
                        " AND NOT (SELECT most FROM order_share)"
                    )
                ),
                self._credit_order_lines_sql(SQL("(SELECT most FROM order_share)")),
            )
        return SQL(
            """
            WITH RECURSIVE %(scope)s %(groups)s,
            sources AS (
                SELECT p.id, COALESCE(g.debtor_id, p.commercial_partner_id) AS debtor_id
                  FROM res_partner p
                  LEFT JOIN groups g ON g.commercial_id = p.commercial_partner_id
                 WHERE %(restrict)s
            ),
            receivable_lines AS (
                -- the posted, unreconciled receivable lines of the sources
                %(receivable_lines)s
            ),
            partner_balances AS (
                -- summed per partner first, then per debtor: the lines are read once, never copied
                SELECT partner_id,
                       SUM(amount_residual) AS open_amount,
                       SUM(amount_residual) FILTER (WHERE amount_residual > 0 AND date_maturity < %(today)s)
                           AS overdue,
                       -SUM(amount_residual) FILTER (WHERE amount_residual < 0) AS credit,
                       MIN(date_maturity) FILTER (WHERE amount_residual > 0 AND date_maturity < %(today)s)
                           AS first_due
                  FROM receivable_lines
                 GROUP BY partner_id
            ),
            balances AS (
                SELECT s.debtor_id,
                       SUM(pb.open_amount) AS open_amount,
                       COALESCE(SUM(pb.overdue), 0) AS overdue,
                       COALESCE(SUM(pb.credit), 0) AS credit,
                       MIN(pb.first_due) AS first_due
                  FROM partner_balances pb
                  JOIN sources s ON s.id = pb.partner_id
                 GROUP BY s.debtor_id
            ),
            credit_sources AS (
                SELECT id, debtor_id
                  FROM sources
                 WHERE debtor_id IN (SELECT debtor_id FROM balances WHERE credit > 0)
            ),
            credit_lines AS (
                -- the receivable lines of the debtors with unapplied credits (few), read again
                %(credit_lines)s
            ),
            settled AS (
                -- unapplied credits settle the oldest overdue receivables first
                SELECT s.debtor_id, l.date_maturity,
                       SUM(l.amount_residual)
                           OVER (PARTITION BY s.debtor_id ORDER BY l.date_maturity, l.id) AS running
                  FROM credit_lines l
                  JOIN credit_sources s ON s.id = l.partner_id
                 WHERE l.amount_residual > 0 AND l.date_maturity < %(today)s
            ),
            oldest AS (
                SELECT t.debtor_id, MIN(t.date_maturity) AS oldest_due
                  FROM settled t
                  JOIN balances b ON b.debtor_id = t.debtor_id
                 WHERE t.running > b.credit
                 GROUP BY t.debtor_id
            ),
            receivable AS (
                SELECT b.debtor_id, b.open_amount, GREATEST(b.overdue - b.credit, 0) AS overdue_amount,
                       CASE WHEN b.credit > 0 THEN o.oldest_due ELSE b.first_due END AS oldest_due
                  FROM balances b
                  LEFT JOIN oldest o ON o.debtor_id = b.debtor_id
            ),
            draft_moves AS (
                SELECT m.id, s.debtor_id, m.amount_total_signed
                  FROM account_move m
                  JOIN sources s ON s.id = m.partner_id
                 WHERE %(moves_of_sources)s
                   AND m.company_id = %(company)s
                   AND m.state = 'draft'
                   AND m.move_type IN ('out_invoice', 'out_receipt')
            ),
            draft_lines AS (
                -- read through the index of their moves, never joined: with nested loops off (many
                -- partners, _credit_fetch) a join read every line of the table
                SELECT il.move_id, il.price_total,
                       EXISTS (SELECT 1 FROM sale_order_line_invoice_rel r WHERE r.invoice_line_id = il.id)
                           AS from_order
                  FROM account_move_line il
                 WHERE il.move_id = ANY(ARRAY(SELECT id FROM draft_moves))
                   AND il.display_type = 'product'
            ),
            draft_shares AS (
                -- drafts with lines made from orders: the share of their other lines
                SELECT move_id,
                       COALESCE(SUM(price_total) FILTER (WHERE NOT from_order), 0)
                           / NULLIF(SUM(price_total), 0) AS share
                  FROM draft_lines
                 GROUP BY move_id
                HAVING bool_or(from_order)
            ),
            draft_amounts AS (
                -- what each draft customer invoice counts: all of it, or the share of its lines
                -- not made from orders
                SELECT dm.id, dm.debtor_id,
                       dm.amount_total_signed
                           * CASE WHEN ds.move_id IS NULL THEN 1 ELSE COALESCE(ds.share, 0) END AS amount
                  FROM draft_moves dm
                  LEFT JOIN draft_shares ds ON ds.move_id = dm.id
            ),
            drafts AS (
                SELECT debtor_id, SUM(amount) AS amount FROM draft_amounts GROUP BY debtor_id
            ),
            confirmed_orders AS (
                SELECT o.id, s.debtor_id, o.currency_rate
                  FROM sale_order o
                  JOIN sources s ON s.id = o.partner_invoice_id
                 WHERE %(orders_of_sources)s
                   AND o.company_id = %(company)s
                   AND o.state = 'sale'
            ),
            %(order_share)s
            order_lines AS (
                %(order_lines)s
            ),
            down_payment_links AS (
                -- the invoice lines of the down payment lines (no quantity) invoiced: few
                SELECT r.order_line_id, r.invoice_line_id
                  FROM sale_order_line_invoice_rel r
                 WHERE r.order_line_id = ANY(ARRAY(
                           SELECT id FROM order_lines WHERE subtotal = 0 AND invoiced <> 0
                       ))
            ),
            down_payment_taxes AS (
                -- their tax: that of their posted invoice lines. Not a subquery per order line:
                -- PostgreSQL costs one for every line, and that estimate (2.2 million at 20,000
                -- lines) made it compile every search embedding the statement (JIT, 2 s). The
                -- lines by their index, as the drafts' lines are.
                SELECT dl.order_line_id,
                       SUM(ABS(il.price_total)) / NULLIF(SUM(ABS(il.price_subtotal)), 0) AS factor
                  FROM down_payment_links dl
                  JOIN account_move_line il ON il.id = dl.invoice_line_id
                 WHERE il.id = ANY(ARRAY(SELECT invoice_line_id FROM down_payment_links))
                   AND il.parent_state = 'posted'
                 GROUP BY dl.order_line_id
            ),
            order_line_amounts AS (
                -- what each line of a confirmed order still has to invoice, tax included, in the
                -- order's currency: the ordered or delivered amount, whichever is more, less what
                -- was invoiced (a posted down payment makes its line negative). Most lines have
                -- nothing invoiced nor delivered beyond the order: their whole total, what the
                -- rule gives them, without its division (a tenth of the orders' part at 5,000
                -- customers)
                SELECT ol.id, ol.order_id, ol.debtor_id, ol.currency_rate,
                       CASE
                           WHEN ol.invoiced = 0 AND ol.subtotal <> 0 AND ol.to_invoice <= ol.subtotal
                           THEN ol.price_total
                           ELSE (GREATEST(ol.subtotal, ol.to_invoice + ol.invoiced) - ol.invoiced)
                                * CASE
                                      WHEN ol.subtotal <> 0 THEN ol.price_total / ol.subtotal
                                      WHEN ol.invoiced = 0 THEN 1
                                      ELSE COALESCE(t.factor, 1)
                                  END
                       END AS amount
                  FROM order_lines ol
                  LEFT JOIN down_payment_taxes t ON t.order_line_id = ol.id
            ),
            short_orders AS (
                -- an order whose invoiced down payments pass what remains counts zero, not less:
                -- what its lines sum below zero is added back (only orders with a negative line)
                SELECT debtor_id, -SUM(amount) / COALESCE(NULLIF(currency_rate, 0), 1) AS amount
                  FROM order_line_amounts
                 WHERE order_id IN (SELECT order_id FROM order_line_amounts WHERE amount < 0)
                 GROUP BY order_id, debtor_id, currency_rate
                HAVING SUM(amount) < 0
            ),
            orders AS (
                SELECT debtor_id, SUM(amount) AS amount
                  FROM (
                      -- in company currency (orders in it, most of them, without a division)
                      SELECT debtor_id,
                             CASE
                                 WHEN currency_rate = 1 THEN amount
                                 ELSE amount / COALESCE(NULLIF(currency_rate, 0), 1)
                             END AS amount
                        FROM order_line_amounts
                      UNION ALL
                      SELECT debtor_id, amount FROM short_orders
                  ) parts
                 GROUP BY debtor_id
            ),
            figures AS (
                SELECT COALESCE(r.debtor_id, d.debtor_id, o.debtor_id) AS debtor_id,
                       COALESCE(r.open_amount, 0) AS open_receivable,
                       COALESCE(r.overdue_amount, 0) AS overdue_amount,
                       r.oldest_due,
                       COALESCE(d.amount, 0) AS draft_invoiced,
                       COALESCE(o.amount, 0) AS uninvoiced_orders,
                       -- the exposure: its one definition
                       COALESCE(r.open_amount, 0) + COALESCE(d.amount, 0) + COALESCE(o.amount, 0)
                           AS exposure
                  FROM receivable r
                  FULL JOIN drafts d ON d.debtor_id = r.debtor_id
                  FULL JOIN orders o ON o.debtor_id = COALESCE(r.debtor_id, d.debtor_id)
            )
            %(select)s
            """,
            scope=scope,
            groups=self._credit_groups_sql(company, starts),
            restrict=restrict,
            moves_of_sources=moves_of_sources,
            orders_of_sources=orders_of_sources,
            order_share=order_share,
            order_lines=order_lines,
            # Read once for the balances, then again for the few debtors whose unapplied credits
            # settle overdue lines: a second reading of all of them, joined to the sources by a
            # planner expecting one line, took seconds.
            receivable_lines=self._credit_receivable_lines_sql(company, lines_of_sources),
            credit_lines=self._credit_receivable_lines_sql(company, lines_of_credit_sources),
            company=company.id,
            today=today,
            select=select
            or SQL(
                # float8: what Python reads anyway, without converting each numeric on the way
                "SELECT debtor_id, open_receivable::float8, overdue_amount::float8, oldest_due,"
                " draft_invoiced::float8, uninvoiced_orders::float8, exposure::float8 FROM figures"
            ),
        )

    @api.model
    def _credit_order_lines_sql(self, condition):
        """SQL selecting the lines of the CTE ``confirmed_orders`` of ``_credit_figures_sql`` that
        ``condition`` (SQL on the line's alias ``l``) keeps: ``(id, order_id, debtor_id,
        currency_rate, subtotal, price_total, to_invoice, invoiced)``."""
        return SQL(
            """
            SELECT l.id, o.id AS order_id, o.debtor_id, o.currency_rate,
                   COALESCE(l.price_subtotal, 0) AS subtotal, l.price_total,
                   COALESCE(l.untaxed_amount_to_invoice, 0) AS to_invoice,
                   COALESCE(l.untaxed_amount_invoiced, 0) AS invoiced
              FROM sale_order_line l
              JOIN confirmed_orders o ON o.id = l.order_id
             WHERE %s
            """,
            condition,
        )

    @api.model
    def _credit_receivable_lines_sql(self, company, partners):
        """SQL selecting ``(id, partner_id, date_maturity, amount_residual)`` of the posted,
        unreconciled receivable lines of ``company`` that ``partners`` (SQL condition on the
        line's alias ``l``) keeps, for ``_credit_figures_sql``."""
        return SQL(
            """
            SELECT l.id, l.partner_id, l.date_maturity, l.amount_residual
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
             WHERE l.company_id = %s
               AND l.parent_state = 'posted'
               AND a.account_type = 'asset_receivable'
               AND NOT l.reconciled
               AND %s
            """,
            company.id,
            partners,
        )

    @api.model
    def _credit_document_amounts(self, company, debtor_ids, move_ids=(), order_line_ids=()):
        """What the exposure of ``debtor_ids`` counts for some of their documents, by the same rules
        as ``_credit_figures_sql`` (one home for them), in one query.

        Takes draft customer invoice ids and confirmed order line ids; returns
        ``({invoice id: amount counted while draft, company currency},
        {order line id: (order id, order's currency rate, amount still to invoice, tax included,
        order currency)})``. Documents of other debtors are left out.
        """
        self._credit_flush()
        few = len(debtor_ids) <= CREDIT_FEW
        rows = self._credit_fetch(
            self._credit_figures_sql(
                company,
                # a document without a customer has no debtor (False): nothing to read for it
                credit_ids_sql([debtor_id for debtor_id in debtor_ids if debtor_id]),
                few=few,
                select=SQL(
                    """
                    SELECT 'move', id, NULL::int, NULL::numeric, amount
                      FROM draft_amounts WHERE id = ANY(%(moves)s)
                    UNION ALL
                    SELECT 'line', id, order_id, currency_rate, amount
                      FROM order_line_amounts WHERE id = ANY(%(lines)s)
                    """,
                    moves=list(move_ids),
                    lines=list(order_line_ids),
                ),
            ),
            few=few,
        )
        drafts, lines = {}, {}
        for kind, record_id, order_id, rate, amount in rows:
            if kind == "move":
                drafts[record_id] = amount or 0.0
            else:
                lines[record_id] = (order_id, rate or 1.0, amount or 0.0)
        return drafts, lines

    def _credit_previews(self, company):
        """What the order and invoice forms show of the customers ``self`` (invoice addresses,
        contacts or companies) in ``company``, read-only (C6/C8: credit where decisions are made).

        Returns {partner id: CreditPreview} in a bounded number of queries whatever their number:
        the debtor (``_credit_debtor``, as the system in ``company``) and its figures, and whether
        the current user may see its credit (``_credit_visible_partners``, through the partner
        asked about, as on the partner form), in one query (``_credit_partner_figures``); whether
        credit control applies to it (``_credit_managed``). Unlike ``_credit_check_start`` it neither
        ends expired grants nor locks the debtor: the check at confirmation or posting does.
        """
        partners = self.filtered(lambda partner: credit_db_id(partner.id))
        if not partners:
            return {}
        credits = partners._credit_partner_figures(company)
        debtor_ids = sorted({credit.debtor_id for credit in credits.values()})
        debtors = self.browse(debtor_ids).sudo()  # sudo: limits, holds and grades decide the check
        debtors = debtors.with_company(company)
        managed = debtors._credit_managed(company)
        return {
            partner_id: CreditPreview(
                debtors.browse(credit.debtor_id),
                credit.figures,
                credit.debtor_id in managed.ids,
                credit.visible,
            )
            for partner_id, credit in credits.items()
        }

    def _credit_unseen(self):
        """The partners of ``self`` that are another salesperson's customers, whose credit the
        current user does not see, even when ``self`` is read as superuser (``_credit_seen_by``).
        A check that refuses for them refuses alike, controlled or not, so that its refusal tells
        nothing of their credit control. A customer nobody sells to is not among them, so that
        accountants and sales staff still place partners under it (checked on its control as
        before); nor is any for the archive office, which reassigns and merges customers."""
        if self.env.user.has_group(ARCHIVE_OFFICER):
            return self.browse()
        unseen = self - self._credit_seen_by(self.env.user)
        stored = unseen.sudo()  # sudo: whose customer each is, whatever the user's rights
        return unseen.browse(stored.filtered(lambda partner: partner.commercial_partner_id.user_id).ids)

    def _credit_visible_partners(self):
        """The partners of ``self`` whose credit the current user sees: all for the system, else
        ``_credit_seen_by`` the user."""
        if self.env.su:
            return self
        return self._credit_seen_by(self.env.user)

    def _credit_seen_by(self, user):
        """The partners of ``self`` whose credit ``user`` sees: sales staff their own customers'
        (the salesperson of the commercial partner); the credit department and the general
        management (customer_archive's executives) every one's. The one home of that rule (the
        record rules of the credit records say the same in their domains)."""
        if user._is_superuser() or user.has_group(CREDIT_OFFICER) or user.has_group(EXECUTIVE):
            return self
        # sudo: whose customer each partner is, whatever its company; as stored (``_origin``), not
        # as a form's answer (onchange) with the user put in as salesperson would have it
        salesperson = {partner: (partner._origin or partner).sudo() for partner in self}  # sudo: above
        return self.filtered(lambda partner: salesperson[partner].commercial_partner_id.user_id == user)

    @api.model
    def _credit_flush(self):
        """Write pending changes of what the credit queries read."""
        for model in (
            "account.move.line",
            "account.move",
            "sale.order.line",
            "sale.order",
            "res.partner",
            "customer.credit.limit.history",
        ):
            # Flushing a model walks all its fields (hundreds on lines and partners), pending or
            # not: a millisecond per exposure read when nothing is pending, which is most reads.
            # A model is flushed when it has a change to write or a field to compute, checked
            # before each (computing one model's fields can leave another's to write).
            if self._credit_has_pending(model):
                self.env[model].flush_model()
        self.env["res.company"].flush_model(["credit_enforce_all"])  # read by the group walk

    @api.model
    def _credit_has_pending(self, model_name):
        """Whether the model ``model_name`` has changes to write or stored fields to compute."""
        pending = itertools.chain(self.env.cache.get_dirty_fields(), self.env.fields_to_compute())
        return any(field.model_name == model_name for field in pending)

    @api.model
    def _credit_visible_sql(self, alias):
        """SQL condition on the partner ``alias``: its credit figures are visible to the user. The
        same rule as ``_credit_visible_partners``, for searches."""
        user = self.env.user
        if self.env.su or user.has_group(CREDIT_OFFICER) or user.has_group(EXECUTIVE):
            return SQL("TRUE")
        return SQL(
            "%s IN (SELECT id FROM res_partner WHERE user_id = %s)",
            SQL.identifier(alias, "commercial_partner_id"),
            user.id,
        )

    def _search_credit_over_limit(self, operator, value):
        """Partners whose debtor's exposure passes its limit, as one SQL subquery."""
        # A search is a read: nobody asks yes/no questions about a value hidden from them.
        self.check_field_access_rights("read", ["credit_over_limit"])
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the credit limit."))
        company = self.env.company
        # sudo: limits, Odoo reserves them to accounting; only partners with a limit can be over it
        limit = self.sudo().with_company(company)._field_to_sql("d", "credit_limit")  # sudo: see above
        self._credit_flush()
        over = self._credit_figures_sql(
            company,
            SQL("SELECT d.id FROM res_partner d WHERE %s > 0", limit),
            select=SQL(
                """
                SELECT s.id
                  FROM sources s
                  JOIN figures f ON f.debtor_id = s.debtor_id
                  JOIN res_partner d ON d.id = f.debtor_id
                  JOIN res_partner p ON p.id = s.id
                 WHERE f.exposure > %s AND %s
                """,
                limit,
                self._credit_visible_sql("p"),
            ),
        )
        return [("id", "in" if (operator == "=") == value else "not in", SQL("(%s)", over))]

    # Each exposure figure is searched as one SQL condition that finds what the field shows: the
    # figure of the partner's debtor, 0 for a partner whose figures the user may not see. Odoo
    # passes a search method the operator and the value only: one method per field.
    def _search_credit_open_receivable(self, operator, value):
        return self._credit_figure_domain("credit_open_receivable", operator, value)

    def _search_credit_draft_invoiced(self, operator, value):
        return self._credit_figure_domain("credit_draft_invoiced", operator, value)

    def _search_credit_uninvoiced_orders(self, operator, value):
        return self._credit_figure_domain("credit_uninvoiced_orders", operator, value)

    def _search_credit_exposure(self, operator, value):
        return self._credit_figure_domain("credit_exposure", operator, value)

    def _search_credit_available(self, operator, value):
        return self._credit_figure_domain("credit_available", operator, value)

    def _search_credit_limit_shown(self, operator, value):
        return self._credit_figure_domain("credit_limit_shown", operator, value)

    def _search_credit_overdue_amount(self, operator, value):
        return self._credit_figure_domain("credit_overdue_amount", operator, value)

    @api.model
    def _credit_figure_domain(self, field_name, operator, value):
        """Domain finding the partners whose exposure figure ``field_name`` (one of the amounts of
        ``_credit_exposure_to_cache``) compares to ``value`` (a number; False is 0) by ``operator``
        (=, !=, <, <=, >, >=), as one SQL subquery (issue 13, 3: searches on computed fields in
        SQL; C6 exposure). Each partner has its debtor's figure, in the company of the environment,
        and 0 when the user may not see it, as the field reads. Raises AccessError when the user may
        not read the field, UserError for another operator or value."""
        # A search is a read: nobody asks questions about a value hidden from them.
        self.check_field_access_rights("read", [field_name])
        comparisons = {"=": eq, "!=": ne, "<": lt, "<=": le, ">": gt, ">=": ge}
        if value is False:
            value = 0
        try:  # a number PostgreSQL compares as the field reads it: a finite float8
            number = (
                isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(float(value))
            )
        except OverflowError:
            number = False
        if operator not in comparisons or not number:
            raise UserError(
                self.env._(
                    "Unsupported search on %(field)s: compare it with a number (=, !=, <, <=, >, >=).",
                    field=self._fields[field_name].get_description(self.env)["string"],
                )
            )
        company = self.env.company
        Limits = self.sudo().with_company(company)  # sudo: limits are accounting's; this one is shown
        # Compared as the field reads them, in float8: a figure made by a division (a draft's share,
        # an order partly invoiced or in another currency) has more decimals than the value read.
        limit = SQL("COALESCE(%s, 0)::float8", Limits._field_to_sql("d", "credit_limit"))
        exposure = SQL("COALESCE(f.exposure, 0)::float8")
        figure = {
            "credit_open_receivable": SQL("COALESCE(f.open_receivable, 0)::float8"),
            "credit_draft_invoiced": SQL("COALESCE(f.draft_invoiced, 0)::float8"),
            "credit_uninvoiced_orders": SQL("COALESCE(f.uninvoiced_orders, 0)::float8"),
            "credit_exposure": exposure,
            # as the field: nothing available without a limit
            "credit_available": SQL("CASE WHEN %s <> 0 THEN %s - %s ELSE 0 END", limit, limit, exposure),
            "credit_limit_shown": limit,
            "credit_overdue_amount": SQL("COALESCE(f.overdue_amount, 0)::float8"),
        }[field_name]
        # Every partner whose figure is hidden or has no figures reads 0: when 0 matches, the
        # partners seen whose figure does not match are left out, rather than everybody else listed.
        zero_matches = comparisons[operator](0, value)
        condition = SQL("%s %s %s", figure, SQL(operator), value)
        self._credit_flush()
        found = self._credit_figures_sql(
            company,
            select=SQL(
                """
                SELECT s.id
                  FROM sources s
                  JOIN res_partner p ON p.id = s.id
                  JOIN res_partner d ON d.id = s.debtor_id
                  LEFT JOIN figures f ON f.debtor_id = s.debtor_id
                 WHERE %s AND %s(%s)
                """,
                self._credit_visible_sql("p"),
                SQL("NOT ") if zero_matches else SQL(""),
                condition,
            ),
        )
        return [("id", "not in" if zero_matches else "in", SQL("(%s)", found))]

    def _search_credit_overdue_days(self, operator, value):
        """Partners whose debtor's oldest unsettled overdue receivable is ``operator value`` days
        old (0 when nothing is overdue), as one SQL subquery."""
        # A search is a read: nobody asks yes/no questions about a value hidden from them.
        self.check_field_access_rights("read", ["credit_overdue_days"])
        comparisons = {
            ">": (SQL(">"), 0 > value if isinstance(value, int) else False),
            ">=": (SQL(">="), 0 >= value if isinstance(value, int) else False),
            "<": (SQL("<"), 0 < value if isinstance(value, int) else False),
            "<=": (SQL("<="), 0 <= value if isinstance(value, int) else False),
            "=": (SQL("="), value == 0),
        }
        if operator not in comparisons or not isinstance(value, int) or isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue days."))
        sql_operator, zero_matches = comparisons[operator]
        days = SQL("(%s - f.oldest_due) %s %s", fields.Date.context_today(self), sql_operator, value)
        self._credit_flush()
        # Partners with nothing overdue have 0 days: when 0 matches, exclude the overdue ones that
        # do not match rather than list everybody else. Only receivables are read (PostgreSQL skips
        # the CTEs of drafts and orders that nothing reads).
        overdue = self._credit_figures_sql(
            self.env.company,
            select=SQL(
                """
                SELECT s.id
                  FROM sources s
                  JOIN receivable f ON f.debtor_id = s.debtor_id
                  JOIN res_partner p ON p.id = s.id
                 WHERE f.oldest_due IS NOT NULL AND (%s) = %s AND %s
                """,
                days,
                not zero_matches,
                self._credit_visible_sql("p"),
            ),
        )
        return [("id", "not in" if zero_matches else "in", SQL("(%s)", overdue))]

    # --- customer hold (C8)
    # Episodes of the daily monitoring (see customer.credit.monitoring): technical, per company.
    credit_warning_date = fields.Date(
        company_dependent=True,
        copy=False,
        groups="base.group_system",
        help="When the current utilisation warning was given; empty once the exposure fell below the "
        "warning threshold.",
    )
    credit_review_requested_date = fields.Date(
        company_dependent=True,
        copy=False,
        groups="base.group_system",
        help="When a re-evaluation of the current evaluation was last asked for.",
    )

    def _credit_manager_authority(self, refusal):
        """Return ``(on_behalf_of, delegation)`` of the current user for a credit manager's
        decision on customers (a hold, a limit change): empty for a credit manager, the delegator
        and the delegation for a deputy under a delegation (委托书) in force from a credit manager.
        Raises AccessError with the message ``refusal`` for anyone else."""
        user = self.env.user
        Delegation = self.env["customer.archive.delegation"]
        if user.has_group(CREDIT_MANAGER):
            return user.browse(), Delegation
        delegation = Delegation._active_delegation_for(user, CREDIT_MANAGER)
        if not delegation:
            raise AccessError(refusal)
        return delegation.delegator_id, delegation

    def _credit_set_hold(self, on, reason, automatic=False, company=None, monitoring_keys=None):
        """Put the customers of ``self`` on credit hold (``on``) or lift their hold (信用冻结, C8).

        The one home of customer-level holds: the partner form and list actions (through the hold
        wizard) and the daily monitoring use it. Takes the reason (required), ``automatic`` for the
        monitoring's holds (only the system may pass it), the company (default: the current one) and
        ``monitoring_keys`` {partner id: key of the overdue episode} for automatic holds. Records a
        credit event per customer (by whom, on whose behalf under a delegation, why), writes the
        hold through the credit decision, and tells the salesperson (and, for an automatic hold, the
        credit managers) by an activity in their own language. Customers already in the wanted
        state are left as they are. Returns the customers changed.

        Raises AccessError unless the user is a credit manager, a deputy under a delegation from
        one, or the system; UserError without a reason.
        """
        company = company or self.env.company
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the customer's credit hold is set or lifted."))
        if automatic and not self.env.su:
            raise AccessError(self.env._("Only the credit monitoring puts customers on hold automatically."))
        on_behalf_of = self.env["res.users"]
        if not self.env.su:
            on_behalf_of, _delegation = self._credit_manager_authority(
                self.env._(
                    "Only a credit manager, or a deputy under a delegation from one, puts a customer on "
                    "credit hold or lifts the hold."
                )
            )
        partners = self.commercial_partner_id.with_company(company)
        # sudo: reads the hold of the customers the decision is about, whatever the decider's rights
        partners = (
            partners.sudo().filtered(lambda partner: partner.credit_on_hold != on).with_env(partners.env)
        )
        if not partners:
            return partners
        monitoring_keys = dict(monitoring_keys or {})
        if not on:
            monitoring_keys.update(self._credit_lift_keys(partners, company))
        # An automatic hold is recorded by its note and its credit event, not by a tracking message
        # per customer as well (the monitoring holds thousands at once).
        partners.with_context(mail_notrack=automatic)._credit_decision_write({"credit_on_hold": on})
        user = self.env.user
        # A stored description: in the current language, the company's when the system writes it.
        env = company._archive_for_reader(self).env
        if automatic:
            description = env._("Put on credit hold by the credit monitoring: %(reason)s", reason=reason)
        elif on_behalf_of:
            description = env._(
                "%(action)s by %(user)s on behalf of %(principal)s: %(reason)s",
                action=env._("Put on credit hold") if on else env._("Credit hold lifted"),
                user=user.name,
                principal=on_behalf_of.name,
                reason=reason,
            )
        else:
            description = env._(
                "%(action)s by %(user)s: %(reason)s",
                action=env._("Put on credit hold") if on else env._("Credit hold lifted"),
                user=user.name,
                reason=reason,
            )
        self.env["customer.credit.event"]._create_system_event(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "event_type": "credit_hold" if on else "credit_hold_lifted",
                    "description": description,
                    "monitoring_key": monitoring_keys.get(partner.id) or False,
                }
                for partner in partners
            ]
        )
        # One note per customer, logged in one go (the monitoring holds thousands at once), on its
        # credit status: the hold is not for every salesperson (its field is not either). The
        # reason is told by the activity and kept in the credit event.
        if automatic:
            note = env._("Put on credit hold by the credit monitoring.")
        else:
            note = env._("Put on credit hold") if on else env._("Credit hold lifted")
        statuses = self.env["customer.credit.collection"]._status_of(partners, company)  # as the system
        Status = self.env["customer.credit.collection"].sudo()  # sudo: the note of a checked decision
        noted = Status.browse([s.id for s in statuses.values()])
        noted._message_log_batch({status.id: Markup("<p>%s</p>") % note for status in noted})
        partners._credit_tell_hold(on, reason, automatic, company)
        return partners

    @api.model
    def _credit_lift_keys(self, partners, company):
        """{partner id: key} marking the overdue episode a hold is lifted in, so that the monitoring
        does not hold the customer again for it (once per episode: keys already used are skipped)."""
        # sudo: the overdue state of the customers decided on, whatever the decider's accounting rights
        Monitoring = self.env["customer.credit.monitoring"].sudo()
        episodes = Monitoring._credit_hold_episodes(company, partners.ids)
        keys = {pid: f"credit_hold_lifted:{episode}" for pid, episode in episodes.items()}
        used = set(
            self.env["customer.credit.event"]
            .sudo()  # sudo: whether the key is used, whatever the decider's rights on events
            .search([("company_id", "=", company.id), ("monitoring_key", "in", list(keys.values()))])
            .mapped("monitoring_key")
        )
        return {pid: key for pid, key in keys.items() if key not in used}

    def _credit_tell_hold(self, on, reason, automatic, company):
        """Tell the salesperson of each customer (and for an automatic hold, the credit managers)
        of a hold or its lift, by an activity in each recipient's language on the customer's credit
        status (``customer.credit.collection``): the reason is not for every salesperson."""
        Monitoring = self.env["customer.credit.monitoring"].sudo()  # sudo: addresses the credit staff
        managers = self.env["res.users"]
        if automatic:
            managers = Monitoring._credit_department(CREDIT_MANAGER, company)

        def render(status):
            if on:
                summary = status.env._("Customer put on credit hold")
                note = status.env._(
                    "%(customer)s is on credit hold: its orders wait for a credit manager. "
                    "Reason: %(reason)s",
                    customer=status.partner_id.name,
                    reason=reason,
                )
            else:
                summary = status.env._("Customer credit hold lifted")
                note = status.env._(
                    "The credit hold of %(customer)s is lifted. Reason: %(reason)s",
                    customer=status.partner_id.name,
                    reason=reason,
                )
            return summary, note

        # On the customer's credit status, which only those who see its credit read (the reason).
        statuses = self.env["customer.credit.collection"]._status_of(self, company)
        Activity = self.env["mail.activity"].sudo()  # sudo: the people told may be out of the decider's reach
        customers = self.sudo()  # sudo: the salesperson is told whatever the decider's rights on the customer
        Activity._archive_schedule(
            self.env.ref("customer_credit.mail_activity_type_credit_hold"),
            [
                (statuses[partner.id], (partner.user_id | managers).filtered("active") - self.env.user)
                for partner in customers
            ],
            render,
            # The monitoring's holds are in its digest; a credit manager's hold is told by the activity.
            digest=MONITORING_DIGEST if automatic else None,
        )

    def _credit_expire_grants(self, company=None, limit=None):
        """End the credit grants (approved credit applications) of ``self`` whose validity
        (``valid_to``) has passed, or those of every customer when called on the empty model.

        Implements "a grant's validity end date is enforced" (信用授予规则): the customer gets back
        the limit and term in force before the grant (from the limit-history row the grant made),
        through ``_apply_credit_decision`` with the reason "Grant X expired on DATE"; when a later
        credit decision superseded the grant, the limit stays as it is. Each grant is ended once
        (``grant_expired``). The daily monitoring calls it, and an order check may call it for one
        customer so that no order passes on an ended grant before the monitoring has run.
        Takes the company (default: the current one) and an optional batch size; returns the
        applications ended.
        """
        company = company or self.env.company
        today = fields.Date.context_today(self)
        # The system applies what the grant's end date decided, whoever's action comes first.
        system = self.with_user(SUPERUSER_ID).with_company(company)
        domain = [
            ("company_id", "=", company.id),
            ("state", "=", "approved"),
            ("grant_expired", "=", False),
            ("valid_to", "<", today),
        ]
        if self:
            domain.append(("partner_id", "in", self.commercial_partner_id.ids))
        Application = system.env["customer.credit.application"]
        applications = Application.search(domain, order="valid_to, id", limit=limit)
        History = system.env["customer.credit.limit.history"]
        for application in applications:
            partner = application.partner_id.with_env(system.env)
            grant = application._credit_grant_history()
            later = grant and History.search_count(
                [("partner_id", "=", partner.id), ("company_id", "=", company.id), ("id", ">", grant.id)],
                limit=1,
            )
            reason = system.env._(
                "Grant %(name)s expired on %(date)s",
                name=application.name,
                date=format_date(system.env, application.valid_to),
            )
            if not grant:
                note = system.env._(
                    "%(reason)s; the limit history of the grant is not found, the limit stays as it is.",
                    reason=reason,
                )
            elif partner.commercial_partner_id != partner:
                # made a contact since (by a credit manager): its customer's decisions control it
                note = system.env._(
                    "%(reason)s; %(partner)s is now a contact of %(customer)s, whose credit decisions "
                    "count: the limit stays as it is.",
                    reason=reason,
                    partner=partner.name,
                    customer=partner.commercial_partner_id.name,
                )
            elif not later:
                partner._apply_credit_decision(
                    grant.previous_limit,
                    grant.previous_term_days,
                    reason=reason,
                    company=company,
                    application=application,
                )
                note = reason
            else:
                note = system.env._(
                    "%(reason)s; a later credit decision is in force, the limit stays as it is.",
                    reason=reason,
                )
            application._workflow_write({"grant_expired": True})
            application.message_post(body=note, subtype_xmlid="mail.mt_note")
        return applications.with_env(self.env)

    # --- collection (催收, C9)
    # Read and searched with the log's record rules (``ruled_one2many_search``): a plain one2many
    # would tell sales staff which customers, theirs or not, are being collected from. Steps are
    # recorded from the log itself (``action_view_credit_collection_log``).
    credit_collection_log_ids = fields.One2many(
        "customer.credit.collection.log",
        compute="_compute_credit_collection_log_ids",
        search="_search_credit_collection_log_ids",
        string="Collection Log",
        groups="customer_credit.group_credit_user",
    )
    credit_collection_level_id = fields.Many2one(
        "customer.credit.collection.level",
        string="Collection Level",
        compute="_compute_credit_collection",
        groups="customer_credit.group_credit_user",
        help="Highest collection level reached in the current overdue episode, in the current company.",
    )
    credit_collection_paused = fields.Boolean(
        string="Collection Paused",
        compute="_compute_credit_collection",
        groups="customer_credit.group_credit_user",
    )
    credit_collection_pause_reason = fields.Text(
        string="Reason for the Pause",
        compute="_compute_credit_collection",
        groups="customer_credit.group_credit_user",
    )

    # Per user too: sales staff see the collection of their own customers only (C9), like the
    # rest of the credit; the status itself is read with sudo.
    @api.depends_context("company", "uid")
    def _compute_credit_collection(self):
        visible = self._credit_visible_partners()
        statuses = {
            status.partner_id.id: status
            for status in self.env["customer.credit.collection"]
            .sudo()  # sudo: the status is shown to the credit staff on the customer's credit tab
            .search(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                ]
            )
        }
        for partner in self:
            status = statuses.get(partner.commercial_partner_id.id) if partner in visible else None
            partner.credit_collection_level_id = status.level_id if status else False
            partner.credit_collection_paused = bool(status and status.paused)
            partner.credit_collection_pause_reason = (
                status.pause_reason if status and status.paused else False
            )

    @api.depends_context("uid", "company", "allowed_company_ids")
    def _compute_credit_collection_log_ids(self):
        self._set_ruled_one2many("credit_collection_log_ids", "customer.credit.collection.log")

    def _search_credit_collection_log_ids(self, operator, value):
        return ruled_one2many_search(
            self.env["customer.credit.collection.log"], "partner_id", operator, value
        )

    def action_view_credit_collection_log(self):
        """Open the collection log (催收记录, C9) of the customer (the commercial partner), under the
        log's record rules: sales staff see their own customers' only. Returns an action."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit.customer_credit_collection_log_action"
        )
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {"default_partner_id": customer.id}
        return action

    def action_view_credit_status(self):
        """Open the credit status of the customer (the commercial partner) in the current company:
        its collection level and the activities and letters of the credit department, under the
        status's record rules (sales staff read their own customers'). Returns an action."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit.customer_credit_collection_action"
        )
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id), ("company_id", "=", self.env.company.id)]
        action["context"] = {}
        status = self.env["customer.credit.collection"].search(action["domain"], limit=1)
        if status:
            action.update(res_id=status.id, view_mode="form", views=[(False, "form")])
        return action

    # Odoo's Total Receivable and Total Payable are read by accounting only (their groups), but
    # Odoo 18 checks a field's groups in a search only for stored fields: any user could bisect a
    # customer's receivable with ``search_count``. A search is a read: these check the groups, then
    # search as account does.
    credit = fields.Monetary(search="_search_credit_receivable")
    debit = fields.Monetary(search="_search_debit_payable")

    def _search_credit_receivable(self, operator, operand):
        self.check_field_access_rights("read", ["credit"])
        return self._credit_search(operator, operand)

    def _search_debit_payable(self, operator, operand):
        self.check_field_access_rights("read", ["debit"])
        return self._debit_search(operator, operand)

    def _credit_collection_invoices(self, company=None):
        """The customer's posted invoices overdue and not fully paid in ``company`` (the current one by
        default), oldest due first: what a reminder letter lists."""
        self.ensure_one()
        company = company or self.env.company
        return (
            self.env["account.move"]
            .sudo()  # sudo: the letter lists the invoices whatever the reader's accounting rights
            .search(
                [
                    ("company_id", "=", company.id),
                    ("commercial_partner_id", "=", self.commercial_partner_id.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", company._archive_today()),
                ],
                order="invoice_date_due, id",
            )
        )
