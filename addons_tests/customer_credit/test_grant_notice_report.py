import re
from datetime import date

from odoo.addons.customer_credit.models.report_credit_grant_notice import amount_in_capitals
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .credit_common import CreditCase

NOTICE = "customer_credit.action_report_credit_grant_notice"


class TestGrantNoticeReport(CreditCase):
    """The credit grant notice (授信通知书): printed and mailed to the customer once approved."""

    # A Chinese company: its currency is the yuan.
    country_code = "CN"
    chart_template = "generic_coa"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.credit_user  # sales staff apply for credit for their own customers
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.customer.write({"lang": "zh_CN", "street": "深圳市南山区科技园", "city": "深圳"})
        cls.application = (
            cls.env["customer.credit.application"]
            .with_user(cls.credit_user)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "requested_limit": 100000,
                    "requested_term_days": 60,
                    "reason": "New distribution contract",
                    "guarantee_type": "guarantor",
                    "guarantee_details": "母公司连带责任担保",
                }
            )
        )
        cls.application.with_user(cls.credit_user).action_submit()
        cls.application.with_user(cls.credit_officer).action_review("Two years of timely payments")

    def setUp(self):
        super().setUp()
        # wkhtmltopdf fetches the report's styles from report.url: point it where nothing listens,
        # so that a server running on this machine cannot make the rendering wait.
        ICP = self.env["ir.config_parameter"].sudo()  # sudo: a system setting
        ICP.set_param("report.url", "http://127.0.0.1:1")

    def approve(self):
        self.application.with_user(self.credit_manager).action_approve(
            81234.56, 45, date(2027, 1, 1), date(2027, 12, 31), "赊销 (open account)"
        )

    def render_html(self, user):
        html, _type = (
            self.env["ir.actions.report"].with_user(user)._render_qweb_html(NOTICE, self.application.ids)
        )
        return html.decode()

    def test_notice_prints_the_grant_in_the_customers_language(self):
        self.assertEqual(self.company.currency_id.name, "CNY")
        self.approve()
        html = self.render_html(self.credit_user)
        for text in (
            self.application.name,
            "华南电子",
            "深圳市南山区科技园",
            "赊销 (open account)",
            "母公司连带责任担保",
        ):
            self.assertIn(text, html)
        # zh_CN formats: ¥ before the amount with grouped thousands, dates as 2027年01月01日.
        self.assertEqual(self.env["res.lang"]._lang_get("zh_CN").date_format, "%Y年%m月%d日")
        self.assertRegex(html, r"¥(\s|&nbsp;|\xa0)*<span class=\"oe_currency_value\">81,234\.56</span>")
        # The limit in Chinese capital numerals (大写金额), as contracts write renminbi.
        self.assertIn("捌万壹仟贰佰叁拾肆元伍角陆分", html)
        self.assertIn("2027年01月01日", html)
        self.assertIn("2027年12月31日", html)
        self.assertIn("<span>45</span> days", html)
        self.assertIn(self.credit_manager.name, html)

    def test_capital_numerals_follow_the_accounting_rules(self):
        cny = self.company.currency_id
        usd = self.env.ref("base.USD")
        for amount, text in (
            (100000, "壹拾万元整"),
            (1000001, "壹佰万零壹元整"),
            (100000.07, "壹拾万元零柒分"),
            (0.5, "伍角"),
            (1234.565, "壹仟贰佰叁拾肆元伍角柒分"),
        ):
            self.assertEqual(amount_in_capitals(amount, cny), text)
        # Only renminbi is written with 元/角/分; another currency prints no capitals.
        self.assertEqual(amount_in_capitals(100000, usd), "")

    def test_notice_is_attached_to_the_mail_to_the_customer(self):
        self.approve()
        mail = (
            self.env["mail.mail"]
            .sudo()  # sudo: the accounting test user has no credit rights
            .search([("model", "=", self.application._name), ("res_id", "=", self.application.id)])
        )
        self.assertIn(self.customer, mail.recipient_ids)
        attachment = mail.attachment_ids
        self.assertEqual(len(attachment), 1)
        self.assertTrue(attachment.name.startswith("Credit grant notice - "), attachment.name)
        # (in the test mode, Odoo attaches reports as HTML unless asked to run wkhtmltopdf)
        self.assertIn("81,234.56", attachment.raw.decode())

    def test_notice_prints_as_pdf(self):
        self.approve()
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.credit_user)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(NOTICE, self.application.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_only_granted_credit_is_notified_and_only_to_credit_users(self):
        with self.assertRaises(UserError):
            self.render_html(self.credit_officer)  # reviewed, not yet decided
        self.approve()
        plain = new_test_user(self.env, "cc_plain", groups="base.group_user", name="Plain Zhou")
        other_sales = new_test_user(
            self.env, "cc_sales_other", groups="customer_credit.group_credit_user", name="Sales Qian"
        )
        for user in (plain, other_sales):  # no credit rights; not their application
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                self.render_html(user)
        self.assertTrue(re.search("81,234.56", self.render_html(self.credit_officer)))
