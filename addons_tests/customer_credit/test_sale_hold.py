import threading
import time

import psycopg2

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError, UserError

from .credit_common import CreditCase


class TestSaleHold(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice(cls.customer, 800, days_ago=5)
        # The customer is managed: a limit was decided through customer_credit.
        cls.customer.with_user(cls.credit_manager)._apply_credit_decision(1000, 30, reason="Initial limit")

    def order(self, amount, partner=None):
        return (
            self.env["sale.order"]
            .with_user(self.credit_user)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
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

    def test_order_within_the_limit_is_confirmed(self):
        order = self.order(150)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_order_over_the_limit_waits_for_a_credit_manager(self):
        order = self.order(300)
        order.action_confirm()
        self.assertEqual(order.state, "credit_hold")
        hold = order.sudo().credit_hold_ids  # sudo: the accounting test user has no credit rights
        self.assertEqual((hold.state, hold.exposure, hold.credit_limit), ("pending", 800, 1000))
        # As the credit manager sees it, who has no rights on sales orders.
        self.env.invalidate_all()
        self.assertEqual(
            hold.with_user(self.credit_manager).display_name,
            f"Credit hold on {order.name} ({order.partner_id.name})",
        )
        self.assertIn("over the credit limit", hold.sudo().reason)  # sudo: the reason as stored
        # The customer's salesperson reads it in full; others only that the credit does not cover it.
        self.assertIn("does not cover", order.credit_hold_reason)
        self.customer.user_id = self.credit_user
        self.env.invalidate_all()
        self.assertIn("over the credit limit", order.with_user(self.credit_user).credit_hold_reason)
        self.assertIn(self.credit_manager, hold.activity_ids.user_id)
        self.assertIn(self.credit_user.partner_id, order.message_ids[0].partner_ids)
        with self.assertRaises(UserError):
            order.write({"order_line": [Command.create({"product_id": self.product_a.id, "price_unit": 1})]})
        with self.assertRaises(AccessError):
            hold.with_user(self.credit_officer).action_release("Paid in advance")
        self.assertEqual(order.state, "credit_hold")
        hold.with_user(self.credit_manager).action_release("Paid in advance")
        self.assertEqual((hold.state, order.state), ("released", "sale"))
        Event = self.env[
            "customer.credit.event"
        ].sudo()  # sudo: the accounting test user has no credit rights
        event = Event.search([("sale_order_id", "=", order.id)])
        self.assertEqual((event.event_type, event.amount), ("hold_release", 300))
        # A copy of a released order is checked again.
        copy = order.copy()
        copy.with_user(self.credit_user).action_confirm()
        self.assertEqual(copy.state, "credit_hold")

    def test_the_managers_are_asked_and_their_own_to_dos_stay(self):
        order = self.order(300)
        order.action_confirm()
        hold = order.sudo().credit_hold_ids  # sudo: the accounting test user has no credit rights
        decision = self.env.ref("customer_archive.mail_activity_type_approval")
        asked = hold.activity_ids.filtered(lambda activity: activity.activity_type_id == decision)
        self.assertIn(self.credit_manager, asked.user_id)
        self.assertNotIn(self.env.ref("base.user_admin"), asked.user_id)
        own = hold.with_user(self.credit_manager).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.credit_manager.id, summary="Call the customer"
        )
        hold.with_user(self.credit_manager).action_release("Paid in advance")
        self.assertFalse(asked.exists())
        self.assertTrue(own.exists())

    def test_each_decision_is_told_to_whoever_confirmed_the_order(self):
        for decision in ("release", "refuse"):
            order = self.order(300)
            order.with_user(self.credit_user).action_confirm()
            hold = order.sudo().credit_hold_ids  # sudo: the accounting test user has no credit rights
            self.assertEqual(hold.requester_id, self.credit_user)
            self.assertNotIn(self.credit_user, hold.activity_ids.user_id)
            if decision == "release":
                hold.with_user(self.credit_manager).action_release("Paid in advance")
            else:
                hold.with_user(self.credit_manager).action_refuse("Pay the open invoice first")
            told = hold.message_ids.filtered(
                lambda message: self.credit_user.partner_id in message.partner_ids
            )
            with self.subTest(decision=decision):
                self.assertEqual(len(told), 1)
                self.assertIn(self.credit_manager.name, str(told.body))
                self.assertFalse(hold.activity_ids)
            # Decided once: a second decision is a wrong state, and changes nothing.
            state = hold.state
            with self.assertRaises(UserError):
                hold.with_user(self.credit_manager).action_refuse("Again")
            self.assertEqual(hold.state, state)

    def test_the_release_cannot_be_forged_from_the_context(self):
        order = self.order(300)
        order.with_context(customer_credit_released=True).action_confirm()
        self.assertEqual(order.state, "credit_hold")

    def test_refusing_sends_the_order_back_to_quotation(self):
        order = self.order(500)
        order.action_confirm()
        hold = order.sudo().credit_hold_ids  # sudo: the accounting test user has no credit rights
        with self.assertRaises(UserError):
            hold.with_user(self.credit_manager).action_refuse("")
        hold.with_user(self.credit_manager).action_refuse("Pay the open invoice first")
        self.assertEqual((hold.state, order.state), ("refused", "draft"))
        order.action_confirm()
        self.assertEqual(order.state, "credit_hold")
        self.assertEqual(len(order.sudo().credit_hold_ids), 2)  # sudo: no credit rights in the test env

    def test_grade_and_hold_policies(self):
        self.customer.with_company(self.company).sudo().credit_on_hold = True  # sudo: reads as the system
        order = self.order(10)
        order.action_confirm()
        self.assertEqual(order.state, "credit_hold")
        self.assertIn("on credit hold", order.sudo().credit_hold_ids.reason)  # sudo: as stored

    def test_unmanaged_customers_keep_odoos_behaviour_unless_switched_on(self):
        stranger = self.env["res.partner"].create({"name": "Walk-in customer"})
        order = self.order(50000, partner=stranger)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.company.credit_enforce_all = True
        stranger.with_company(self.company).sudo().credit_limit = 100  # sudo: reads as the system
        order = self.order(50000, partner=stranger)
        order.action_confirm()
        self.assertEqual(order.state, "credit_hold")


class TestConcurrentOrders(CreditCase):
    """Two salespeople confirm orders of one customer at the same moment on separate connections."""

    def test_two_orders_cannot_both_slip_under_the_limit(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Race customer", "is_company": True})
            partner._apply_credit_decision(1000, 0, reason="test")
            product = env["product.product"].create({"name": "Race product", "list_price": 600})
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            Command.create({"product_id": product.id, "price_unit": 600, "tax_id": []})
                        ],
                    }
                    for _ in range(2)
                ]
            )
            ids = (partner.id, product.id, orders.ids)
        partner_id, product_id, (first_id, second_id) = ids
        outcome = {}

        def confirm(cr, order_id):
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].browse(order_id)
            order.action_confirm()
            return order.state

        def second_salesperson():
            for _attempt in range(5):  # like Odoo's RPC layer: retry on a serialization failure
                cr = self.registry.cursor()
                try:
                    outcome["second"] = confirm(cr, second_id)
                    cr.commit()
                    return
                except psycopg2.errors.SerializationFailure:
                    cr.rollback()
                    outcome["retried"] = True
                finally:
                    cr.close()

        first_cr = self.registry.cursor()
        try:
            outcome["first"] = confirm(first_cr, first_id)
            thread = threading.Thread(target=second_salesperson)
            thread.start()
            time.sleep(1.0)
            self.assertTrue(thread.is_alive())
            first_cr.commit()
            thread.join(30)
        finally:
            first_cr.close()
            with self.registry.cursor() as cr:
                cr.execute(
                    "SELECT id FROM customer_credit_hold WHERE order_id IN %s", [(first_id, second_id)]
                )
                hold_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
                # What the hold and the orders left in the chatter and the managers' to-dos.
                for model, ids in (("customer.credit.hold", hold_ids), ("sale.order", (first_id, second_id))):
                    cr.execute(
                        "DELETE FROM mail_activity WHERE res_model = %s AND res_id IN %s", [model, ids]
                    )
                    cr.execute("DELETE FROM mail_message WHERE model = %s AND res_id IN %s", [model, ids])
                    cr.execute(
                        "DELETE FROM mail_followers WHERE res_model = %s AND res_id IN %s", [model, ids]
                    )
                cr.execute("DELETE FROM customer_credit_hold WHERE id IN %s", [hold_ids])
                cr.execute("DELETE FROM sale_order WHERE id IN %s", [(first_id, second_id)])
                cr.execute("DELETE FROM customer_credit_limit_history WHERE partner_id = %s", [partner_id])
                cr.execute("DELETE FROM product_product WHERE id = %s", [product_id])
                cr.execute("DELETE FROM res_partner WHERE id = %s", [partner_id])
        self.assertEqual(outcome["first"], "sale")
        self.assertTrue(outcome.get("retried"))
        self.assertEqual(outcome["second"], "credit_hold")
