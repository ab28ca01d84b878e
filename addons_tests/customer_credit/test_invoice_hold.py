import threading
import time
from datetime import timedelta

import psycopg2

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user

from .credit_common import CreditCase


class TestInvoiceHold(CreditCase):
    """Customer invoices are checked when posted (C8, 风险控制): past the available credit, or for a
    customer on hold, they wait for a credit manager; the release is recorded like an order's.

    The customer owes 500.00 (a posted invoice without tax) under a limit of 1,000.00; the invoices
    of the tests carry 13 % VAT, so an invoice of 500.00 untaxed comes to 565.00.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoicing_user = new_test_user(
            cls.env, "cc_invoicing", groups="account.group_account_invoice", name="Accountant Wang"
        )
        cls.other_invoicing_user = new_test_user(
            cls.env, "cc_invoicing_2", groups="account.group_account_invoice", name="Accountant Zhao"
        )
        cls.vat13 = cls.env["account.tax"].create(
            {"name": "VAT 13%", "amount": 13, "amount_type": "percent", "type_tax_use": "sale"}
        )
        cls.open_invoice = cls.invoice(cls.customer, 500, days_ago=5)
        # The customer is managed: a limit was decided through customer_credit.
        cls.customer.with_user(cls.credit_manager)._apply_credit_decision(1000, 30, reason="Initial limit")

    def draft(self, amount, move_type="out_invoice", partner=None):
        """A draft customer document made by the invoicing user: one line of ``amount`` + 13 % VAT."""
        return (
            self.env["account.move"]
            .with_user(self.invoicing_user)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": (partner or self.customer).id,
                    "invoice_date": self.today,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": self.vat13.ids}
                        )
                    ],
                }
            )
        )

    def holds(self, move):
        return (
            self.env["customer.credit.hold"]
            .sudo()  # sudo: the accounting test user has no credit rights
            .search([("move_id", "=", move.id)])
        )

    def open_receivable(self):
        figures = self.env["res.partner"]._credit_exposure_figures(self.company, self.customer.ids)
        return figures[self.customer.id].open_receivable

    def order(self, price):
        """A confirmed order of the customer: one product at ``price`` + 13 % VAT."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "product_uom_qty": 1,
                            "price_unit": price,
                            "tax_id": self.vat13.ids,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        return order

    # ------------------------------------------------------------------ not from an order
    def test_invoice_within_the_available_credit_is_posted(self):
        invoice = self.draft(400)  # 452.00: 500.00 + 452.00 <= 1,000.00
        invoice.with_user(self.invoicing_user).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(self.holds(invoice))
        self.assertEqual(self.open_receivable(), 952)

    def test_invoice_over_the_available_credit_waits_for_a_credit_manager(self):
        invoice = self.draft(500)  # 565.00: 500.00 + 565.00 > 1,000.00
        self.assertEqual(invoice.amount_total, 565)
        result = invoice.with_user(self.invoicing_user).action_post()
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn("does not cover", result["params"]["message"])
        self.assertEqual(self.open_receivable(), 500, "nothing was posted")
        hold = self.holds(invoice)
        # The draft itself is not counted in the exposure before it.
        self.assertEqual(
            (hold.state, hold.exposure, hold.order_amount, hold.credit_limit, hold.partner_id),
            ("pending", 500, 565, 1000, self.customer),
        )
        self.assertEqual(hold.requester_id, self.invoicing_user)
        self.assertIn(self.credit_manager, hold.activity_ids.user_id)
        self.assertIn("over the credit limit", hold.sudo().reason)  # sudo: the reason as stored
        # The invoice form tells the invoicing user, who may not see the customer's credit figures,
        # that the credit does not cover it; the hold form opens for the manager.
        shown = Form(invoice.with_user(self.invoicing_user)).credit_hold_reason
        self.assertIn("does not cover", shown)
        self.assertNotIn("1,000", shown)
        self.assertEqual(Form(hold.with_user(self.credit_manager)).move_id, invoice)
        self.assertEqual(invoice.with_user(self.invoicing_user).credit_hold_count, 1)
        # The invoicing user sees the hold of the invoice (smart button), not those of orders.
        action = invoice.with_user(self.invoicing_user).action_view_credit_holds()
        self.assertEqual(
            self.env["customer.credit.hold"].with_user(self.invoicing_user).search(action["domain"]), hold
        )

        # A second attempt, a raw write of the state, a direct posting: still one hold, nothing posted.
        invoice.with_user(self.invoicing_user).action_post()
        self.assertEqual(len(self.holds(invoice)), 1)
        with self.assertRaises(UserError):
            invoice.with_user(self.invoicing_user).write({"state": "posted"})
        self.assertFalse(invoice.with_user(self.invoicing_user)._post(soft=False))
        self.assertEqual((invoice.state, self.open_receivable()), ("draft", 500))
        # Invoicing users can neither release the hold (the one who posted it least of all) nor
        # decide it by writing.
        with self.assertRaises(AccessError):
            hold.with_user(self.other_invoicing_user).action_release("Paid in advance")
        with self.assertRaises(UserError):
            hold.with_user(self.invoicing_user).write({"state": "released"})
        with self.assertRaises(UserError):
            hold.with_user(self.invoicing_user).action_release("Paid in advance")
        with self.assertRaises(UserError):
            hold.with_user(self.credit_manager).write({"state": "released"})
        self.assertEqual((hold.state, invoice.state), ("pending", "draft"))
        # Nor delete the invoice that carries it.
        with self.assertRaises(UserError):
            invoice.with_user(self.invoicing_user).unlink()

        # The credit manager (no accounting rights) releases it: posted, recorded as a credit event.
        hold.with_user(self.credit_manager).action_release("Paid in advance")
        self.assertEqual(
            (hold.state, hold.approver_id, invoice.state), ("released", self.credit_manager, "posted")
        )
        self.assertEqual(self.open_receivable(), 1065)
        event = (
            self.env["customer.credit.event"]
            .sudo()  # sudo: the accounting test user has no credit rights
            .search([("move_id", "=", invoice.id)])
        )
        self.assertEqual(
            (event.event_type, event.amount, event.partner_id), ("hold_release", 565, self.customer)
        )
        self.assertFalse(hold.activity_ids)

    def test_the_release_cannot_be_forged_from_the_context(self):
        invoice = self.draft(500)
        invoice.with_user(self.invoicing_user).with_context(customer_credit_released=True).action_post()
        self.assertEqual(invoice.state, "draft")
        invoice.with_user(self.invoicing_user).with_context(customer_credit_posting=True).write(
            {"invoice_origin": "x"}
        )
        with self.assertRaises(UserError):
            invoice.with_user(self.invoicing_user).with_context(customer_credit_posting=True).write(
                {"state": "posted"}
            )

    def test_refusing_keeps_the_invoice_draft_with_the_reason(self):
        invoice = self.draft(500)
        invoice.with_user(self.invoicing_user).action_post()
        hold = self.holds(invoice)
        with self.assertRaises(UserError):
            hold.with_user(self.credit_manager).action_refuse("")
        hold.with_user(self.credit_manager).action_refuse("Collect the open invoice first")
        self.assertEqual((hold.state, invoice.state), ("refused", "draft"))
        self.assertIn("Collect the open invoice first", invoice.message_ids[0].body)
        self.assertFalse(invoice.credit_hold_reason)
        self.assertEqual(self.open_receivable(), 500)
        # Posting again is a new request: a new pending hold beside the refused one.
        invoice.with_user(self.invoicing_user).action_post()
        self.assertEqual(self.holds(invoice).mapped("state"), ["pending", "refused"])

    def test_an_invoice_changed_after_its_hold_is_posted_again(self):
        invoice = self.draft(500)
        invoice.with_user(self.invoicing_user).action_post()
        hold = self.holds(invoice)
        invoice.with_user(self.invoicing_user).write(
            {"invoice_line_ids": [Command.update(invoice.invoice_line_ids.id, {"price_unit": 900})]}
        )
        self.assertEqual(invoice.amount_total, 1017)
        with self.assertRaises(UserError):
            hold.with_user(self.credit_manager).action_release("Paid in advance")
        self.assertEqual((hold.state, invoice.state), ("pending", "draft"))
        # Posted again: the same hold now shows the invoice as it is; the manager can release it.
        invoice.with_user(self.invoicing_user).action_post()
        self.assertEqual(self.holds(invoice), hold)
        self.assertEqual((hold.order_amount, hold.exposure), (1017, 500))
        hold.with_user(self.credit_manager).action_release("Paid in advance")
        self.assertEqual(invoice.state, "posted")

    def test_a_waiting_invoice_moved_to_another_customer_keeps_waiting(self):
        invoice = self.draft(500)
        invoice.with_user(self.invoicing_user).action_post()
        hold = self.holds(invoice)
        stranger = self.env["res.partner"].create({"name": "Walk-in customer"})
        invoice.with_user(self.invoicing_user).partner_id = stranger
        invoice.with_user(self.invoicing_user).action_post()
        self.assertEqual(
            (invoice.state, self.holds(invoice), hold.partner_id), ("draft", hold, self.customer)
        )
        with self.assertRaises(UserError):
            hold.with_user(self.credit_manager).action_release("Paid in advance")

    def test_cancelling_the_invoice_ends_its_hold(self):
        invoice = self.draft(500)
        invoice.with_user(self.invoicing_user).action_post()
        invoice.with_user(self.invoicing_user).button_cancel()
        self.assertEqual(self.holds(invoice).state, "cancelled")
        self.assertFalse(self.holds(invoice).activity_ids)

    def test_invoices_posted_together_are_checked_together(self):
        first, second = self.draft(300), self.draft(300)  # 339.00 each
        (first | second).with_user(self.invoicing_user).action_post()
        # 500.00 + 339.00 fits; + 339.00 more does not.
        self.assertEqual((first.state, second.state), ("posted", "draft"))
        self.assertEqual(self.holds(second).exposure, 839)

    def test_an_invoice_in_a_foreign_currency_is_checked_in_company_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])  # 2 EUR for 1 company unit
        invoice = self.draft(1000)  # 1,130.00 EUR = 565.00: 500.00 + 565.00 > 1,000.00
        invoice.with_user(self.invoicing_user).currency_id = eur
        self.assertEqual((invoice.amount_total, invoice.amount_total_signed), (1130, 565))
        invoice.with_user(self.invoicing_user).action_post()
        self.assertEqual((invoice.state, self.holds(invoice).order_amount), ("draft", 565))

    def test_a_customer_on_hold_gets_no_invoice_posted(self):
        self.customer.with_company(self.company)._credit_decision_write({"credit_on_hold": True})
        invoice = self.draft(10)
        invoice.with_user(self.invoicing_user).action_post()
        self.assertEqual(invoice.state, "draft")
        self.assertIn("on credit hold", self.holds(invoice).reason)

    def test_unmanaged_customers_keep_odoos_behaviour(self):
        stranger = self.env["res.partner"].create({"name": "Walk-in customer"})
        invoice = self.draft(50000, partner=stranger)
        invoice.with_user(self.invoicing_user).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_invoices_of_a_contact_count_for_its_company(self):
        contact = self.env["res.partner"].create({"name": "Buyer Li", "parent_id": self.customer.id})
        invoice = self.draft(500, partner=contact)
        invoice.with_user(self.invoicing_user).action_post()
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(self.holds(invoice).partner_id, self.customer)

    def test_invoices_of_a_group_company_count_under_its_parents_limit(self):
        # A company is placed under a controlled customer by a credit manager (test_attack_review.py).
        branch = (
            self.env["res.partner"]
            .with_user(self.credit_manager)
            .create({"name": "华南电子深圳分公司", "is_company": True, "parent_id": self.customer.id})
        )
        invoice = self.draft(500, partner=branch)
        invoice.with_user(self.invoicing_user).action_post()
        self.assertEqual(invoice.state, "draft")
        self.assertEqual((self.holds(invoice).partner_id, self.holds(invoice).exposure), (self.customer, 500))

    def test_the_auto_posting_cron_checks_too(self):
        invoice = self.draft(500)
        invoice.write({"auto_post": "at_date", "checked": True})
        self.env["account.move"].sudo()._autopost_draft_entries()  # sudo: as the cron runs
        self.assertEqual((invoice.state, self.holds(invoice).state), ("draft", "pending"))

    def test_invoices_dated_later_are_checked_when_posted(self):
        invoice = self.draft(500)
        invoice.with_user(self.invoicing_user).write(
            {"invoice_date": self.today + timedelta(days=3), "auto_post": "at_date"}
        )
        invoice.with_user(self.invoicing_user)._post(soft=True)
        self.assertFalse(self.holds(invoice))
        invoice.with_user(self.invoicing_user)._post(soft=False)
        self.assertEqual((invoice.state, self.holds(invoice).state), ("draft", "pending"))

    # ------------------------------------------------------------------ credit notes
    def test_credit_notes_are_never_held(self):
        self.customer.with_company(self.company)._credit_decision_write({"credit_on_hold": True})
        refund = self.draft(100, move_type="out_refund")
        refund.with_user(self.invoicing_user).action_post()
        self.assertEqual(refund.state, "posted")
        self.assertEqual(self.open_receivable(), 387)  # 500.00 - 113.00

    def test_a_draft_credit_note_does_not_free_credit(self):
        self.draft(300, move_type="out_refund")  # 339.00, still a draft
        invoice = self.draft(500)  # 565.00: over the limit with or without the draft credit note
        invoice.with_user(self.invoicing_user).action_post()
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(self.holds(invoice).exposure, 500)

    # ------------------------------------------------------------------ made from orders
    def test_an_invoice_within_its_order_is_posted(self):
        order = self.order(400)  # 452.00: 500.00 + 452.00 <= 1,000.00
        invoice = order._create_invoices()
        self.assertEqual(invoice.amount_total, 452)
        self.assertEqual(invoice._credit_uncovered_amounts(), {invoice.id: 0})
        invoice.with_user(self.invoicing_user).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_an_invoice_over_its_order_is_checked_on_the_excess(self):
        order = self.order(400)
        invoice = order._create_invoices()
        line = invoice.invoice_line_ids
        # Raised to 430.00: 485.90 = 452.00 the order covers + 33.90; 500.00 + 452.00 + 33.90 fits.
        invoice.with_user(self.invoicing_user).write(
            {"invoice_line_ids": [Command.update(line.id, {"price_unit": 430})]}
        )
        self.assertEqual(invoice._credit_uncovered_amounts(), {invoice.id: 33.9})
        # Raised to 480.00: 542.40 = 452.00 + 90.40; 500.00 + 452.00 + 90.40 = 1,042.40 does not.
        invoice.with_user(self.invoicing_user).write(
            {"invoice_line_ids": [Command.update(line.id, {"price_unit": 480})]}
        )
        invoice.with_user(self.invoicing_user).action_post()
        self.assertEqual(invoice.state, "draft")
        hold = self.holds(invoice)
        self.assertEqual((hold.order_amount, hold.exposure), (90.4, 952))
        hold.with_user(self.credit_manager).action_release("Paid in advance")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(self.open_receivable(), 1042.4)

    def test_a_line_added_to_an_invoice_from_an_order_is_not_covered(self):
        order = self.order(400)
        invoice = order._create_invoices()
        invoice.with_user(self.invoicing_user).write(
            {
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Extra", "quantity": 1, "price_unit": 100, "tax_ids": self.vat13.ids}
                    )
                ]
            }
        )
        self.assertEqual(invoice.amount_total, 565)
        # The exposure counts the order (452.00) and the extra line as a draft (113.00): the check
        # counts the extra line once, 500.00 + 452.00 + 113.00 = 1,065.00 > 1,000.00.
        figures = self.env["res.partner"]._credit_exposure_figures(self.company, self.customer.ids)
        self.assertEqual(figures[self.customer.id].exposure, 1065)
        invoice.with_user(self.invoicing_user).action_post()
        hold = self.holds(invoice)
        self.assertEqual((invoice.state, hold.order_amount, hold.exposure), ("draft", 113, 952))

    def test_a_down_payment_is_covered_by_its_order(self):
        order = self.order(400)
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "percentage", "amount": 50})
        )
        wizard.create_invoices()
        down_payment = order.invoice_ids
        self.assertEqual(down_payment.amount_total, 226)
        down_payment.with_user(self.invoicing_user).action_post()
        self.assertEqual(down_payment.state, "posted")
        # The final invoice deducts the down payment: 452.00 - 226.00, covered by the order.
        final = order._create_invoices(final=True)
        self.assertEqual(final.amount_total, 226)
        self.assertEqual(final._credit_uncovered_amounts(), {final.id: 0})
        final.with_user(self.invoicing_user).action_post()
        self.assertEqual(final.state, "posted")

    # ------------------------------------------------------------------ delegation
    def test_a_deputy_releases_on_behalf_of_the_manager(self):
        invoice = self.draft(500)
        invoice.with_user(self.invoicing_user).action_post()
        hold = self.holds(invoice)
        with self.assertRaises(AccessError):
            hold.with_user(self.credit_officer).action_release("Paid in advance")
        now = fields.Datetime.now()
        self.env["customer.archive.delegation"].with_user(self.credit_manager).create(
            {
                "delegate_id": self.credit_officer.id,
                "delegated_group_id": self.env.ref("customer_credit.group_credit_manager").id,
                "date_from": now - timedelta(hours=1),
                "date_to": now + timedelta(days=7),
                "reason": "Annual leave",
            }
        )
        hold.with_user(self.credit_officer).action_release("Paid in advance")
        self.assertEqual(
            (hold.state, hold.approver_id, hold.approved_on_behalf_of_id, invoice.state),
            ("released", self.credit_officer, self.credit_manager, "posted"),
        )


