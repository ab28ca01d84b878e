"""Credit in the browser: the tours of customer_credit/static/tests/tours/, then the database;
the printed forms the README shows."""

from dateutil.relativedelta import relativedelta

from customer_archive.tour_common import SCREENSHOT_LANG, TourMixin
from odoo import Command
from odoo.tests import HttpCase

from .credit_common import CreditCase

AGEING = "customer_credit.action_report_customer_credit_ageing"
LETTER = "customer_credit.report_collection_letter"


class TestCreditTours(TourMixin, CreditCase, HttpCase):
    def test_officer_evaluates_and_manager_approves(self):
        # The test environment's user is not in the credit groups: read as superuser.
        Evaluation = self.env["customer.credit.evaluation"].sudo()  # sudo: no credit rights in the test env
        self.run_tour(
            "/odoo/action-customer_credit.customer_credit_evaluation_action/new",
            "customer_credit_evaluation_submit",
            login="cc_officer",
        )
        evaluation = Evaluation.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(evaluation), 1)
        self.assertEqual(
            (evaluation.state, evaluation.requester_id, evaluation.scorecard_id),
            ("submitted", self.credit_officer, self.scorecard),
        )
        self.assertEqual(len(evaluation.line_ids), len(self.scorecard.indicator_ids))
        manual = evaluation.line_ids.filtered(lambda line: line.kind == "manual").sorted("sequence")
        self.assertEqual(manual.mapped("score"), [90, 80])
        self.assertAlmostEqual(
            evaluation.total_score,
            sum(line.score * line.weight / 100 for line in evaluation.line_ids),
            places=2,
        )
        self.assertEqual((evaluation.proposed_credit_limit, evaluation.proposed_term_days), (150000, 45))
        self.assertEqual(evaluation.note, "五月实地考察了客户工厂")

        self.run_tour(
            f"/odoo/action-customer_credit.customer_credit_evaluation_action/{evaluation.id}",
            "customer_credit_evaluation_approve",
            login="cc_manager",
        )
        evaluation.invalidate_recordset()
        self.assertEqual((evaluation.state, evaluation.approver_id), ("approved", self.credit_manager))
        partner = self.customer.sudo().with_company(self.company)  # sudo: no credit rights in the test env
        partner.invalidate_recordset()
        self.assertEqual(partner.credit_evaluation_id, evaluation)
        self.assertEqual(partner.credit_grade_id, evaluation.grade_id)
        self.assertEqual((partner.credit_limit, partner.credit_term_days), (150000, 45))

    def test_order_on_credit_hold_is_released(self):
        # A customer the credit department manages, with a limit below the order.
        self.customer.with_user(self.credit_manager)._apply_credit_decision(500, 30, reason="Initial limit")
        self.customer.user_id = self.credit_user
        # No sales tax, so that the order's 1,000.00 is what the customer owes (exposure is tax included).
        self.product_a.write({"name": "可编程控制器 PLC-200", "lst_price": 1000, "taxes_id": [(5,)]})
        self.run_tour(
            "/odoo/action-sale.action_quotations_with_onboarding/new",
            "customer_credit_order_hold",
            login="cc_sales",
        )
        Order = self.env["sale.order"].sudo()  # sudo: the accounting test user has no credit rights
        order = Order.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual((order.state, order.user_id), ("credit_hold", self.credit_user))
        self.assertEqual(order.amount_untaxed, 1000)
        hold = order.credit_hold_ids
        self.assertEqual(
            (hold.state, hold.requester_id, hold.order_amount, hold.credit_limit),
            ("pending", self.credit_user, 1000, 500),
        )

        self.run_tour(
            "/odoo/action-customer_credit.customer_credit_dashboard_action",
            "customer_credit_hold_release",
            login="cc_manager",
        )
        order.invalidate_recordset()
        hold.invalidate_recordset()
        self.assertEqual(
            (hold.state, hold.approver_id, hold.release_reason),
            ("released", self.credit_manager, "客户已预付货款"),
        )
        self.assertEqual(order.state, "sale")
        Event = self.env[
            "customer.credit.event"
        ].sudo()  # sudo: the accounting test user has no credit rights
        event = Event.search([("sale_order_id", "=", order.id)])
        self.assertEqual((event.event_type, event.amount), ("hold_release", 1000))


