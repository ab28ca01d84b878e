from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user

from .credit_common import CreditCase


class TestCreditDashboard(CreditCase):
    """The credit overview counts, with each user's rights, what the lists it opens show."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dashboard = cls.env["customer.credit.dashboard"]
        sales = ",".join(
            (
                "sales_team.group_sale_salesman",
                "customer_archive.group_archive_user",
                "customer_credit.group_credit_user",
            )
        )
        cls.other_sales = new_test_user(cls.env, "cc_sales_other", groups=sales, name="Sales Qian")
        cls.customer.user_id = cls.credit_user
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "岭南建材", "is_company": True, "user_id": cls.other_sales.id}
        )
        cls.good_customer = cls.env["res.partner"].create(
            {"name": "江南纺织", "is_company": True, "user_id": cls.credit_user.id}
        )
        # Graded, evaluated two years ago: over its limit, overdue, its review and risk plan due.
        cls.evaluation = cls.evaluate(cls.customer, 1000, date=cls.today - relativedelta(years=2))
        cls.invoice(cls.customer, 1500, days_ago=40)  # due 10 days ago
        # Graded yesterday: within its limit, nothing overdue.
        cls.evaluate(cls.good_customer, 5000, date=cls.today - relativedelta(days=1))
        # Not graded, a limit decided by a manager: over it and overdue.
        cls.other_customer.with_user(cls.credit_manager)._apply_credit_decision(
            500, 30, reason="Initial limit"
        )
        cls.invoice(cls.other_customer, 700, days_ago=35)
        # One order on hold per salesperson.
        cls.hold = cls.held_order(cls.credit_user, cls.customer).credit_hold_ids
        cls.other_hold = cls.held_order(cls.other_sales, cls.other_customer).credit_hold_ids
        cls.mine = cls.customer | cls.other_customer | cls.good_customer

    @classmethod
    def evaluate(cls, partner, limit, date):
        evaluation = (
            cls.env["customer.credit.evaluation"]
            .with_user(cls.credit_officer)
            .create(
                {
                    "partner_id": partner.id,
                    "scorecard_id": cls.scorecard.id,
                    "date": date,
                    "proposed_credit_limit": limit,
                    "risk_plan": "Monthly statement call",
                    "risk_plan_review_date": cls.today,
                }
            )
        )
        evaluation.action_submit()
        evaluation.with_user(cls.credit_manager).action_approve()
        return evaluation

    @classmethod
    def held_order(cls, user, partner):
        order = (
            cls.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product_a.id,
                                "product_uom_qty": 1,
                                "price_unit": 300,
                                "tax_id": [],
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        assert order.state == "credit_hold", order.state
        return order

    def tiles(self, user):
        data = self.Dashboard.with_user(user).get_dashboard_data()
        return {tile["key"]: tile["count"] for section in data["sections"] for tile in section["tiles"]}

    def listed(self, user, key):
        """The records of the list a tile opens, checked against the tile's count."""
        action = self.Dashboard.with_user(user).action_open_tile(key)
        records = self.env[action["res_model"]].with_user(user).search(action["domain"])
        self.assertEqual(len(records), self.tiles(user)[key], key)
        return records.sudo()  # sudo: the accounting test user has no credit rights

    def test_sales_staff_see_holds_and_limits_of_their_own_customers(self):
        self.assertEqual(self.tiles(self.credit_user), {"holds_pending": 1, "over_limit": 1})
        self.assertEqual(self.listed(self.credit_user, "holds_pending"), self.hold)
        self.assertEqual(self.listed(self.credit_user, "over_limit"), self.customer)
        self.assertEqual(self.listed(self.other_sales, "holds_pending"), self.other_hold)
        self.assertEqual(self.listed(self.other_sales, "over_limit"), self.other_customer)

    def test_the_credit_department_sees_all_customers_overdue_by_grade(self):
        grade = self.evaluation.grade_id
        tiles = self.tiles(self.credit_officer)
        self.assertIn(f"overdue_grade_{grade.id}", tiles)
        self.assertIn("overdue_grade_none", tiles)
        evaluations = (
            self.mine.sudo().credit_evaluation_ids
        )  # sudo: the accounting test user has no credit rights
        holds = self.hold | self.other_hold
        expected = {  # tile: (what it lists among the records of this test, those records)
            "holds_pending": (holds, holds),
            "over_limit": (self.customer | self.other_customer, self.mine),
            f"overdue_grade_{grade.id}": (self.customer, self.mine),
            "overdue_grade_none": (self.other_customer, self.mine),
            "risk_plans_due": (self.customer | self.good_customer, self.mine),
            "reviews_due": (self.evaluation, evaluations),
        }
        for key, (records, created) in expected.items():
            with self.subTest(key=key):
                self.assertEqual(self.listed(self.credit_officer, key) & created, records)
        # Each overdue customer is counted under one grade only.
        by_grade = [key for key in tiles if key.startswith("overdue_grade_")]
        found = [self.listed(self.credit_officer, key) & self.mine for key in by_grade]
        self.assertEqual(sum(len(partners) for partners in found), 2)

    def test_a_customer_graded_again_counts_under_its_grade_in_force_as_its_list_shows(self):
        """Each overdue customer counts under its grade in force (its latest approved evaluation's),
        where the tile's list shows it: not also under an earlier grade, and a contact never."""
        earlier = self.evaluation.grade_id
        # graded again, worse: its grade in force is the new one
        again = self.evaluate(self.customer, 100, date=self.today - relativedelta(days=2))
        Evaluation = self.env["customer.credit.evaluation"].sudo()  # sudo: the test user has no credit rights
        lower = Evaluation.browse(again.id).grade_id
        if lower == earlier:  # the scorecard gave the same scores: the latest one another grade, as set-up
            Grade = self.env["customer.credit.grade"].with_user(self.credit_officer)
            lower = Grade.search(
                [("id", "!=", earlier.id)], limit=1
            ).sudo()  # sudo: read below by the test user
            self.env.cr.execute(
                "UPDATE customer_credit_evaluation SET grade_id = %s WHERE id = %s", [lower.id, again.id]
            )
            self.env.invalidate_all()
        self.assertEqual(self.customer.with_user(self.credit_officer).credit_grade_id, lower)
        self.env["res.partner"].create({"name": "岭南建材 财务部", "parent_id": self.other_customer.id})
        tiles = self.tiles(self.credit_officer)
        for key in [key for key in tiles if key.startswith("overdue_grade_")]:
            with self.subTest(key=key):
                listed = self.listed(self.credit_officer, key)  # checks the count against the list
                self.assertTrue(all(partner.commercial_partner_id == partner for partner in listed))
        self.assertNotIn(self.customer, self.listed(self.credit_officer, f"overdue_grade_{earlier.id}"))
        self.assertIn(self.customer, self.listed(self.credit_officer, f"overdue_grade_{lower.id}"))
        self.assertIn(self.other_customer, self.listed(self.credit_officer, "overdue_grade_none"))

    def test_the_credit_department_sees_amounts_and_charts(self):
        data = self.Dashboard.with_user(self.credit_officer).get_dashboard_data()
        amounts = {
            tile["key"]: tile.get("amount") for section in data["sections"] for tile in section["tiles"]
        }
        currency = self.company.currency_id
        # By hand: two held orders of 300; 1,500 against a limit of 1,000 and 700 against 500;
        # 1,500 and 700 overdue. Every figure of the test company is made by this test.
        self.assertEqual(amounts["holds_pending"], currency.format(600))
        self.assertEqual(amounts["over_limit"], currency.format(500 + 200))
        self.assertEqual(amounts["overdue"], currency.format(1500 + 700))
        self.assertEqual(self.tiles(self.credit_officer)["overdue"], 2)
        charts = {chart["key"]: chart["rows"] for chart in data["charts"]}
        grade = self.evaluation.grade_id
        self.assertEqual(
            [(row["label"], row["value"]) for row in charts["exposure_by_grade"]],
            [(grade.display_name, 1500), ("Not Graded", 700)],
        )
        # Due 10 and 5 days ago: both in the first age bucket.
        self.assertEqual([row["value"] for row in charts["overdue_by_age"]], [2200, 0, 0, 0])
        self.assertEqual(
            [(row["res_id"], row["value"]) for row in charts["largest_exposures"]],
            [(self.customer.id, 1500), (self.other_customer.id, 700)],
        )
        # A bar of a grade opens the customers of that grade; it is not a tile of its own.
        key = charts["exposure_by_grade"][0]["tile"]
        self.assertNotIn(key, self.tiles(self.credit_officer))
        action = self.Dashboard.with_user(self.credit_officer).action_open_tile(key)
        found = self.env["res.partner"].with_user(self.credit_officer).search(action["domain"])
        self.assertIn(self.customer, found)
        self.assertNotIn(self.other_customer, found)

    def test_sales_staff_see_no_amounts_nor_charts(self):
        data = self.Dashboard.with_user(self.credit_user).get_dashboard_data()
        self.assertEqual(data["charts"], [])
        self.assertFalse(
            [tile for section in data["sections"] for tile in section["tiles"] if "amount" in tile]
        )
        with self.assertRaises(UserError):
            self.Dashboard.with_user(self.credit_user).action_open_tile(
                f"exposure_grade_{self.evaluation.grade_id.id}"
            )

    def test_reviews_fall_due_after_the_grades_interval(self):
        Evaluation = self.env["customer.credit.evaluation"].with_user(self.credit_officer)
        grade = self.evaluation.grade_id
        months = grade.review_interval_months or 12
        due_on = self.evaluation.date + relativedelta(months=months)
        self.assertEqual(self.evaluation.date_next_review, due_on)
        for today, due in ((due_on - relativedelta(days=1), False), (due_on, True)):
            with freeze_time(today):
                found = Evaluation.search([("review_due", "=", True)]) & self.evaluation
                self.assertEqual(bool(found), due, today)
        # 31 January + 1 month is 28 February: due on the last day of February.
        monthly = self.env["customer.credit.grade"].new({"review_interval_months": 1})
        january = Evaluation.new({"date": "2027-01-31", "grade_id": monthly})
        self.assertEqual(str(january.date_next_review), "2027-02-28")

    def test_counting_costs_the_same_whatever_the_number_of_customers(self):
        Dashboard = self.Dashboard.with_user(self.credit_officer)
        Dashboard.get_dashboard_data()  # warm the caches (record rules, translations)
        self.env.invalidate_all()
        with self.assertQueryCount(QUERIES):
            Dashboard.get_dashboard_data()
        for index in range(10):
            partner = self.env["res.partner"].create({"name": f"客户 {index}", "is_company": True})
            partner.with_user(self.credit_manager)._apply_credit_decision(100, 30, reason="Initial limit")
            self.invoice(partner, 200, days_ago=40)
            self.evaluate(partner, 100, date=self.today - relativedelta(years=2))
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(QUERIES):
            data = Dashboard.get_dashboard_data()
        counts = {tile["key"]: tile["count"] for section in data["sections"] for tile in section["tiles"]}
        self.assertGreaterEqual(counts["over_limit"], 12)
        self.assertGreaterEqual(counts["reviews_due"], 11)

    def test_the_overview_is_the_apps_first_screen_and_its_script_loads(self):
        root = self.env.ref("customer_credit.customer_credit_menu_root")
        action = self.env.ref("customer_credit.customer_credit_dashboard_action")
        menus = self.env["ir.ui.menu"].with_user(self.credit_user).load_web_menus(debug=False)
        self.assertEqual(menus[root.id]["actionID"], action.id)
        bundle = self.env["ir.qweb"]._get_asset_bundle("web.assets_backend")
        scripts = {asset.url: asset.content for asset in bundle.javascripts}
        script = scripts["/customer_credit/static/src/dashboard/dashboard.js"]
        self.assertIn('require("@customer_archive/dashboard/dashboard")', script)
        self.assertIn(f'registry.category("actions").add("{action.tag}"', script)


# One count per tile, the grades, the overdue customers and their grades in one read_group; for
# the amounts and charts: the exposure figures (and the two around them that turn PostgreSQL's JIT
# off for them and back), the customers over limit, the held amounts, the debtors' names and
# grades, the ageing sums.
QUERIES = 25
