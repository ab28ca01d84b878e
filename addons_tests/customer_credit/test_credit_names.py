"""Credit records a reader opens have a name, and what the server records for the whole credit
department reads in the company's language when nobody's language is set (a data import, the
demo): issue 14 item 8, issue 15 item 9."""

import re

from odoo.tools import format_date, formatLang

from .credit_common import CreditCase

# A word of Latin letters (codes such as HT-2026 are upper case and allowed).
ENGLISH = re.compile(r"(?<![A-Za-z])[A-Za-z][a-z]{2,}(?![A-Za-z])")


class TestCreditNames(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["customer_archive", "customer_credit"], ["zh_CN"], overwrite=True
        )
        cls.company.partner_id.lang = "zh_CN"
        cls.customer.user_id = cls.credit_user

    def test_an_event_is_named_by_what_happened_to_which_document_and_when(self):
        event = (
            self.env["customer.credit.event"]
            .with_user(self.credit_officer)
            .create(
                {
                    "partner_id": self.customer.id,
                    "event_type": "dispute",
                    "description": "质量纠纷",
                    "source_document": "HT-2026-018",
                }
            )
        )
        english = event.with_context(lang="en_US")
        self.assertEqual(
            english.display_name, f"Dispute · HT-2026-018 · {format_date(english.env, event.date)}"
        )
        chinese = event.with_context(lang="zh_CN").display_name
        self.assertNotIn("customer.credit.event", chinese)
        self.assertFalse(ENGLISH.findall(chinese), chinese)
        self.assertEqual(event.read(["display_name"])[0]["display_name"], event.display_name)

    def test_a_collection_step_is_named_for_the_salesperson_who_reads_it(self):
        log = (
            self.env["customer.credit.collection.log"]
            .with_user(self.credit_officer)
            .create({"partner_id": self.customer.id, "kind": "call", "note": "电话催收"})
        )
        # The lowest role reading it: the customer's salesperson.
        seen = log.with_user(self.credit_user).with_context(lang="en_US")
        self.assertEqual(seen.display_name, f"Call · {format_date(seen.env, log.date)}")
        chinese = log.with_user(self.credit_user).with_context(lang="zh_CN").display_name
        self.assertFalse(ENGLISH.findall(chinese), chinese)
        other = self.env["res.partner"].create({"name": "华北物流", "is_company": True})
        hidden = (
            self.env["customer.credit.collection.log"]
            .sudo()
            .create(  # sudo: set-up
                {"partner_id": other.id, "kind": "visit"}
            )
        )
        self.assertFalse(
            self.env["customer.credit.collection.log"]
            .with_user(self.credit_user)
            .search([("id", "=", hidden.id)])
        )

    def test_a_limit_history_row_is_named_by_the_limit_granted_and_when(self):
        self.customer.with_user(self.credit_manager)._apply_credit_decision(1000, 30, reason="首次授信")
        row = self.customer.with_user(self.credit_officer).credit_limit_history_ids.with_context(lang="en_US")
        self.assertEqual(len(row), 1)
        amount = formatLang(row.env, 1000, currency_obj=self.company.currency_id)
        self.assertEqual(row.display_name, f"New Limit {amount} · {format_date(row.env, row.date)}")
        chinese = row.with_context(lang="zh_CN").display_name
        self.assertTrue(chinese.startswith("变更后额度 "), chinese)

    def held(self, amount):
        order = self.confirmed_order(self.customer, amount)
        self.assertEqual(order.state, "credit_hold")
        return order.sudo().credit_hold_ids  # sudo: the test user has no credit rights

    def release_event(self, hold):
        return (
            self.env["customer.credit.event"]
            .sudo()  # sudo: the test user has no credit rights
            .search([("sale_order_id", "=", hold.order_id.id), ("event_type", "=", "hold_release")])
        )

    def test_a_release_recorded_without_a_language_reads_in_the_companys(self):
        self.customer.with_user(self.credit_manager)._apply_credit_decision(100, 30, reason="首次授信")
        # As the demo and data imports run: no language in the context.
        first = self.held(500)
        first.with_user(self.credit_manager).with_context(lang=None).action_release("客户已预付")
        event = self.release_event(first)
        self.assertIn("解冻放行", event.description)
        self.assertIn("客户已预付", event.description)
        # A manager working in English records it in English.
        second = self.held(400)
        second.with_user(self.credit_manager).with_context(lang="en_US").action_release("Prepaid")
        event = self.release_event(second)
        self.assertIn("released by", event.description)