class TestConcurrentInvoices(CreditCase):
    """Two accountants post invoices of one customer at the same moment on separate connections."""

    def test_two_invoices_cannot_both_slip_under_the_limit(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Race customer", "is_company": True})
            partner._apply_credit_decision(1000, 30, reason="test")
            partner_id = partner.id
        outcome, move_ids = {}, []

        def post(cr):
            # Each accountant makes a draft of 600.00 and posts it: a draft made before would count
            # in the exposure of the other's check.
            move = api.Environment(cr, SUPERUSER_ID, {})["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner_id,
                    "invoice_line_ids": [
                        Command.create({"name": "Goods", "quantity": 1, "price_unit": 600, "tax_ids": []})
                    ],
                }
            )
            move.action_post()
            move_ids.append(move.id)
            return move.state

        def second_accountant():
            for _attempt in range(5):  # like Odoo's RPC layer: retry on a serialization failure
                cr = self.registry.cursor()
                try:
                    outcome["second"] = post(cr)
                    cr.commit()
                    return
                except psycopg2.errors.SerializationFailure:
                    cr.rollback()
                    outcome["retried"] = True
                finally:
                    cr.close()

        first_cr = self.registry.cursor()
        try:
            outcome["first"] = post(first_cr)
            thread = threading.Thread(target=second_accountant)
            thread.start()
            time.sleep(1.0)
            self.assertTrue(thread.is_alive())
            first_cr.commit()
            thread.join(30)
        finally:
            first_cr.close()
            with self.registry.cursor() as cr:
                moves = tuple(move_ids) or (0,)
                cr.execute("SELECT id FROM customer_credit_hold WHERE move_id IN %s", [moves])
                hold_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
                cr.execute(
                    "DELETE FROM mail_activity WHERE res_model = 'customer.credit.hold' AND res_id IN %s",
                    [hold_ids],
                )
                cr.execute("DELETE FROM customer_credit_hold WHERE id IN %s", [hold_ids])
                cr.execute("DELETE FROM account_move WHERE id IN %s", [moves])
                cr.execute("DELETE FROM customer_credit_limit_history WHERE partner_id = %s", [partner_id])
                cr.execute("DELETE FROM res_partner WHERE id = %s", [partner_id])
        self.assertEqual(outcome["first"], "posted")
        self.assertTrue(outcome.get("retried"))
        self.assertEqual(outcome["second"], "draft")
