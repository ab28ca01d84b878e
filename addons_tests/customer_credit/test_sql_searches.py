"""Issue 13 (3, 4): searches on computed credit fields are one SQL condition that finds what the
fields show; the exposure of any number of partners, with the limit, is one query however it is
read (read, web_read, web_search_read, search_read, mapped)."""

import itertools
import operator
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user
from odoo.tools import SQL

from .test_credit_desk import VAT, CreditDeskCase
from .test_exposure import ExposureCase


class TestWouldHoldSearch(CreditDeskCase):
    """The quotations' "Would Be Held" filter finds exactly the quotations whose form says they
    would be held, whatever the reason: limit, hold, grade, payment term, group, currency."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.contact = Partner.create({"name": "王经理", "parent_id": cls.customer.id})
        cls.free = Partner.create({"name": "自由客户", "is_company": True})  # no credit decision
        cls.held = Partner.create({"name": "冻结客户", "is_company": True})
        cls.held.with_user(cls.credit_manager)._credit_set_hold(True, "Cheque bounced")
        cls.termed = Partner.create({"name": "账期客户", "is_company": True})
        cls.termed.with_user(cls.credit_manager)._apply_credit_decision(100000, 30, reason="Term 30 days")
        cls.graded = Partner.create({"name": "评级客户", "is_company": True, "user_id": cls.credit_user.id})
        evaluation = (
            cls.env["customer.credit.evaluation"]
            .with_user(cls.credit_officer)
            .create(
                {
                    "partner_id": cls.graded.id,
                    "scorecard_id": cls.scorecard.id,
                    "date": cls.today,
                    "proposed_credit_limit": 1000,
                    "risk_plan": "Guarantee",
                    "risk_plan_review_date": cls.today,
                }
            )
        )
        evaluation.action_submit()
        evaluation.with_user(cls.credit_manager).action_approve()
        cls.grade = evaluation.grade_id.sudo()  # sudo: the test changes the grade's policy
        Term = cls.env["account.payment.term"]
        line = {"value": "percent", "value_amount": 100}
        cls.term_60 = Term.create({"name": "60 days", "line_ids": [Command.create({**line, "nb_days": 60})]})
        cls.term_eom = Term.create(
            {
                "name": "End of next month",
                "line_ids": [
                    Command.create({**line, "nb_days": 0, "delay_type": "days_after_end_of_next_month"})
                ],
            }
        )
        cls.quotations = (
            cls.big
            | cls.small
            | cls.stranger_order
            | cls.order
            | cls.sales_order(cls.contact, 100)
            | cls.sales_order(cls.contact, 3000)
            | cls.sales_order(cls.free, 10000)
            | cls.sales_order(cls.held, 10)
            | cls.sales_order(cls.held, 0)
            | cls.sales_order(cls.termed, 10)
            | cls.sales_order(cls.graded, 10)
            | cls.sales_order(cls.graded, 5000)
        )
        for term in (cls.term_60, cls.term_eom):
            quotation = cls.sales_order(cls.termed, 10)
            quotation.payment_term_id = term
            cls.quotations |= quotation
        # In euros: 2 EUR a company unit today. 2,000 EUR fit in the customer's limit; 8,000 do not.
        for amount in (2000, 8000):
            quotation = cls.sales_order(cls.customer, amount)
            quotation.pricelist_id = cls.eur_pricelist
            quotation.order_line.price_unit = amount
            cls.quotations |= quotation

    def assertSearchMatchesForm(self):
        self.env.invalidate_all()
        quotations = self.quotations.with_user(self.desk)
        expected = quotations.filtered("credit_would_hold")
        Order = self.env["sale.order"].with_user(self.desk)
        scope = [("id", "in", quotations.ids)]
        self.assertEqual(Order.search([*scope, ("credit_would_hold", "=", True)]), expected)
        self.assertEqual(Order.search([*scope, ("credit_would_hold", "!=", False)]), expected)
        self.assertEqual(Order.search([*scope, ("credit_would_hold", "=", False)]), quotations - expected)
        self.assertEqual(Order.search([*scope, ("credit_would_hold", "!=", True)]), quotations - expected)
        return expected

    def test_the_filter_finds_what_the_forms_show(self):
        held = self.assertSearchMatchesForm()
        # Each reason is there, and the quotations that pass too.
        self.assertIn(self.big, held)  # past the limit
        self.assertNotIn(self.small, held)
        self.assertNotIn(self.order, held)  # confirmed: never "would be held"
        by_partner = {
            (order.partner_id, round(order.amount_total, 2), order.payment_term_id) for order in held
        }
        self.assertIn((self.contact, round(3000 * VAT, 2), self.env["account.payment.term"]), by_partner)
        self.assertIn((self.held, round(10 * VAT, 2), self.env["account.payment.term"]), by_partner)
        self.assertNotIn((self.held, 0, self.env["account.payment.term"]), by_partner)
        self.assertIn((self.termed, round(10 * VAT, 2), self.term_60), by_partner)
        self.assertEqual(
            {round(o.amount_total, 2) for o in held if o.currency_id == self.eur}, {round(8000 * VAT, 2)}
        )
        self.assertFalse(held.filtered(lambda order: order.partner_id == self.free))

    def test_the_filter_follows_the_grade_and_the_company_settings(self):
        for policy in ("hold_always", "allow", "hold_over_limit"):
            with self.subTest(policy=policy):
                self.grade.sales_policy = policy
                held = self.assertSearchMatchesForm()
                graded = held.filtered(lambda order: order.partner_id == self.graded)
                self.assertEqual(len(graded), {"hold_always": 2, "allow": 0, "hold_over_limit": 1}[policy])
        self.company.credit_enforce_all = True
        held = self.assertSearchMatchesForm()
        self.assertTrue(held.filtered(lambda order: order.partner_id == self.free))

    def test_the_term_days_are_odoos(self):
        """``_credit_term_days_sql`` counts the days to each kind of due date as Odoo's own
        ``_get_due_date`` does, at month ends and in February too."""
        line = {"value": "percent", "value_amount": 100}
        term = self.env["account.payment.term"].create(
            {
                "name": "All kinds",
                "line_ids": [
                    Command.create({**line, "value_amount": 10, "nb_days": 45}),
                    Command.create(
                        {**line, "value_amount": 10, "nb_days": 10, "delay_type": "days_after_end_of_month"}
                    ),
                    Command.create(
                        {
                            **line,
                            "value_amount": 10,
                            "nb_days": 5,
                            "delay_type": "days_after_end_of_next_month",
                        }
                    ),
                    Command.create(
                        {
                            **line,
                            "value_amount": 10,
                            "nb_days": 30,
                            "delay_type": "days_end_of_month_on_the",
                            "days_next_month": "31",
                        }
                    ),
                    Command.create(
                        {
                            **line,
                            "value_amount": 60,
                            "nb_days": 0,
                            "delay_type": "days_end_of_month_on_the",
                            "days_next_month": "0",
                        }
                    ),
                ],
            }
        )
        Order = self.env["sale.order"]
        days = Order._credit_term_days_sql(SQL("tl"), SQL("t.ref"), SQL("t.next_month_day"))
        for ref in (
            date(2024, 1, 31),
            date(2024, 2, 29),
            date(2025, 2, 28),
            date(2025, 12, 15),
            date(2025, 3, 1),
        ):
            self.env.cr.execute(
                SQL(
                    """
                    SELECT tl.id, %s
                      FROM account_payment_term_line tl
                      CROSS JOIN LATERAL (
                          SELECT %s::date AS ref,
                                 CASE WHEN tl.days_next_month ~ '^[0-9]+$' THEN tl.days_next_month::int
                                      ELSE 1 END AS next_month_day
                      ) t
                     WHERE tl.payment_id = %s
                    """,
                    days,
                    ref,
                    term.id,
                )
            )
            found = dict(self.env.cr.fetchall())
            for term_line in term.line_ids:
                with self.subTest(ref=ref, delay_type=term_line.delay_type):
                    self.assertEqual(found[term_line.id], (term_line._get_due_date(ref) - ref).days)


class TestGradeSearch(CreditDeskCase):
    def test_the_grade_search_is_sql_and_keeps_to_what_the_user_sees(self):
        evaluated = self.env["res.partner"].create({"name": "华北重工", "is_company": True})
        other = self.env["res.partner"].create(
            {"name": "西南物流", "is_company": True, "user_id": self.credit_user.id}
        )
        for partner in (evaluated, other):
            evaluation = (
                self.env["customer.credit.evaluation"]
                .with_user(self.credit_officer)
                .create(
                    {
                        "partner_id": partner.id,
                        "scorecard_id": self.scorecard.id,
                        "date": self.today,
                        "proposed_credit_limit": 1000,
                        "risk_plan": "Guarantee",
                        "risk_plan_review_date": self.today,
                    }
                )
            )
            evaluation.action_submit()
            evaluation.with_user(self.credit_manager).action_approve()
        grade = evaluation.grade_id
        everyone = [("id", "in", (self.customer | evaluated | other).ids)]
        for user, expected in ((self.credit_officer, evaluated | other), (self.credit_user, other)):
            Partner = self.env["res.partner"].with_user(user)
            for domain in (
                [("credit_grade_id", "=", grade.id)],
                [("credit_grade_id", "in", grade.ids)],
                [("credit_grade_id", "ilike", grade.name)],
                [("credit_grade_id", "!=", False)],
            ):
                with self.subTest(user=user.login, domain=domain):
                    found = Partner.search(everyone + domain)
                    self.assertEqual(found, expected)
                    # What the field shows, each partner read on its own.
                    self.assertEqual(found, Partner.search(everyone).filtered("credit_grade_id"))
        # The domain is SQL: no partner ids in it.
        Partner = self.env["res.partner"].with_user(self.credit_officer)
        condition = Partner._search_credit_grade_id("=", grade.id)
        self.assertIsInstance(condition[0][2], SQL)
        # Whoever may not see grades may not search them.
        plain = new_test_user(self.env, "cc_plain", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(plain).search([("credit_grade_id", "=", grade.id)])


class TestExposureOfManyPartners(ExposureCase):
    """Hand-computed figures (tax included) of several customers read together, and a cost that
    does not grow with their number, beyond Odoo's batches of a thousand records."""

    FIGURES = ["credit_exposure", "credit_available", "credit_limit_shown", "credit_overdue_days"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.north = Partner.create({"name": "华北重工", "is_company": True})
        cls.south = Partner.create({"name": "华南电子", "is_company": True})
        cls.branch = Partner.create(
            {"name": "华南电子 深圳分公司", "is_company": True, "parent_id": cls.south.id}
        )
        cls.north._apply_credit_decision(5000, 30, "Limit")
        cls.south._apply_credit_decision(3000, 30, "Group limit")
        cls.taxed_invoice(cls.north, 1000, days_ago=70)  # 1,130 due 40 days ago
        cls.taxed_invoice(cls.north, 300, post=False)  # draft: 339
        cls.taxed_order(cls.north, 2000)  # 2,260 to invoice
        cls.taxed_invoice(cls.south, 500, days_ago=10)  # 565, not due
        cls.taxed_order(cls.branch, 1000)  # 1,130 on the group's limit
        cls.taxed_order(cls.south, 400, pricelist=cls.eur_pricelist)  # 452 EUR = 226
        cls.many = Partner.create([{"name": f"Customer {n}", "is_company": True} for n in range(1100)])

    def test_figures_of_several_customers_read_together(self):
        partners = (self.north | self.south | self.branch).with_user(self.credit_officer)
        rows = {row["id"]: row for row in partners.read(self.FIGURES)}
        expected = {
            self.north: (1130 + 339 + 2260, 5000, 40),
            self.south: (565 + 1130 + 226, 3000, 0),
            self.branch: (565 + 1130 + 226, 3000, 0),  # the group's figures and limit
        }
        for partner, (exposure, limit, days) in expected.items():
            with self.subTest(partner=partner.name):
                row = rows[partner.id]
                self.assertAlmostEqual(row["credit_exposure"], exposure, places=2)
                self.assertEqual(row["credit_limit_shown"], limit)
                self.assertAlmostEqual(row["credit_available"], limit - exposure, places=2)
                self.assertEqual(row["credit_overdue_days"], days)

    def statements(self, read, records):
        """(all queries, exposure queries) that ``read(records)`` runs on cold records."""
        for _warm in range(2):  # the caches of rules, groups and defaults
            read(records)
            self.env.invalidate_all()
        executed = []
        execute = type(self.env.cr).execute

        def counting(cr, query, params=None, log_exceptions=True):
            executed.append(str(query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", counting):
            read(records)
        # The exposure statement runs as itself, or prepared once per connection and executed.
        runs = [
            query
            for query in executed
            if ("figures AS (" in query and 'PREPARE "customer_credit_' not in query)
            or 'EXECUTE "customer_credit_' in query
        ]
        return len(executed) - (len(executed) and sum("PREPARE " in query for query in executed)), len(runs)

    def test_the_exposure_and_the_limit_are_one_query_for_any_number(self):
        ids = (self.north | self.south | self.branch | self.many).ids
        Partner = self.env["res.partner"].with_user(self.credit_officer)
        ways = {
            "read": lambda records: records.read(self.FIGURES),
            "web_read": lambda records: records.web_read({name: {} for name in self.FIGURES}),
            "mapped": lambda records: [records.mapped(name) for name in self.FIGURES],
            "web_search_read": lambda records: Partner.web_search_read(
                [("id", "in", records.ids)], {name: {} for name in self.FIGURES}
            ),
            "search_read": lambda records: Partner.search_read([("id", "in", records.ids)], self.FIGURES),
        }
        for how, read in ways.items():
            with self.subTest(how=how):
                one, one_exposure = self.statements(read, Partner.browse(ids[:1]))
                many, many_exposure = self.statements(read, Partner.browse(ids))
                # 1,103 partners, more than Odoo's batches of 1,000: one exposure query, which
                # reads the limits too, all the same.
                self.assertEqual((one_exposure, many_exposure), (1, 1))
                # Odoo checks the record rules of a read by batches of 1,000 itself; for many
                # partners the exposure reads the company's currency before Odoo's
                # access check reads the company's row (for one, after it: from the cache).
                self.assertLessEqual(many, one + 2)

    def test_a_search_on_a_figure_finds_what_each_partner_reads(self):
        """Every exposure amount is searchable (issue 13, 3): the SQL condition finds the partners
        whose field, read on its own, compares so; 0 where the figures are hidden."""
        contact = self.env["res.partner"].create({"name": "王经理", "parent_id": self.north.id})
        self.south.user_id = self.credit_user
        scope = self.north | self.south | self.branch | contact | self.many[:3]
        amounts = {
            "credit_exposure": 1130 + 339 + 2260,
            "credit_available": 5000 - (1130 + 339 + 2260),
            "credit_limit_shown": 3000,
            "credit_open_receivable": 1130,
            "credit_draft_invoiced": 339,
            "credit_uninvoiced_orders": 1130 + 226,
            "credit_overdue_amount": 1130,
        }
        compare = {
            "=": operator.eq,
            "!=": operator.ne,
            "<": operator.lt,
            "<=": operator.le,
            ">": operator.gt,
            ">=": operator.ge,
        }
        officer_only = {"credit_open_receivable", "credit_draft_invoiced", "credit_uninvoiced_orders"}
        officer_only.add("credit_overdue_amount")
        for user in (self.credit_officer, self.credit_user):
            Partner = self.env["res.partner"].with_user(user)
            for name, amount in amounts.items():
                if name in officer_only and user == self.credit_user:
                    # the salesperson may not read it, nor search it
                    with self.subTest(user=user.login, field=name), self.assertRaises(AccessError):
                        Partner.search([("id", "in", scope.ids), (name, ">", 0)])
                    continue
                shown = {partner: partner[name] for partner in Partner.browse(scope.ids)}
                for operator_, value in itertools.product(compare, (0, amount, amount + 0.5, -1, False)):
                    domain = [(name, operator_, value)]
                    with self.subTest(user=user.login, domain=domain):
                        found = Partner.search([("id", "in", scope.ids), *domain])
                        expected = [p for p, v in shown.items() if compare[operator_](v, value or 0)]
                        self.assertEqual(found, Partner.browse([p.id for p in expected]))
        # The salesperson reads and finds the figures of their own customer only.
        Partner = self.env["res.partner"].with_user(self.credit_user)
        found = Partner.search([("id", "in", scope.ids), ("credit_exposure", ">", 0)])
        self.assertIn(self.south, found)
        self.assertNotIn(self.north, found)  # another's: its exposure reads 0
        # The domain is SQL: no partner ids in it.
        condition = Partner._search_credit_exposure(">", 100)
        self.assertIsInstance(condition[0][2], SQL)
        # What is not a comparison with a number is refused, clearly.
        for domain in (
            [("credit_exposure", "in", [0, 1])],
            [("credit_exposure", "ilike", "1")],
            [("credit_exposure", ">", "100")],
            [("credit_available", "=", True)],
            [("credit_exposure", "<", float("nan"))],  # no number: nothing compares with it
            [("credit_exposure", ">", 10**400)],  # beyond what the field can hold
        ):
            with self.subTest(domain=domain), self.assertRaises(UserError):
                Partner.search(domain)

    def test_a_figure_made_by_a_division_is_found_by_the_value_it_reads(self):
        """A figure the rule divides (an order at a rate of 3: 113 / 3) has more decimals in SQL
        than the value read; the search compares the value read."""
        currency = self.setup_other_currency("CHF", rates=[("1900-01-01", 3.0)])
        pricelist = self.env["product.pricelist"].create({"name": "CHF", "currency_id": currency.id})
        thirds = self.env["res.partner"].create({"name": "三分之一公司", "is_company": True})
        thirds._apply_credit_decision(1000, 30, "Limit")
        self.taxed_order(thirds, 100, pricelist=pricelist)  # 113 CHF: 37.666... in company currency
        Partner = self.env["res.partner"].with_user(self.credit_officer)
        partner = Partner.browse(thirds.id)
        for name in ("credit_exposure", "credit_uninvoiced_orders", "credit_available"):
            value = partner[name]
            with self.subTest(field=name, value=value):
                self.assertNotEqual(value, round(value, 2))  # the division's decimals
                for operator_, found in (
                    ("=", True),
                    ("<=", True),
                    (">=", True),
                    ("!=", False),
                    ("<", False),
                ):
                    domain = [("id", "=", thirds.id), (name, operator_, value)]
                    self.assertEqual(bool(Partner.search(domain)), found, domain)

    def test_a_salesperson_gets_the_figures_of_own_customers_only(self):
        self.north.user_id = self.credit_user
        north, south = (
            self.env["res.partner"].with_user(self.credit_user).browse((self.north | self.south).ids)
        )
        self.assertAlmostEqual(north.credit_exposure, 1130 + 339 + 2260, places=2)
        self.assertEqual(north.credit_limit_shown, 5000)
        self.assertEqual((south.credit_exposure, south.credit_limit_shown), (0, 0))

    def test_the_exposure_follows_new_documents(self):
        north = self.north.with_user(self.credit_officer)
        before = north.credit_exposure
        self.taxed_invoice(self.north, 100, post=False)
        self.env.invalidate_all()
        self.assertAlmostEqual(north.credit_exposure, before + 113, places=2)

    def test_later_reads_do_not_recompute(self):
        partners = self.env["res.partner"].with_user(self.credit_officer).browse(self.many.ids)
        partners.read(["credit_exposure"])
        with self.assertQueryCount(0):
            for partner in partners:
                partner.credit_exposure  # noqa: B018 the whole list was computed at once
                partner.credit_available  # noqa: B018


class TestSearchesAreNotCompiled(ExposureCase):
    """The searches on computed credit fields embed the exposure statement in Odoo's own query,
    which PostgreSQL plans with the server's settings. With its defaults, a plan estimated above
    ``jit_above_cost`` is compiled first (JIT; above 500,000 with inlining and optimisation): a
    subquery costed once per order line estimated the "overdue" filter of 5,000 customers with
    20,000 order lines at 2.2 million, and compiling took 2 s for a search that runs in 0.13 s.
    The estimates grow with what the statement reads, not with such a subquery."""

    def test_the_searches_are_estimated_below_the_jit_threshold(self):
        cr = self.env.cr
        tables = ("res_partner", "account_move", "account_move_line", "sale_order", "sale_order_line")
        with cr.savepoint(flush=False) as savepoint:
            self.check_the_estimates(tables)
            self.env.flush_all()
            savepoint.close(rollback=True)
        # the statistics of the tables as they are again, for the tests after this one
        self.env.invalidate_all()
        for table in tables:
            cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))

    def check_the_estimates(self, tables):
        customer = self.env["res.partner"].create({"name": "批量客户", "is_company": True})
        self.taxed_invoice(customer, 100, days_ago=70)
        self.taxed_order(customer, 100)
        cr = self.env.cr
        # 5,000 confirmed order lines in SQL (the ORM would take minutes), then counted in
        # PostgreSQL's statistics, as autovacuum would
        cr.execute(
            """
            WITH o AS (
                INSERT INTO sale_order (company_id, partner_id, partner_invoice_id, partner_shipping_id, name,
                                        date_order, state, currency_id, currency_rate)
                SELECT %(company)s, %(partner)s, %(partner)s, %(partner)s, 'TEST-SO/' || n, now(), 'sale',
                       %(currency)s, 1
                  FROM generate_series(1, 5000) n
                RETURNING id
            )
            INSERT INTO sale_order_line (order_id, name, product_uom_qty, price_unit, customer_lead, state,
                                         company_id, currency_id, untaxed_amount_to_invoice, price_subtotal,
                                         price_total)
            SELECT o.id, 'Goods', 1, 100, 0, 'sale', %(company)s, %(currency)s, 100, 100, 113 FROM o
            """,
            {"company": self.company.id, "partner": customer.id, "currency": self.company.currency_id.id},
        )
        # every table the searches read: statistics left by an earlier run (a benchmark's rows
        # rolled back, their count kept) would weigh more than the statement
        for table in tables:
            cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        self.env.invalidate_all()
        cr.execute("SHOW jit_above_cost")
        threshold = float(cr.fetchone()[0])
        searches = [
            (self.credit_officer, "res.partner", [("credit_overdue_days", ">", 30)]),
            (self.credit_officer, "res.partner", [("credit_overdue_days", "=", 0)]),
            (self.credit_officer, "res.partner", [("credit_over_limit", "=", True)]),
            (self.credit_officer, "res.partner", [("credit_exposure", ">", 1000)]),
            (self.credit_officer, "res.partner", [("credit_available", "<", 0)]),
            (self.credit_user, "sale.order", [("credit_would_hold", "=", True)]),
        ]
        for user, model, domain in searches:
            with self.subTest(model=model, domain=domain):
                Model = self.env[model].with_user(user)
                cr.execute(SQL("EXPLAIN (FORMAT JSON) %s", Model._search(domain).select()))
                self.assertLess(cr.fetchone()[0][0]["Plan"]["Total Cost"], threshold)
        # the allowed path beside it: the search finds the customer, 40 days overdue
        Partner = self.env["res.partner"].with_user(self.credit_officer)
        self.assertIn(customer, Partner.search([("credit_overdue_days", ">", 30)]))
        # 5,000 lines of 113 and the first order's 100 + 13 % VAT
        self.assertAlmostEqual(Partner.browse(customer.id).credit_uninvoiced_orders, 113 * 5001, 2)
