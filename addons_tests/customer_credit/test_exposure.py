import re
from datetime import timedelta
from unittest.mock import patch

import psycopg2

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.addons.customer_credit.models.res_partner import (
    CREDIT_FEW,
    CREDIT_MANY,
    CREDIT_PREPARED,
    credit_ids_sql,
)
from odoo.exceptions import AccessError
from odoo.tools import SQL, mute_logger
from odoo.tools.sql import index_exists

from .credit_common import CreditCase


class TestExposure(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.overdue = cls.invoice(cls.customer, 1000, days_ago=70, due_days=30)  # 40 days overdue
        cls.current = cls.invoice(cls.customer, 500, days_ago=5)
        cls.pay(cls.overdue, 400)
        cls.draft = cls.invoice(cls.customer, 300, post=False)
        cls.order = cls.confirmed_order(cls.customer, 200)

    def test_exposure_adds_receivables_drafts_and_orders(self):
        customer = self.customer.with_user(self.credit_officer)
        self.assertAlmostEqual(customer.credit_open_receivable, 1100)
        self.assertAlmostEqual(customer.credit_draft_invoiced, 300)
        self.assertAlmostEqual(customer.credit_uninvoiced_orders, 200)
        self.assertAlmostEqual(customer.credit_exposure, 1600)
        self.assertAlmostEqual(customer.credit_overdue_amount, 600)
        self.assertEqual(customer.credit_overdue_days, 40)

    def test_available_credit_and_searches(self):
        self.customer.with_company(self.company).sudo().credit_limit = 1500  # sudo: reads as the system
        self.customer.user_id = self.credit_user  # sales staff see the credit of their own customers
        customer = self.customer.with_user(self.credit_user)
        self.assertAlmostEqual(customer.credit_available, -100)
        self.assertTrue(customer.credit_over_limit)
        Partner = self.env["res.partner"].with_user(self.credit_officer)
        self.assertIn(self.customer, Partner.search([("credit_over_limit", "=", True)]))
        self.assertIn(self.customer, Partner.search([("credit_overdue_days", ">", 30)]))
        self.assertNotIn(self.customer, Partner.search([("credit_overdue_days", ">", 45)]))
        self.customer.with_company(self.company).sudo().credit_limit = 2000  # sudo: reads as the system
        self.assertNotIn(self.customer, Partner.search([("credit_over_limit", "=", True)]))

    def test_exposure_costs_the_same_for_one_and_many_partners(self):
        others = self.env["res.partner"].create(
            [{"name": f"Customer {n}", "is_company": True} for n in range(100)]
        )
        for partner in others[:5]:
            self.invoice(partner, 100, days_ago=40)
        fields = ["credit_exposure", "credit_available", "credit_overdue_amount", "credit_overdue_days"]
        as_officer = (self.customer | others).with_user(self.credit_officer)
        for records in (as_officer, as_officer[:1], as_officer):  # warm the caches of rules and groups
            self.env.invalidate_all()
            records.read(fields)

        def queries(records):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            records.read(fields)
            return self.env.cr.sql_log_count - before

        queries(as_officer[:1])  # warm the company-dependent defaults' cache too
        # Two partners or a hundred and one: the same queries. One partner is computed by its
        # field, after Odoo's access check has read the company row: one query less (the
        # company's currency, which the exposure needs, is then in the cache).
        self.assertEqual(queries(as_officer[:2]), queries(as_officer))
        self.assertLessEqual(queries(as_officer[:1]), queries(as_officer))

    def test_sales_staff_see_grade_and_available_credit_not_the_details(self):
        customer = self.customer.with_user(self.credit_user)
        customer.read(["credit_exposure", "credit_available", "credit_grade_id"])
        for field in (
            "credit_open_receivable",
            "credit_overdue_amount",
            "credit_overdue_days",
            "payment_habits",
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                customer.read([field])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.credit_user).read_group(
                [("id", "=", self.customer.id)], ["payment_habits"], ["payment_habits"]
            )
        with self.assertRaises(AccessError):
            customer.export_data(["name", "credit_overdue_amount"])

    def test_exposure_statement_leaves_the_jit_setting_as_it_found_it(self):
        # JIT is off for the exposure statement only (issue 13): whatever the transaction had set
        # before, it has again after, on the read path and on the figures of every debtor.
        Partner = self.env["res.partner"].with_user(self.credit_officer)
        for value in ("on", "off"):
            self.env.cr.execute("SELECT set_config('jit', %s, true)", [value])
            with self.subTest(jit=value):
                self.env.invalidate_all()
                self.assertAlmostEqual(Partner.browse(self.customer.id).credit_exposure, 1600)
                Partner._credit_exposure_figures(self.company)
                self.env.cr.execute("SHOW jit")
                self.assertEqual(self.env.cr.fetchone()[0], value)

    def test_credit_fetch_turns_jit_off_for_its_statement_only(self):
        Partner = self.env["res.partner"]
        self.env.cr.execute("SELECT set_config('jit', 'on', true)")
        self.assertEqual(Partner._credit_fetch(SQL("SELECT current_setting('jit')")), [("off",)])
        self.env.cr.execute("SHOW jit")
        self.assertEqual(self.env.cr.fetchone()[0], "on")
        # A statement that fails aborts its savepoint, whose rollback takes the setting back.
        with self.assertRaises(psycopg2.Error), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            Partner._credit_fetch(SQL("SELECT 1 / 0"))
        self.env.cr.execute("SHOW jit")
        self.assertEqual(self.env.cr.fetchone()[0], "on")

    def test_the_exposure_of_few_partners_is_prepared_once_per_cursor(self):
        """Few partners: the statement is planned once per cursor (generic plan),
        then only executed; its figures are those of the statement planned afresh, and the plan
        setting is the transaction's again after it."""
        Partner = self.env["res.partner"].with_user(self.credit_officer)
        cr = self.env.cr
        executed = []
        execute = type(cr).execute

        def counting(cursor, query, params=None, log_exceptions=True):
            executed.append(str(query))
            return execute(cursor, query, params, log_exceptions)

        cr.execute(SQL("DEALLOCATE ALL"))
        CREDIT_PREPARED.pop(cr, None)
        with patch.object(type(cr), "execute", counting):
            first = Partner._credit_exposure_figures(self.company, [self.customer.id])
            second = Partner._credit_exposure_figures(self.company, [self.customer.id])
        prepares = [query for query in executed if 'PREPARE "customer_credit_' in query]
        executes = [query for query in executed if 'EXECUTE "customer_credit_' in query]
        self.assertEqual((len(prepares), len(executes)), (1, 2))
        self.assertEqual(first, second)
        # Two round trips each: the settings and the statement, then the settings taken back.
        self.assertEqual(len([query for query in executed if "customer_credit_fetch" in query]), 4)
        # A connection that lost its statements (DISCARD ALL, DEALLOCATE) has it prepared again,
        # without an error logged, in the same transaction.
        cr.execute(SQL("DEALLOCATE ALL"))
        executed.clear()
        with patch.object(type(cr), "execute", counting), self.assertNoLogs("odoo.sql_db", "ERROR"):
            again = Partner._credit_exposure_figures(self.company, [self.customer.id])
        self.assertEqual(again, first)
        self.assertEqual(len([query for query in executed if 'PREPARE "customer_credit_' in query]), 1)
        # and one that has it unrecorded (a PREPARE whose statement then failed) runs it as it is
        CREDIT_PREPARED.pop(cr, None)
        with self.assertNoLogs("odoo.sql_db", "ERROR"):
            self.assertEqual(Partner._credit_exposure_figures(self.company, [self.customer.id]), first)
            self.assertEqual(Partner._credit_exposure_figures(self.company, [self.customer.id]), first)
        # the same statement planned afresh (as for many partners) gives the same figures
        fresh = Partner._credit_exposure_figures(self.company, [self.customer.id] * CREDIT_MANY)
        self.assertEqual(fresh[self.customer.id], first[self.customer.id])
        self.assertAlmostEqual(first[self.customer.id].exposure, 1600)
        cr.execute(SQL("SHOW plan_cache_mode"))
        self.assertEqual(cr.fetchone()[0], "auto")
        # while it runs, every table is read through its indexes, by nested loops; not after it
        few = SQL(
            "SELECT current_setting('plan_cache_mode'), current_setting('enable_seqscan'),"
            " current_setting('enable_hashjoin'), current_setting('enable_mergejoin'), %s::int",
            1,
        )
        self.assertEqual(
            Partner._credit_fetch(few, few=True), [("force_generic_plan", "off", "off", "off", 1)]
        )
        cr.execute(few)
        self.assertEqual(cr.fetchall(), [("auto", "on", "on", "on", 1)])
        # The figures of every debtor (the monitoring) are planned afresh, never on the plan for few.
        executed.clear()
        with patch.object(type(cr), "execute", counting):
            Partner.sudo()._credit_exposure_figures(self.company)  # sudo: as the monitoring
        self.assertFalse([query for query in executed if 'EXECUTE "customer_credit_' in query])
        # A statement with a value psycopg2 cannot pass as one parameter, or with a literal %, runs
        # as itself, with the same result.
        self.assertIsNone(Partner._credit_prepared(SQL("SELECT %s", (1, 2))))
        percent = SQL("SELECT %s::text || %s", "a", SQL("'%%'"))
        self.assertIsNone(Partner._credit_prepared(percent))
        self.assertEqual(Partner._credit_fetch(percent, few=True), [("a%",)])
        self.assertEqual(Partner._credit_fetch(SQL("SELECT %s::int + 1", 41), few=True), [(42,)])

    def test_a_cursor_lent_again_has_the_statement_prepared_again_without_an_error(self):
        """Odoo's pool resets a connection it lends again (psycopg2's reset, a DISCARD ALL), which
        drops its prepared statements: each cursor prepares the statement for itself, the first
        time, and does not try to run one its connection no longer has."""
        Partner = type(self.env["res.partner"])
        runs = []
        run = Partner._credit_run

        def counting(model, query, settings, prepared):
            runs.append(prepared and prepared[0])
            return run(model, query, settings, prepared)

        partner_id = self.env.company.partner_id.id  # committed: seen from the other cursors
        database = sql_db.db_connect(self.env.cr.dbname)
        figures = []
        with patch.object(Partner, "_credit_run", counting):
            for _loan in range(3):
                with database.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    figures.append(env["res.partner"]._credit_exposure_figures(env.company, [partner_id]))
                    cr.execute(
                        "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'customer_credit_%'"
                    )
                    self.assertEqual(cr.fetchone()[0], 1)
        # one run each: no statement assumed prepared that the connection had lost
        self.assertEqual(len(runs), 3, runs)
        self.assertEqual(figures[0], figures[2])

    def test_credit_fetch_of_many_partners_turns_nested_loops_off_for_its_statement_only(self):
        Partner = self.env["res.partner"]
        self.env.cr.execute(
            "SELECT set_config('jit', 'on', true), set_config('enable_nestloop', 'on', true),"
            " set_config('max_parallel_workers_per_gather', '2', true)"
        )
        query = SQL(
            "SELECT current_setting('jit'), current_setting('enable_nestloop'),"
            " current_setting('max_parallel_workers_per_gather')"
        )
        self.assertEqual(Partner._credit_fetch(query), [("off", "on", "2")])
        self.assertEqual(Partner._credit_fetch(query, many=True), [("off", "off", "0")])
        self.env.cr.execute(query)
        self.assertEqual(self.env.cr.fetchone(), ("on", "on", "2"))
        # the figures of many partners are those of few
        ids = [self.customer.id] * CREDIT_MANY
        few = Partner._credit_exposure_figures(self.company, [self.customer.id])
        many = Partner._credit_exposure_figures(self.company, ids)
        self.assertEqual(many[self.customer.id], few[self.customer.id])

    def many_partners_plan(self, query, analyze=False):
        """The nodes of the plan of ``query`` (run too with ``analyze``) with the settings of many
        partners (``_credit_fetch``), and no table scan: on the test's small tables PostgreSQL
        would read a whole table at the cost of an index."""
        cr = self.env.cr
        with cr.savepoint(flush=False) as savepoint:
            cr.execute(
                "SET LOCAL jit = off; SET LOCAL enable_nestloop = off; SET LOCAL enable_sort = off;"
                " SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL enable_seqscan = off"
            )
            cr.execute(SQL("EXPLAIN (%s FORMAT JSON) %s", SQL("ANALYZE,") if analyze else SQL(""), query))
            nodes = [cr.fetchone()[0][0]["Plan"]]
            savepoint.close(rollback=True)
        found = []
        while nodes:
            node = nodes.pop()
            nodes.extend(node.get("Plans", ()))
            found.append(node)
        return found

    def test_the_exposure_of_many_partners_reads_lines_through_their_indexes(self):
        """With nested loops off (many partners, ``_credit_fetch``), the lines of the draft
        invoices and of the down payments are read through their indexes by the ids found, not
        joined to them: a join read every line of the books as soon as one partner had a draft."""
        query = self.env["res.partner"]._credit_figures_sql(self.company, credit_ids_sql([self.customer.id]))
        scans = [
            node
            for node in self.many_partners_plan(query)
            if node.get("Relation Name") == "account_move_line"
        ]
        found = [node.get("Index Cond") or node.get("Recheck Cond") or "" for node in scans]
        # the drafts' lines by their moves, the down payments' by their ids, through the indexes
        self.assertTrue(any("move_id = ANY" in cond for cond in found), scans)
        self.assertTrue(any(re.search(r"\(id = ANY", cond) for cond in found), scans)
        # and nothing else read but the receivable lines, kept by their partners (a small table's
        # partial index may be read whole, as the table would be)
        for node, cond in zip(scans, found, strict=True):
            with self.subTest(node=node["Node Type"], alias=node.get("Alias")):
                self.assertTrue(cond or "partner_id = ANY" in node.get("Filter", ""), node)
        # and the figures: 1,000 - 400 paid + 500 + the draft's 300 + the order's 200
        self.assertAlmostEqual(
            self.customer.with_user(self.credit_officer).credit_exposure, 600 + 500 + 300 + 200, 2
        )

    def test_the_lines_of_a_part_of_the_orders_are_read_through_their_index(self):
        """The order lines of the partners asked about are read through the index by order when
        their confirmed orders are a part of the book, by one pass over every line when they are
        most of it; PostgreSQL runs one of the two branches, decided as the statement runs, and
        both give the figures of the statement over every debtor."""
        Partner = self.env["res.partner"]
        other = Partner.create({"name": "华北重工", "is_company": True})
        self.confirmed_order(other, 700)
        ids = (self.customer | other).ids
        query = Partner._credit_figures_sql(self.company, credit_ids_sql(ids))
        self.env.flush_all()
        self.env.cr.execute("ANALYZE sale_order")  # the orders counted, as autovacuum would
        ran = {}
        for node in self.many_partners_plan(query, analyze=True):
            if node.get("Relation Name") == "sale_order_line":
                by_index = "order_id = ANY" in (node.get("Index Cond") or node.get("Recheck Cond") or "")
                ran[by_index] = ran.get(by_index, 0) + node["Actual Loops"]
        # two of the book's orders: the branch through the index ran, the pass over every line not
        self.assertEqual(ran, {True: 1, False: 0})
        # the figures are those of the statement over every debtor (the pass over every line)
        every = Partner._credit_exposure_figures(self.company)
        asked = Partner._credit_exposure_figures(self.company, ids)
        self.assertEqual(asked, {partner_id: every[partner_id] for partner_id in ids})
        self.assertAlmostEqual(asked[other.id].uninvoiced_orders, 700, 2)

    def test_the_partners_of_many_are_read_through_their_indexes(self):
        """With nested loops off (more than ``CREDIT_FEW`` partners), the partners asked about,
        their groups, the partners of their debtors and the debtors' limits are read by their keys
        or by the index of what finds them, never by a join: each join read the whole partner
        table (eight times per statement; with 50,000 partners, 1,000 customers took twice the
        benchmark's floor instead of once)."""
        Partner = self.env["res.partner"]
        others = Partner.create([{"name": f"华东客户 {n}", "is_company": True} for n in range(CREDIT_FEW)])
        ids = sorted((others | self.customer).ids)
        self.customer.user_id = self.credit_user
        for label, model, visible_only in (
            ("credit officer, a list", Partner.with_user(self.credit_officer), True),
            ("salesperson, a list", Partner.with_user(self.credit_user), True),
            ("salesperson, every partner", Partner.with_user(self.credit_user), False),
        ):
            query = model._credit_partner_sql(self.company, ids, visible_only)
            nodes = [
                node for node in self.many_partners_plan(query) if node.get("Relation Name") == "res_partner"
            ]
            self.assertTrue(nodes)
            for node in nodes:
                with self.subTest(label, node=node["Node Type"], alias=node.get("Alias")):
                    # the companies with a parent: the whole partial index, which holds only them
                    self.assertTrue(
                        node.get("Index Cond")
                        or node.get("Recheck Cond")
                        or node.get("Index Name") == "customer_credit_partner_group_member_idx",
                        node,
                    )
            rows = {row[0]: row for row in model.browse(ids)._credit_partner_rows(self.company, visible_only)}
            self.assertAlmostEqual(rows[self.customer.id][9], 1600)  # the exposure
            if label.startswith("salesperson"):
                # another's customers: left out of a list, shown as not visible otherwise
                self.assertEqual(set(rows), set(ids) if not visible_only else {self.customer.id})
                self.assertFalse(any(rows[other][2] for other in others.ids if other in rows))

    def test_a_search_joins_the_partners_as_postgresql_estimates(self):
        """The statement embedded in a search (over limit, overdue days, would be held) runs with
        the planner's settings, nested loops on: its partners are kept by ``IN`` subqueries, whose
        number PostgreSQL estimates. The arrays of the statement run with nested loops off hid it:
        PostgreSQL guessed five partners and compared 1,670 of them with each of 6,667 orders
        (the credit desk's filter, 3.0 s instead of 0.56 s; benchmark_credit_desk.sh)."""
        Partner = self.env["res.partner"]
        debtors = SQL("SELECT d.id FROM res_partner d WHERE d.id = %s", self.customer.id)
        searched = Partner._credit_figures_sql(self.company, debtors).code
        self.assertIn("p.commercial_partner_id IN (", searched)
        self.assertNotIn("p.commercial_partner_id = ANY(ARRAY(", searched)
        fetched = Partner._credit_figures_sql(self.company, debtors, many=True).code
        self.assertIn("p.commercial_partner_id = ANY(ARRAY(", fetched)
        # and the search finds what the field reads
        over = Partner.with_user(self.credit_officer).search([("credit_overdue_days", ">", 30)])
        self.assertIn(self.customer, over)

    def test_a_read_of_many_partners_gives_what_each_one_reads(self):
        """``read`` of several partners takes the exposure figures from the cache by column, not
        through Odoo's formatting record by record (res.partner.read): the same values of the same
        types as Odoo's read of each partner alone, in ``read``, ``web_read`` and
        ``web_search_read``, and in the other paths to the same figures (``search_read``,
        ``export_data``, ``mapped``); and the same refusal of a field the user may not read."""
        Partner = self.env["res.partner"]
        other = Partner.create({"name": "华北重工", "is_company": True})
        self.confirmed_order(other, 700)
        self.customer.user_id = self.credit_user
        ids = [self.customer.id, other.id]
        names = [
            "credit_exposure",
            "name",
            "credit_available",
            "credit_limit_shown",
            "credit_over_limit",
            "credit_overdue_days",
            "credit_currency_id",
        ]
        sales_names = [name for name in names if name != "credit_overdue_days"]  # the officers' field
        for user, fields_read in ((self.credit_officer, names), (self.credit_user, sales_names)):
            model = Partner.with_user(user)
            spec = {name: {} for name in fields_read}
            calls = {
                "read": lambda records, fields_read=fields_read: records.read(fields_read),
                "web_read": lambda records, spec=spec: records.web_read(spec),
                "web_search_read": lambda records, model=model, spec=spec: model.web_search_read(
                    [("id", "in", records.ids)], spec, order="id"
                )["records"],
                "search_read": lambda records, model=model, fields_read=fields_read: model.search_read(
                    [("id", "in", records.ids)], fields_read, order="id"
                ),
                "export_data": lambda records, fields_read=fields_read: records.export_data(fields_read)[
                    "datas"
                ],
                # a row of values per partner, each field's mapped over all of them
                "mapped": lambda records, fields_read=fields_read: list(
                    zip(
                        *(records.mapped(name) for name in fields_read if name != "credit_currency_id"),
                        strict=True,
                    )
                ),
            }

            def types(rows):
                return [
                    {name: type(value) for name, value in row.items()}
                    if isinstance(row, dict)
                    else [type(value) for value in row]
                    for row in rows
                ]

            for method, call in calls.items():
                with self.subTest(user=user.login, method=method):
                    alone = [call(model.browse(partner_id))[0] for partner_id in ids]
                    many = call(model.browse(ids))
                    self.assertEqual(many, alone)
                    self.assertEqual(types(many), types(alone))
        # the credit officer sees both; the salesperson his own customer only
        officer = Partner.with_user(self.credit_officer).browse(ids).read(["credit_exposure"])
        self.assertEqual([vals["credit_exposure"] for vals in officer], [1600, 700])
        sales = Partner.with_user(self.credit_user).browse(ids).read(sales_names)
        self.assertEqual([vals["credit_exposure"] for vals in sales], [1600, 0])
        # a field of the credit officers refuses the whole read to the salesperson
        with self.assertRaises(AccessError):
            Partner.with_user(self.credit_user).browse(ids).read(
                ["credit_exposure", "credit_open_receivable"]
            )
        # the figures alone, without another field: what each partner reads alone, and the records
        # checked as Odoo's read checks them (a partner of another company refuses the read)
        figures = ["credit_exposure", "credit_available", "credit_over_limit", "credit_overdue_days"]
        officer = Partner.with_user(self.credit_officer)
        alone = [officer.browse(partner_id).read(figures)[0] for partner_id in ids]
        self.assertEqual(officer.browse(ids).read(figures), alone)
        self.assertEqual(officer.browse(ids).read(["id", *figures]), alone)
        company = self.env["res.company"].sudo().create({"name": "他公司"})  # sudo: set-up, no user in it
        elsewhere = Partner.sudo().create({"name": "他公司客户", "company_id": company.id})  # sudo: set-up
        for partners in (officer.browse(elsewhere.id), officer.browse([*ids, elsewhere.id])):
            with self.subTest(partners=partners.ids), self.assertRaises(AccessError):
                partners.read(figures)

    def test_partner_ids_go_to_the_statement_as_one_value(self):
        # psycopg2 adapts a list item by item (12 ms for 5,000 ids): one text value instead.
        query = credit_ids_sql([self.customer.id, 7])
        self.assertEqual(query.params, [f"{{{self.customer.id},7}}"])
        self.env.cr.execute(query)
        self.assertEqual([row[0] for row in self.env.cr.fetchall()], [self.customer.id, 7])
        self.assertEqual(credit_ids_sql([]).params, ["{}"])
        # anything but integers is refused before it reaches the text (a boolean is an int to
        # Python: True would have become the partner 1)
        for bad in (["1}"], ["12"], [True], [False], [1.5], [None], [self.customer.id, "7"]):
            with self.subTest(ids=bad), self.assertRaises(TypeError):
                credit_ids_sql(bad)

    def test_the_exposure_of_few_partners_reads_partners_through_their_indexes(self):
        """A form or an order check asks for the exposure of a few partners: its generic plan
        reads partners, lines, drafts and orders through their indexes, never a whole table (it
        read the whole partner table twice, 5 ms for one customer among 5,000)."""
        Partner = self.env["res.partner"].with_user(self.credit_officer)
        statements = []
        fetch = type(Partner)._credit_fetch

        def recording(model, query, many=False, few=False):
            statements.append((query, few))
            return fetch(model, query, many=many, few=few)

        with patch.object(type(Partner), "_credit_fetch", recording):
            self.assertAlmostEqual(Partner.browse(self.customer.id).credit_exposure, 1600)
        [(query, few)] = statements
        self.assertTrue(few)
        # its order lines joined through the index order by order, without the branch by share
        # of the book (a third longer for few partners)
        self.assertNotIn("order_share", query.code)
        name, text, params = Partner._credit_prepared(query)
        cr = self.env.cr
        with cr.savepoint(flush=False) as savepoint:
            statement = SQL.identifier(f"test_{name}")
            cr.execute(SQL("PREPARE %s AS %s", statement, SQL(text)))
            # the settings the exposure of few partners runs with (_credit_fetch)
            cr.execute(
                "SET LOCAL jit = off; SET LOCAL plan_cache_mode = force_generic_plan;"
                " SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off;"
                " SET LOCAL enable_mergejoin = off"
            )
            cr.execute(SQL("EXPLAIN EXECUTE %s(%s)", statement, SQL(", ").join(SQL("%s", p) for p in params)))
            plan = "\n".join(row[0] for row in cr.fetchall())
            cr.execute(SQL("DEALLOCATE %s", statement))
            savepoint.close(rollback=True)
        for table in ("res_partner", "account_move_line", "account_move", "sale_order", "sale_order_line"):
            with self.subTest(table=table):
                self.assertNotIn(f"Seq Scan on {table} ", plan)

    def test_draft_invoices_are_read_from_their_own_index(self):
        """The exposure reads the few draft customer invoices of the partners asked about from
        a small partial index, not from the partner index of every move; the statement's
        condition is the index's (else PostgreSQL cannot use it)."""
        self.assertTrue(index_exists(self.env.cr, "customer_credit_draft_invoice_partner_idx"))
        Partner = self.env["res.partner"]
        query = Partner._credit_figures_sql(self.company, credit_ids_sql([self.customer.id]))
        cr = self.env.cr
        with cr.savepoint(flush=False) as savepoint:
            # The test database is small: PostgreSQL would read the table, or whichever index, at
            # the same cost. Without the other indexes and the table scan, it can use this index
            # only if the statement's condition implies the index's.
            cr.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'account_move'"
                " AND indexname NOT IN ('customer_credit_draft_invoice_partner_idx', 'account_move_pkey')"
            )
            for (name,) in cr.fetchall():
                cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
            cr.execute("SET LOCAL enable_seqscan = off")
            cr.execute(SQL("EXPLAIN %s", query))
            plan = "\n".join(row[0] for row in cr.fetchall())
            # and on the generic plan of the prepared statement (few partners), whose values are
            # parameters: the draft condition must stay in its text
            name, text, params = Partner._credit_prepared(query)
            statement = SQL.identifier(f"test_{name}")
            cr.execute(SQL("PREPARE %s AS %s", statement, SQL(text)))
            cr.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            cr.execute(SQL("EXPLAIN EXECUTE %s(%s)", statement, SQL(", ").join(SQL("%s", p) for p in params)))
            generic = "\n".join(row[0] for row in cr.fetchall())
            cr.execute(SQL("DEALLOCATE %s", statement))  # a savepoint does not take a PREPARE back
            savepoint.close(rollback=True)  # the indexes are back, the table scan allowed again
        self.assertIn("customer_credit_draft_invoice_partner_idx", plan)
        self.assertIn("customer_credit_draft_invoice_partner_idx", generic)
        # and the draft counts
        self.env.invalidate_all()
        self.assertAlmostEqual(self.customer.with_user(self.credit_officer).credit_draft_invoiced, 300)

    def test_the_exposure_reads_the_companys_currency_not_its_row(self):
        """Reading one field of a record fetches all its columns: for the company, a hundred,
        half of the time of one customer's exposure. The exposure reads the company's currency
        and group-credit setting in its statement, not through the ORM."""
        executed = []
        execute = type(self.env.cr).execute

        def recording(cursor, query, params=None, log_exceptions=True):
            executed.append(str(query))
            return execute(cursor, query, params, log_exceptions)

        partner = self.env["res.partner"].with_user(self.credit_officer).browse(self.customer.id)
        self.assertAlmostEqual(partner.credit_exposure, 1600)  # and the caches warm
        self.env.invalidate_all()
        with patch.object(type(self.env.cr), "execute", recording):
            self.assertAlmostEqual(partner.credit_exposure, 1600)
        self.assertFalse([query for query in executed if 'FROM "res_company"' in query])
        self.assertEqual(partner.credit_currency_id, self.company.currency_id)
        # a new partner's form, which has no row in the statement, has the currency too
        self.assertEqual(partner.new({"name": "New"}).credit_currency_id, self.company.currency_id)


