from odoo.exceptions import AccessError

from .common import CustomerArchiveCase

CARD = "customer_archive.action_report_archive_card"
ID_NUMBER = "310101198001011234"


class TestArchiveCardReport(CustomerArchiveCase):
    """The archive card (客户档案卡) prints from the card, in the user's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        (cls.officer | cls.sales_user).lang = "zh_CN"
        region = cls.env["customer.archive.region"].create({"name": "华东", "code": "TCR"})
        cls.customer.with_user(cls.officer).write(
            {
                "street": "浦东新区世纪大道100号",
                "city": "上海",
                "customer_nature": "enterprise",
                "archive_region_id": region.id,
                "customer_importance": "key",
            }
        )
        cls.card = cls.card_of(cls.customer)
        cls.card.with_user(cls.officer).write(
            {
                "legal_representative": "王建国",
                "legal_representative_id_number": ID_NUMBER,
                "owner_name": "王建国",
                "manager_name": "李明",
                "founding_date": "2008-03-15",
                "first_trade_date": "2019-07-01",
                "organisation_form": "limited",
                "registered_capital": 1234567.89,
                "staff_count": 180,
                "trade_terms": "月结30天",
            }
        )
        cls.ordinary = cls.create_archive(name="Basic file")
        cls.secret = cls.create_archive(
            category=cls.category_contract, confidentiality="secret", name="Contract"
        )

    def setUp(self):
        super().setUp()
        # wkhtmltopdf fetches the report's styles from report.url: point it where nothing listens,
        # so that a server running on this machine cannot make the rendering wait.
        self.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:1")

    def render_html(self, user):
        html, _type = self.env["ir.actions.report"].with_user(user)._render_qweb_html(CARD, self.card.ids)
        return html.decode()

    def test_officer_prints_the_whole_card_in_chinese_formats(self):
        html = self.render_html(self.officer)
        for text in ("华东机电", "王建国", "李明", "浦东新区世纪大道100号", "月结30天", "华东", ID_NUMBER):
            self.assertIn(text, html)
        # zh_CN formats: dates as %Y年%m月%d日, amounts with the currency and grouped thousands.
        self.assertEqual(self.env["res.lang"]._lang_get("zh_CN").date_format, "%Y年%m月%d日")
        self.assertIn("2008年03月15日", html)
        self.assertIn("2019年07月01日", html)
        self.assertIn("1,234,567.89", html)
        self.assertIn(self.env.company.currency_id.symbol, html)
        # The customer's archives, as far as the officer's clearance goes.
        self.assertIn(self.ordinary.number, html)
        self.assertIn(self.secret.number, html)

    def test_sales_staff_print_what_they_may_read(self):
        html = self.render_html(self.sales_user)
        self.assertIn("王建国", html)
        # The identity number is printed as the field gives it to sales staff: never in clear.
        self.assertNotIn(ID_NUMBER, html)
        self.assertNotIn("1,234,567.89", html)
        # Archives above the salesperson's clearance are not listed.
        self.assertIn(self.ordinary.number, html)
        self.assertNotIn(self.secret.number, html)

    def test_only_archive_users_print_the_card(self):
        with self.assertRaises(AccessError):
            self.render_html(self.plain_user)
        # Nor another salesperson, who may not read this customer's card.
        with self.assertRaises(AccessError):
            self.render_html(self.other_sales_user)
        # The print menu of the card offers it to archive users only.
        bindings = self.env["ir.actions.actions"]
        model = "customer.archive.card"
        sales_reports = bindings.with_user(self.sales_user).get_bindings(model).get("report", [])
        plain_reports = bindings.with_user(self.plain_user).get_bindings(model).get("report", [])
        card = self.env.ref(CARD)
        self.assertIn(card.id, [report["id"] for report in sales_reports])
        self.assertNotIn(card.id, [report["id"] for report in plain_reports])

    def test_card_prints_as_pdf(self):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.officer)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(CARD, self.card.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
