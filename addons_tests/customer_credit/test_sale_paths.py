from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .credit_common import CreditCase

VAT = 0.13


class SalePathCase(CreditCase):
    """Every path by which a salesperson (cc_sales) could create or enlarge a debt: made as an RPC
    caller makes them (create, write, copy, load, the buttons), with 13 % VAT on the orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat = cls.env["account.tax"].create(
            {"name": "VAT 13%", "amount": 13, "amount_type": "percent", "type_tax_use": "sale"}
        )
        # The customer is managed: 1 000 of credit for 30 days, decided by the credit manager.
        cls.customer.with_user(cls.credit_manager)._apply_credit_decision(1000, 30, reason="Initial limit")
        # A shop of another company that orders goods invoiced to (and paid by) the customer.
        cls.shop = cls.env["res.partner"].create({"name": "门店 Shop", "is_company": True})
        cls.Order = cls.env["sale.order"].with_user(cls.credit_user)
        cls.term_60 = cls.env["account.payment.term"].create(
            {
                "name": "60 days",
                "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 60})],
            }
        )
        cls.term_30 = cls.env["account.payment.term"].create(
            {
                "name": "30 days",
                "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})],
            }
        )

    def order(self, price, partner=None, invoice_to=None, qty=1, **values):
        """A quotation made by the salesperson: ``qty`` x ``price`` + 13 % VAT."""
        partner = partner or self.customer
        return self.Order.create(
            {
                "partner_id": partner.id,
                "partner_invoice_id": (invoice_to or partner).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "product_uom_qty": qty,
                            "price_unit": price,
                            "tax_id": [Command.set(self.vat.ids)],
                        }
                    )
                ],
                **values,
            }
        )

    def holds(self, order, state=None):
        holds = order.sudo().credit_hold_ids  # sudo: the test env has no credit rights
        return holds.filtered(lambda hold: hold.state == state) if state else holds


class TestDebtorAndAmount(SalePathCase):
    def test_the_order_counts_tax_included(self):
        # 880 + 13 % = 994.40 fits in 1 000; 900 + 13 % = 1 017 does not.
        fits = self.order(880)
        self.assertAlmostEqual(fits.amount_total, 994.40)
        fits.action_confirm()
        self.assertEqual(fits.state, "sale")
        over = self.order(5)  # 5.65 more: 1 000.05 > 1 000
        over.action_confirm()
        self.assertEqual(over.state, "credit_hold")
        hold = self.holds(over)
        self.assertAlmostEqual(hold.order_amount, 5.65)
        self.assertAlmostEqual(hold.exposure, 994.40)
        self.assertEqual(hold.partner_id, self.customer)

    def test_the_debtor_is_the_invoice_address(self):
        # The shop is not managed; its order invoiced to the customer is the customer's debt.
        order = self.order(900, partner=self.shop, invoice_to=self.customer)
        order.action_confirm()
        self.assertEqual(order.state, "credit_hold")
        hold = self.holds(order)
        self.assertEqual((hold.partner_id, hold.order_amount), (self.customer, 1017))
        self.assertIn(self.customer.name, hold.reason)
        # The same order invoiced to the shop itself is the shop's: not controlled.
        own = self.order(900, partner=self.shop)
        own.action_confirm()
        self.assertEqual(own.state, "sale")

    def test_an_order_invoiced_to_a_customer_on_hold_is_held(self):
        # sudo: the credit manager's decision, recorded elsewhere; here only its effect
        self.customer.sudo().with_company(self.company)._credit_decision_write({"credit_on_hold": True})
        order = self.order(1, partner=self.shop, invoice_to=self.customer)
        order.action_confirm()
        self.assertEqual(order.state, "credit_hold")
        self.assertIn("on credit hold", self.holds(order).reason)

    def test_a_payment_term_longer_than_granted_is_held(self):
        order = self.order(10, payment_term_id=self.term_60.id)
        order.action_confirm()
        self.assertEqual(order.state, "credit_hold")
        self.assertIn("60 days", self.holds(order).reason)
        self.assertIn("30 days", self.holds(order).reason)
        within = self.order(10, payment_term_id=self.term_30.id)
        within.action_confirm()
        self.assertEqual(within.state, "sale")


class TestBatchConfirmation(SalePathCase):
    def test_orders_confirmed_together_cannot_pass_the_limit_together(self):
        # Three orders of 400 + 13 % = 452: two fit in 1 000 (904), the third would make 1 356.
        orders = self.order(400) | self.order(400) | self.order(400)
        orders.action_confirm()
        self.assertEqual(orders.mapped("state"), ["sale", "sale", "credit_hold"])
        hold = self.holds(orders[2])
        self.assertAlmostEqual(hold.exposure, 904)
        self.assertAlmostEqual(hold.order_amount, 452)

    def test_imported_orders_confirmed_in_one_call(self):
        result = self.Order.load(
            ["partner_id/.id", "order_line/product_id/.id", "order_line/price_unit", "order_line/tax_id/.id"],
            [[str(self.customer.id), str(self.product_a.id), "600", str(self.vat.id)] for _i in range(2)],
        )
        self.assertFalse([m for m in result["messages"] if m["type"] == "error"], result["messages"])
        orders = self.Order.browse(result["ids"])
        self.assertEqual(orders.mapped("amount_total"), [678, 678])
        orders.action_confirm()
        self.assertEqual(orders.mapped("state"), ["sale", "credit_hold"])


class TestStateOnlyThroughTheWorkflow(SalePathCase):
    def test_state_cannot_be_written(self):
        order = self.order(5000)
        for state in ("sale", "credit_hold"):
            with self.assertRaises(AccessError):
                order.write({"state": state})
            # A string in the context is not the workflow's pass.
            with self.assertRaises(AccessError):
                order.with_context(customer_credit_state_change=True).write({"state": state})
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        self.assertFalse(self.holds(order))
        # The buttons move it: a quotation sent, then confirmed through the credit check.
        order.action_quotation_sent()
        self.assertEqual(order.state, "sent")
        order.action_confirm()
        self.assertEqual(order.state, "credit_hold")
        # The system (data loading, Odoo itself as superuser) is not refused.
        order.sudo().write({"state": "credit_hold"})

    def test_an_order_cannot_be_created_confirmed(self):
        before = self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)])
        with self.assertRaises(AccessError):
            self.order(5000, state="sale")
        with self.assertRaises(AccessError):
            self.order(5000, state="credit_hold")
        with self.assertRaises(AccessError):
            self.Order.with_context(default_state="sale").create({"partner_id": self.customer.id})
        confirmed = self.order(10)
        confirmed.action_confirm()
        with self.assertRaises(AccessError):
            confirmed.copy({"state": "sale"})
        result = self.Order.load(["partner_id/.id", "state"], [[str(self.customer.id), "sale"]])
        self.assertFalse(result["ids"])
        self.assertIn("quotation", " ".join(message["message"] for message in result["messages"]))
        after = self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)])
        self.assertEqual(after, before + 1)
        # Allowed beside: a quotation, and a copy of a confirmed order, which is a quotation.
        self.assertEqual(confirmed.copy().state, "draft")

    def test_sending_by_email_marks_the_quotation_sent(self):
        order = self.order(10)
        order.with_context(mark_so_as_sent=True).message_post(body="Your quotation")
        self.assertEqual(order.state, "sent")

    def test_cancel_and_back_to_quotation(self):
        order = self.order(10)
        order.action_confirm()
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.state, "cancel")
        order.action_draft()
        self.assertEqual(order.state, "draft")


class TestConfirmedOrdersThatGrow(SalePathCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_credit_manager = new_test_user(
            cls.env,
            "cc_sales_manager",
            groups="sales_team.group_sale_salesman_all_leads,customer_credit.group_credit_manager",
            name="Sales and Credit Manager Wu",
        )
        # The customer's own salesperson reads why a change is refused, with the figures; another
        # salesperson reads only that the credit does not cover it (test_partner_paths.py).
        cls.customer.user_id = cls.credit_user

    def setUp(self):
        super().setUp()
        # 500 + 13 % = 565 of the 1 000.
        self.confirmed = self.order(500)
        self.confirmed.action_confirm()
        self.assertEqual(self.confirmed.state, "sale")
        self.line = self.confirmed.order_line

    def assertUnchanged(self, amount=565):
        self.confirmed.invalidate_recordset()
        self.line.invalidate_recordset()
        self.assertAlmostEqual(self.confirmed.amount_total, amount)
        self.assertEqual(len(self.confirmed.order_line), 1)

    def test_growing_past_the_limit_is_refused(self):
        # 2 x 565 = 1 130 > 1 000
        with self.assertRaises(UserError) as refusal:
            self.line.write({"product_uom_qty": 2, "price_unit": 500})
        self.assertIn("over the credit limit", str(refusal.exception))
        self.assertIn("565.00", str(refusal.exception))  # the change, tax included
        with self.assertRaises(UserError):
            self.line.write({"price_unit": 900})
        with self.assertRaises(UserError):
            self.line.write({"tax_id": [Command.set([])], "price_unit": 1001})
        with self.assertRaises(UserError):
            self.confirmed.write(
                {"order_line": [Command.create({"product_id": self.product_a.id, "price_unit": 500})]}
            )
        with self.assertRaises(UserError):
            self.env["sale.order.line"].with_user(self.credit_user).create(
                {"order_id": self.confirmed.id, "product_id": self.product_a.id, "price_unit": 500}
            )
        self.assertUnchanged()

    def test_changes_that_do_not_enlarge_the_debt_pass(self):
        self.line.write({"qty_delivered": 1})
        self.line.write({"price_unit": 400})  # 452
        self.assertUnchanged(452)
        self.line.write({"discount": 10})  # 406.80
        self.assertUnchanged(406.8)
        # Growth within the limit: 800 + 13 % = 904.
        self.line.write({"price_unit": 800, "discount": 0})
        self.assertUnchanged(904)

    def test_a_new_invoice_address_is_checked(self):
        # The shop's order, invoiced to the shop (not controlled), confirmed: 800 + 13 % = 904.
        order = self.order(800, partner=self.shop)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # Invoiced to the customer instead: 565 + 904 = 1 469 > 1 000.
        with self.assertRaises(UserError) as refusal:
            order.write({"partner_invoice_id": self.customer.id})
        self.assertIn("cannot grow", str(refusal.exception))
        order.invalidate_recordset()
        self.assertEqual(order.partner_invoice_id, self.shop)

    def test_another_customer_is_checked(self):
        order = self.order(800, partner=self.shop)
        order.action_confirm()
        # The customer's instead of the shop's: its invoice address follows, 565 + 904 > 1 000.
        with self.assertRaises(UserError):
            order.write({"partner_id": self.customer.id})
        order.invalidate_recordset()
        self.assertEqual((order.partner_id, order.partner_invoice_id), (self.shop, self.shop))

    def test_a_stronger_currency_is_checked(self):
        # (Odoo itself refuses another pricelist on a confirmed order; the currency is written.)
        euro = self.setup_other_currency("EUR", rates=[("1900-01-01", 0.5)])
        # 565 EUR at 0.5 EUR for one unit of company currency: 1 130 > 1 000.
        with self.assertRaises(UserError) as refusal:
            self.confirmed.write({"currency_id": euro.id})
        self.assertIn("cannot grow", str(refusal.exception))
        self.assertIn("565.00", str(refusal.exception))
        self.confirmed.invalidate_recordset()
        self.assertEqual(self.confirmed.currency_id, self.company.currency_id)
        # A weaker one (2 CHF for one unit) makes the debt smaller: 282.50.
        weak = self.setup_other_currency("CHF", rates=[("1900-01-01", 2.0)])
        self.confirmed.write({"currency_id": weak.id})
        self.assertEqual(self.confirmed.currency_id, weak)

    def test_a_longer_payment_term_is_checked(self):
        with self.assertRaises(UserError) as refusal:
            self.confirmed.write({"payment_term_id": self.term_60.id})
        self.assertIn("60 days", str(refusal.exception))
        self.confirmed.invalidate_recordset()
        self.assertFalse(self.confirmed.payment_term_id)
        self.confirmed.write({"payment_term_id": self.term_30.id})

    def test_a_customer_on_hold_takes_no_more(self):
        # sudo: the credit manager's decision, recorded elsewhere; here only its effect
        self.customer.sudo().with_company(self.company)._credit_decision_write({"credit_on_hold": True})
        with self.assertRaises(UserError) as refusal:
            self.line.write({"price_unit": 501})
        self.assertIn("on credit hold", str(refusal.exception))
        self.line.write({"price_unit": 499})
        self.assertUnchanged(499 * 1.13)

    def test_a_credit_manager_may_enlarge_it_on_record(self):
        order = self.confirmed.with_user(self.sales_credit_manager)
        order.order_line.write({"product_uom_qty": 2, "price_unit": 500})
        self.assertUnchanged(1130)
        note = order.message_ids[0].body
        self.assertIn("Enlarged past the available credit", note)
        # Whoever reads the order reads its chatter: the decision, not the customer's figures.
        self.assertNotIn("limit", note)
        self.assertNotRegex(note, r"\d{3}")


class TestHoldLifeCycle(SalePathCase):
    def test_cancelling_a_held_order_ends_its_hold(self):
        order = self.order(5000)
        order.action_confirm()
        hold = self.holds(order)
        self.assertEqual(hold.state, "pending")
        # What the cancel wizard does.
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual((order.state, hold.state), ("cancel", "cancelled"))
        self.assertIn("cancelled", hold.message_ids[0].body)
        self.assertFalse(hold.activity_ids)
        with self.assertRaises(UserError):
            hold.with_user(self.credit_manager).action_release("Paid in advance")
        # Back to quotation and confirmed again: one pending hold, never two.
        order.action_draft()
        order.action_confirm()
        self.assertEqual(order.state, "credit_hold")
        self.assertEqual(len(self.holds(order, "pending")), 1)
        self.assertEqual(len(self.holds(order, "cancelled")), 1)

    def test_a_held_order_is_not_changed(self):
        order = self.order(5000)
        order.action_confirm()
        for values in (
            {"price_unit": 1},
            {"product_uom_qty": 2},
        ):
            with self.assertRaises(UserError):
                order.order_line.write(values)
        with self.assertRaises(UserError):
            order.write({"partner_invoice_id": self.shop.id})
        with self.assertRaises(UserError):
            self.env["sale.order.line"].with_user(self.credit_user).create(
                {"order_id": order.id, "product_id": self.product_a.id, "price_unit": 1}
            )
        order.invalidate_recordset()
        self.assertAlmostEqual(order.amount_total, 5650)