class ExposureCase(CreditCase):
    """Invoices, orders and payments with a 13 % VAT, in company and foreign currency."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat = cls.env["account.tax"].create(
            {"name": "VAT 13%", "amount": 13, "amount_type": "percent", "type_tax_use": "sale"}
        )
        cls.eur = cls.setup_other_currency("EUR", rates=[("1900-01-01", 2.0)])  # 1 company unit = 2 EUR
        cls.eur_pricelist = cls.env["product.pricelist"].create({"name": "EUR", "currency_id": cls.eur.id})
        cls.product_a.invoice_policy = "order"

    @classmethod
    def taxed_invoice(cls, partner, amount, days_ago=0, due_days=30, post=True, move_type="out_invoice"):
        invoice_date = cls.today - timedelta(days=days_ago)
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_date_due": invoice_date + timedelta(days=due_days),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Goods",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.set(cls.vat.ids)],
                        }
                    )
                ],
            }
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def taxed_order(cls, partner, amount, invoice_partner=None, pricelist=None, confirm=True):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                **({"partner_invoice_id": invoice_partner.id} if invoice_partner else {}),
                **({"pricelist_id": pricelist.id} if pricelist else {}),
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product_a.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [Command.set(cls.vat.ids)],
                        }
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    @classmethod
    def customer_payment(cls, partner, amount):
        payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": partner.id,
                "amount": amount,
                "date": cls.today,
            }
        )
        payment.action_post()
        return payment

    def figures(self, partner):
        return self.env["res.partner"]._credit_exposure_figures(self.company, partner.ids).get(partner.id)

    def assertFigures(self, partner, **expected):
        partner.invalidate_recordset()
        partner = partner.with_user(self.credit_officer)
        for name, value in expected.items():
            with self.subTest(field=name):
                self.assertAlmostEqual(partner[name], value, places=2)


class TestExposureTaxIncluded(ExposureCase):
    def test_receivables_drafts_and_orders_tax_included(self):
        customer = self.env["res.partner"].create({"name": "华东机械", "is_company": True})
        self.taxed_invoice(customer, 1000, days_ago=70)  # 1130 due 40 days ago
        self.taxed_invoice(customer, 300, post=False)  # draft, not from an order: 339
        self.taxed_order(customer, 2000)  # 2260 still to invoice
        self.assertFigures(
            customer,
            credit_open_receivable=1000 * 1.13,
            credit_draft_invoiced=300 * 1.13,
            credit_uninvoiced_orders=2000 * 1.13,
            credit_exposure=(1000 + 300 + 2000) * 1.13,
            credit_overdue_amount=1000 * 1.13,
            credit_overdue_days=40,
        )

    def test_foreign_order_at_its_rate(self):
        customer = self.env["res.partner"].create({"name": "Hamburg GmbH", "is_company": True})
        order = self.taxed_order(customer, 1000, pricelist=self.eur_pricelist)
        self.assertEqual(order.currency_id, self.eur)
        self.assertAlmostEqual(order.currency_rate, 2.0)
        # 1000 EUR + 13 % = 1130 EUR, at 2 EUR for one company unit
        self.assertFigures(customer, credit_uninvoiced_orders=1130 / 2.0, credit_exposure=1130 / 2.0)

    def test_order_held_for_credit_is_no_exposure(self):
        customer = self.env["res.partner"].create({"name": "待审客户", "is_company": True})
        order = self.taxed_order(customer, 1000, confirm=False)
        self.env.cr.execute("UPDATE sale_order SET state = 'credit_hold' WHERE id = %s", [order.id])
        order.invalidate_recordset(["state"])
        self.assertFigures(customer, credit_uninvoiced_orders=0.0, credit_exposure=0.0)

    def test_draft_invoice_from_an_order_counts_once(self):
        customer = self.env["res.partner"].create({"name": "订单客户", "is_company": True})
        order = self.taxed_order(customer, 1000)
        invoice = order._create_invoices()
        self.assertEqual(invoice.state, "draft")
        self.assertFigures(
            customer, credit_draft_invoiced=0.0, credit_uninvoiced_orders=1130, credit_exposure=1130
        )
        # A line added by hand to that draft is not from the order: it counts as a draft invoice.
        invoice.write(
            {
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Freight",
                            "quantity": 1,
                            "price_unit": 100,
                            "tax_ids": [Command.set(self.vat.ids)],
                        }
                    )
                ]
            }
        )
        self.assertFigures(customer, credit_draft_invoiced=113, credit_exposure=1130 + 113)
        invoice.action_post()
        self.assertFigures(
            customer, credit_open_receivable=1243, credit_draft_invoiced=0, credit_uninvoiced_orders=0
        )

    def test_down_payment_counts_against_the_rest_of_its_order(self):
        customer = self.env["res.partner"].create({"name": "预付客户", "is_company": True})
        order = self.taxed_order(customer, 1000)  # 1130 tax included
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "percentage", "amount": 10})
        )
        down_payment = wizard._create_invoices(order)
        self.assertAlmostEqual(down_payment.amount_total, 113)
        # Draft down payment: made from the order, the order counts it.
        self.assertFigures(
            customer, credit_draft_invoiced=0, credit_uninvoiced_orders=1130, credit_exposure=1130
        )
        down_payment.action_post()
        self.assertFigures(
            customer, credit_open_receivable=113, credit_uninvoiced_orders=1017, credit_exposure=1130
        )
        self.pay(down_payment, 113)
        self.assertFigures(
            customer, credit_open_receivable=0, credit_uninvoiced_orders=1017, credit_exposure=1017
        )
        final = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "delivered"})
            ._create_invoices(order)
        )
        self.assertAlmostEqual(final.amount_total, 1017)
        self.assertFigures(
            customer, credit_draft_invoiced=0, credit_uninvoiced_orders=1017, credit_exposure=1017
        )
        final.action_post()
        self.assertFigures(
            customer, credit_open_receivable=1017, credit_uninvoiced_orders=0, credit_exposure=1017
        )
        self.pay(final, 500)  # a partial payment
        self.assertFigures(customer, credit_open_receivable=517, credit_exposure=517)

    def test_draft_credit_note_does_not_lower_posted_one_does(self):
        customer = self.env["res.partner"].create({"name": "退货客户", "is_company": True})
        self.taxed_invoice(customer, 1000)
        credit_note = self.taxed_invoice(customer, 200, post=False, move_type="out_refund")
        self.assertFigures(customer, credit_draft_invoiced=0, credit_exposure=1130)
        credit_note.action_post()
        self.assertFigures(customer, credit_open_receivable=1130 - 226, credit_exposure=1130 - 226)


class TestOverdueNetsCredits(ExposureCase):
    def test_customer_in_credit_is_not_overdue(self):
        customer = self.env["res.partner"].create({"name": "多付客户", "is_company": True})
        self.taxed_invoice(customer, 1000, days_ago=70)  # 1130 due 40 days ago
        self.customer_payment(customer, 1500)  # paid in advance of the invoice, not reconciled
        self.assertFigures(
            customer,
            credit_open_receivable=1130 - 1500,
            credit_overdue_amount=0,
            credit_overdue_days=0,
        )
        Partner = self.env["res.partner"].with_user(self.credit_officer)
        self.assertNotIn(customer, Partner.search([("credit_overdue_days", ">", 0)]))
        self.assertIn(customer, Partner.search([("credit_overdue_days", "=", 0)]))
        Monitoring = self.env["customer.credit.monitoring"].with_company(self.company).sudo()
        Monitoring._credit_monitor_overdue(self.company, 500)
        events = self.env["customer.credit.event"].sudo().search([("partner_id", "=", customer.id)])
        self.assertFalse(events.filtered(lambda event: event.event_type == "overdue"))

    def test_unposted_nothing_and_balance_zero_is_not_overdue(self):
        customer = self.env["res.partner"].create({"name": "冲销客户", "is_company": True})
        self.taxed_invoice(customer, 1000, days_ago=70)
        self.taxed_invoice(customer, 1000, move_type="out_refund")  # a posted credit note, unapplied
        self.assertFigures(customer, credit_open_receivable=0, credit_overdue_amount=0, credit_overdue_days=0)

    def test_credits_settle_the_oldest_overdue_first(self):
        customer = self.env["res.partner"].create({"name": "部分逾期", "is_company": True})
        self.taxed_invoice(customer, 1000, days_ago=90)  # 1130 due 60 days ago
        self.taxed_invoice(customer, 1000, days_ago=50)  # 1130 due 20 days ago
        self.taxed_invoice(customer, 1000, days_ago=0)  # 1130 not due
        self.customer_payment(customer, 1500)
        self.assertFigures(
            customer,
            credit_open_receivable=3 * 1130 - 1500,
            credit_overdue_amount=2 * 1130 - 1500,
            credit_overdue_days=20,
        )
        Partner = self.env["res.partner"].with_user(self.credit_officer)
        self.assertIn(customer, Partner.search([("credit_overdue_days", ">=", 20)]))
        self.assertNotIn(customer, Partner.search([("credit_overdue_days", ">", 20)]))
        self.assertNotIn(customer, Partner.search([("credit_overdue_days", "<", 20)]))


class TestExposureQueries(ExposureCase):
    def test_one_and_hundred_partners_cost_the_same(self):
        parents = self.env["res.partner"].create(
            [{"name": f"Group {n}", "is_company": True} for n in range(5)]
        )
        others = self.env["res.partner"].create(
            [
                {
                    "name": f"Customer {n}",
                    "is_company": True,
                    "parent_id": parents[n % 5].id if n % 2 else False,
                }
                for n in range(100)
            ]
        )
        for parent in parents:
            parent._apply_credit_decision(5000, 30, "Group limit")
        for partner in others[:6]:
            self.taxed_invoice(partner, 100, days_ago=40)
            self.taxed_order(partner, 100)
        names = ["credit_exposure", "credit_available", "credit_overdue_amount", "credit_overdue_days"]
        one = self.env["res.partner"].browse(others[0].id).with_user(self.credit_officer)
        many = self.env["res.partner"].browse(others.ids).with_user(self.credit_officer)
        # Warm the caches of rules, groups and company-dependent defaults.
        for records in (many, one):
            self.env.invalidate_all()
            records.read(names)
            self.env.invalidate_all()
            records.mapped("credit_exposure")
        two = self.env["res.partner"].browse(others[:2].ids).with_user(self.credit_officer)
        for how in ("read", "mapped"):
            counts = []
            for records in (one, two, many):
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                if how == "read":
                    records.read(names)
                else:
                    records.mapped("credit_exposure")
                counts.append(self.env.cr.sql_log_count - before)
            with self.subTest(how=how):
                # one partner may cost a query less (see test_exposure_costs_the_same_for_one...)
                self.assertEqual(counts[1], counts[2])
                self.assertLessEqual(counts[0], counts[2])
        with self.assertQueryCount(counts[0]):
            self.env.invalidate_all()
            many.mapped("credit_exposure")
