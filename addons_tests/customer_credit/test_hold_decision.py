"""A credit hold is decided with the customer's credit in view, and released or refused with a
reason that is recorded (issue 15, item 5: hold decisions with context)."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .credit_common import CreditCase


class TestHoldDecision(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 800 overdue for 10 days (due 40 days ago), 300 not due yet: 1,100 receivable.
        cls.overdue = cls.invoice(cls.customer, 800, days_ago=40, due_days=30)
        cls.open = cls.invoice(cls.customer, 300, days_ago=5)
        cls.customer.with_user(cls.credit_manager)._apply_credit_decision(1500, 30, reason="Initial limit")
        cls.customer.sudo().payment_habits = "Pays at the end of the month, by bank transfer."
        cls.dispute = (
            cls.env["customer.credit.event"]
            .with_user(cls.credit_officer)
            .create({"partner_id": cls.customer.id, "event_type": "dispute", "description": "质量纠纷"})
        )
        tax = cls.env["account.tax"].create({"name": "VAT 13%", "amount": 13, "type_tax_use": "sale"})
        cls.order = (
            cls.env["sale.order"]
            .with_user(cls.credit_user)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product_a.id,
                                "name": "伺服驱动器",
                                "product_uom_qty": 2,
                                "price_unit": 500,
                                "tax_id": [Command.set(tax.ids)],
                            }
                        )
                    ],
                }
            )
        )
        cls.order.action_confirm()
        cls.hold = cls.order.sudo().credit_hold_ids  # sudo: the test user has no credit rights

    def test_the_hold_shows_the_customers_credit_to_decide_on(self):
        self.assertEqual(self.order.state, "credit_hold")
        hold = self.hold.with_user(self.credit_manager)
        # Figures computed by hand: receivables 800 + 300; the held order is not counted yet.
        self.assertEqual(hold.order_amount, 1130)  # 2 x 500, 13% tax included
        self.assertEqual(hold.customer_credit_limit, 1500)
        self.assertEqual(hold.customer_exposure, 1100)
        self.assertEqual(hold.customer_available, 400)
        self.assertEqual(hold.customer_overdue_amount, 800)
        self.assertEqual(hold.customer_overdue_days, 10)
        self.assertEqual((hold.customer_ageing_not_due, hold.customer_ageing_1_30), (300, 800))
        self.assertEqual(hold.customer_ageing_over_90, 0)
        self.assertEqual(hold.customer_payment_habits, "Pays at the end of the month, by bank transfer.")
        self.assertIn(self.dispute, hold.customer_event_ids)
        summary = str(hold.document_summary)
        self.assertIn("伺服驱动器", summary)
        self.assertIn("1,130.00", summary)
        # The salesperson who confirmed it reads none of the customer's credit file here.
        with self.assertRaises(AccessError):
            self.hold.with_user(self.credit_user).read(["customer_exposure"])
        with self.assertRaises(AccessError):
            self.hold.with_user(self.credit_user).web_read({"release_reason": {}, "document_summary": {}})

    def test_a_release_needs_its_reason_and_records_it(self):
        hold = self.hold.with_user(self.credit_manager)
        for reason in (None, "", "   "):
            with self.assertRaises(UserError):
                hold.action_release(reason)
        self.assertEqual(
            (hold.state, self.order.state, hold.release_reason), ("pending", "credit_hold", False)
        )
        # The release window, as the credit manager uses it.
        action = hold.action_open_release()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.credit_manager).with_context(action["context"])
        )
        wizard.reason = "客户已预付 50% 货款"
        wizard.save().action_confirm()
        self.assertEqual((hold.state, self.order.state), ("released", "sale"))
        self.assertEqual(hold.release_reason, "客户已预付 50% 货款")
        event = (
            self.env["customer.credit.event"]
            .sudo()
            .search(  # sudo: the test user reads events
                [("partner_id", "=", self.customer.id), ("event_type", "=", "hold_release")]
            )
        )
        self.assertIn("客户已预付 50% 货款", event.description)

    def test_the_release_reason_is_written_by_the_release_only(self):
        for user in (self.credit_manager, self.credit_officer):
            with self.assertRaises(UserError):
                self.hold.with_user(user).write({"release_reason": "rewritten"})
        self.assertFalse(self.hold.release_reason)
        # A salesperson cannot open the release window.
        with self.assertRaises(AccessError):
            self.env["customer.credit.hold.release.wizard"].with_user(self.credit_user).create(
                {"hold_id": self.hold.id, "reason": "mine"}
            )
        self.assertEqual(self.hold.state, "pending")

    def test_a_refusal_needs_its_reason_too(self):
        hold = self.hold.with_user(self.credit_manager)
        with self.assertRaises(UserError):
            hold.action_refuse(" ")
        self.assertEqual(hold.state, "pending")
        hold.action_refuse("逾期未清")
        self.assertEqual(
            (hold.state, self.order.state, hold.rejection_reason), ("refused", "draft", "逾期未清")
        )