class TestCreditOverviewAndForms(TourMixin, CreditCase, HttpCase):
    """The credit department's overview, ageing report and reminder letter (催收函) as the README
    shows them, on a book of receivables of several ages. The forms are printed with wkhtmltopdf in
    every run; their first pages are saved as PNG files when screenshots are asked for."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # wkhtmltopdf fetches the reports' styles from report.url: from the test's own server.
        cls.env["ir.config_parameter"].set_param("report.url", cls.base_url())
        Partner = cls.env["res.partner"]
        cls.customer.write(
            {
                "user_id": cls.credit_user.id,
                "street": "深南大道6008号",
                "city": "深圳",
                "zip": "518000",
                "email": "finance@huanan.example.com",
            }
        )
        textile, heavy, energy, ships = Partner.create(
            [
                {"name": name, "is_company": True, "user_id": cls.credit_user.id}
                for name in ("江南纺织", "华北重工", "西部能源", "东海船舶")
            ]
        )
        # Graded two years ago (its review is due), and graded last month.
        cls.evaluate(cls.customer, 100000, cls.today - relativedelta(years=2))
        cls.evaluate(textile, 200000, cls.today - relativedelta(months=1))
        # Limits a credit manager decided, without a grade.
        heavy.with_user(cls.credit_manager)._apply_credit_decision(50000, 30, reason="Initial limit")
        ships.with_user(cls.credit_manager)._apply_credit_decision(60000, 30, reason="Initial limit")
        # Invoices due after 30 days: days_ago - 30 days overdue.
        cls.late = cls.invoice(cls.customer, 48000, days_ago=40)
        cls.later = cls.invoice(cls.customer, 26000, days_ago=75)
        cls.invoice(cls.customer, 12000, days_ago=5)
        cls.invoice(heavy, 65000, days_ago=100)
        cls.invoice(heavy, 30000, days_ago=20)
        cls.invoice(textile, 80000, days_ago=10)
        cls.invoice(textile, 15000, days_ago=45)
        cls.invoice(energy, 22000, days_ago=160)
        cls.invoice(ships, 35000, days_ago=33)
        # An order over 华北重工's limit, on hold.
        order = (
            cls.env["sale.order"]
            .with_user(cls.credit_user)
            .create(
                {
                    "partner_id": heavy.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product_a.id,
                                "product_uom_qty": 4,
                                "price_unit": 10000,
                                "tax_id": [],
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        cls.hold = order.credit_hold_ids

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
                    "risk_plan": "每月对账，逾期即电话催收",
                    "risk_plan_review_date": cls.today + relativedelta(months=3),
                }
            )
        )
        evaluation.line_ids.filtered(lambda line: line.kind == "manual").write({"score": 85})
        evaluation.action_submit()
        evaluation.with_user(cls.credit_manager).action_approve()
        return evaluation

    def setUp(self):
        super().setUp()
        if self.screenshot_folder():
            self.screenshot_users("cc_officer")
            # The letter is written in the customer's language.
            if self.env["res.lang"]._lang_get(SCREENSHOT_LANG):
                self.customer.lang = SCREENSHOT_LANG

    def test_officer_reads_the_overview(self):
        # The tour checks the amounts, by hand: the held order 4 x 10,000 = 40,000; 华北重工 owes
        # 95,000 against a limit of 50,000: 45,000 over; overdue 48,000 + 26,000 + 65,000 + 15,000
        # + 22,000 + 35,000 = 211,000 (the invoices of 5, 10 and 20 days are not due yet).
        self.assertEqual(self.hold.state, "pending")
        self.run_tour(
            "/odoo/action-customer_credit.customer_credit_dashboard_action",
            "customer_credit_overview",
            login="cc_officer",
        )

    def test_ageing_report(self):
        wizard = self.env["customer.credit.ageing.wizard"].with_user(self.credit_officer).create({})
        pages = self.print_form("credit_ageing_report", AGEING, wizard, self.credit_officer)
        # By hand: every invoice above is open, 333,000.00 in all.
        self.assertIn("333,000.00", " ".join(pages))

    def test_reminder_letter(self):
        pages = self.print_form("collection_letter", LETTER, self.customer, self.credit_officer)
        self.assertIn(self.late.name, pages[0])
        self.assertIn(self.later.name, pages[0])
        self.assertIn("48,000.00", pages[0])
