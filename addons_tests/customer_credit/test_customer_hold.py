from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tools.translate import code_translations

from .credit_common import CreditCase

HOLD_SUMMARY = "Customer put on credit hold"


def delegate(case):
    """A delegation in force from the credit manager to the credit officer."""
    now = fields.Datetime.now()
    return (
        case.env["customer.archive.delegation"]
        .with_user(case.credit_manager)
        .create(
            {
                "delegate_id": case.credit_officer.id,
                "delegated_group_id": case.env.ref("customer_credit.group_credit_manager").id,
                "date_from": now - timedelta(hours=1),
                "date_to": now + timedelta(days=7),
                "reason": "Annual leave",
            }
        )
    )


class TestCustomerHold(CreditCase):
    """Customer-level credit hold and lift (C8): credit managers and their deputies, with a reason,
    recorded as credit events, the salesperson told in their language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.credit_user  # the salesperson
        cls.other = cls.env["res.partner"].create({"name": "华东机械", "is_company": True})
        cls.customer.with_user(cls.credit_manager)._apply_credit_decision(1000, 30, reason="Initial limit")

    def wizard(self, user, action, partners, reason="Pays late, see the dunning letters"):
        return (
            self.env["customer.credit.partner.hold.wizard"]
            .with_user(user)
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create({"action": action, "reason": reason})
        )

    def on_hold(self, partner):
        return (
            partner.with_company(self.company).sudo().credit_on_hold
        )  # sudo: the test env lacks credit rights

    def hold_events(self, partner):
        return (
            self.env["customer.credit.event"]
            .sudo()  # sudo: the accounting test user has no credit rights
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("event_type", "in", ("credit_hold", "credit_hold_lifted")),
                ],
                order="id",
            )
        )

    def hold_activities(self, partner):
        return self.credit_activities(partner, "customer_credit.mail_activity_type_credit_hold")

    def test_manager_holds_and_lifts_several_customers_from_the_list(self):
        partners = self.customer | self.other
        self.wizard(self.credit_manager, "hold", partners).action_confirm()
        self.assertEqual([self.on_hold(p) for p in partners], [True, True])
        event = self.hold_events(self.customer)
        self.assertEqual(event.event_type, "credit_hold")
        self.assertTrue(event.is_system)
        self.assertIn("Pays late, see the dunning letters", event.description)
        self.assertIn(self.credit_manager.name, event.description)
        self.assertEqual(len(self.hold_events(self.other)), 1)
        # The salesperson is told; the customer without a salesperson makes no activity.
        activity = self.hold_activities(self.customer)
        self.assertEqual(activity.user_id, self.credit_user)
        self.assertEqual(activity.summary, HOLD_SUMMARY)
        self.assertFalse(self.hold_activities(self.other))

        # Lifting needs its reason too; then it is recorded beside the hold.
        with self.assertRaises(UserError):
            self.wizard(self.credit_manager, "lift", self.customer, reason="  ").action_confirm()
        self.assertTrue(self.on_hold(self.customer))
        self.wizard(self.credit_manager, "lift", self.customer, reason="Paid in full").action_confirm()
        self.assertFalse(self.on_hold(self.customer))
        with self.assertRaises(UserError):  # nothing to lift
            self.wizard(self.credit_manager, "lift", self.customer, reason="Again").action_confirm()
        self.assertTrue(self.on_hold(self.other))
        self.assertEqual(
            self.hold_events(self.customer).mapped("event_type"), ["credit_hold", "credit_hold_lifted"]
        )
        self.assertIn("Paid in full", self.hold_events(self.customer)[-1].description)

    def test_salesperson_cannot_hold_or_lift(self):
        with self.assertRaises(AccessError):
            self.wizard(self.credit_user, "hold", self.customer)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.credit_user).write({"credit_on_hold": True})
        self.wizard(self.credit_manager, "hold", self.customer).action_confirm()
        with self.assertRaises(AccessError):
            self.customer.with_user(self.credit_user).write({"credit_on_hold": False})
        self.assertTrue(self.on_hold(self.customer))
        self.assertEqual(len(self.hold_events(self.customer)), 1)

    def test_credit_manager_cannot_write_the_hold_around_the_decision(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.credit_manager).write({"credit_on_hold": True})
        self.assertFalse(self.on_hold(self.customer))

    def test_officer_needs_a_delegation_and_acts_on_behalf_of_the_manager(self):
        wizard = self.wizard(self.credit_officer, "hold", self.customer)
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertFalse(self.on_hold(self.customer))
        self.assertFalse(self.hold_events(self.customer))

        delegate(self)
        self.wizard(self.credit_officer, "hold", self.customer).action_confirm()
        self.assertTrue(self.on_hold(self.customer))
        event = self.hold_events(self.customer)
        self.assertIn(
            f"{self.credit_officer.name} on behalf of {self.credit_manager.name}", event.description
        )

    def test_the_salesperson_is_told_in_their_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.credit_user.lang = "zh_CN"
        translations = dict(code_translations.get_python_translations("customer_credit", "zh_CN"))
        translations[HOLD_SUMMARY] = "客户已被信用冻结"
        with patch.dict(code_translations.python_translations, {("customer_credit", "zh_CN"): translations}):
            self.wizard(self.credit_manager, "hold", self.customer).action_confirm()
        self.assertEqual(self.hold_activities(self.customer).summary, "客户已被信用冻结")


class TestOrderHoldDelegation(CreditCase):
    """A credit officer under a delegation (委托书) from a credit manager releases or refuses order
    holds; the decision records on whose behalf."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.with_user(cls.credit_manager)._apply_credit_decision(1000, 30, reason="Initial limit")

    def held_order(self, amount=5000):
        order = (
            self.env["sale.order"]
            .with_user(self.credit_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_a.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                                "tax_id": [],
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "credit_hold")
        # sudo: the accounting test user reads the hold; each decision is taken with_user(...)
        return order, order.sudo().credit_hold_ids

    def test_officer_without_delegation_is_refused(self):
        order, hold = self.held_order()
        with self.assertRaises(AccessError):
            hold.with_user(self.credit_officer).action_release("Paid in advance")
        with self.assertRaises(AccessError):
            hold.with_user(self.credit_officer).action_refuse("Too much")
        self.assertEqual((hold.state, order.state), ("pending", "credit_hold"))
        self.assertFalse(hold.approver_id)

    def test_deciders_cannot_rewrite_what_was_held(self):
        delegate(self)
        order, hold = self.held_order()
        for user in (self.credit_officer, self.credit_manager):
            for vals in ({"order_amount": 1}, {"reason": "nothing"}, {"credit_limit": 10**9}):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(UserError):
                    hold.with_user(user).write(vals)
        self.assertEqual(hold.order_amount, 5000)

    def test_officer_under_delegation_releases_on_behalf_of_the_manager(self):
        delegate(self)
        order, hold = self.held_order()
        hold.with_user(self.credit_officer).action_release("Paid in advance")
        self.assertEqual((hold.state, order.state), ("released", "sale"))
        self.assertEqual(hold.approver_id, self.credit_officer)
        self.assertEqual(hold.approved_on_behalf_of_id, self.credit_manager)
        self.assertTrue(hold.approval_delegation_id)

    def test_officer_under_delegation_refuses_from_the_wizard(self):
        delegate(self)
        order, hold = self.held_order()
        action = hold.with_user(self.credit_officer).action_open_refusal()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.credit_officer)
            .with_context(action["context"])
            .create({"reason": "Pay the open invoices first"})
        )
        wizard.action_confirm()
        self.assertEqual((hold.state, order.state), ("refused", "draft"))
        self.assertEqual(hold.approved_on_behalf_of_id, self.credit_manager)
