"""Credit in the browser: the tours of customer_credit/static/tests/tours/, then the database."""

from customer_archive.tour_common import TourMixin
from odoo.tests import HttpCase

from .credit_common import CreditCase


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
