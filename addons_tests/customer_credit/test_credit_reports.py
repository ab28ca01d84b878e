from odoo.exceptions import AccessError

from .credit_common import CreditCase


class TestCreditReports(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.credit_user
        Region = cls.env["customer.archive.region"].sudo()  # sudo: configuration of the archive office
        region = Region.create({"name": "华南", "code": "TSC"})
        cls.customer.archive_region_id = region
        cls.invoice(cls.customer, 1200, days_ago=10)
        evaluation = (
            cls.env["customer.credit.evaluation"]
            .with_user(cls.credit_officer)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "scorecard_id": cls.scorecard.id,
                    "proposed_credit_limit": 5000,
                    "risk_plan": "plan",
                    "risk_plan_review_date": cls.today,
                }
            )
        )
        evaluation.with_user(cls.credit_officer).action_submit()
        evaluation.with_user(cls.credit_manager).action_approve()
        cls.evaluation = evaluation
        cls.env["customer.credit.event"].with_user(cls.credit_officer).create(
            {
                "partner_id": cls.customer.id,
                "event_type": "major_contract",
                "amount": 100000,
                "description": "Three-year supply contract",
            }
        )

    def test_credit_report_prints_profile_grade_history_and_events(self):
        # wkhtmltopdf fetches the report's styles from report.url: point it where nothing listens,
        # so that a server running on this machine cannot make the rendering wait.
        ICP = self.env["ir.config_parameter"].sudo()  # sudo: a system setting
        ICP.set_param("report.url", "http://127.0.0.1:1")
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.credit_officer)
            ._render_qweb_html("customer_credit.action_report_credit_customer", self.customer.ids)
        )
        for text in (
            self.customer.name,
            self.evaluation.grade_id.name,
            "Three-year supply contract",
            "5,000",
        ):
            self.assertIn(text.encode(), html)
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.credit_officer)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("customer_credit.action_report_credit_customer", self.customer.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_composition_by_grade_and_region(self):
        Analysis = self.env["customer.credit.sales.analysis"].with_user(self.credit_officer)
        groups = Analysis.read_group(
            [("partner_id", "=", self.customer.id)], ["amount:sum"], ["grade_id", "region_id"], lazy=False
        )
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0]["grade_id"][0], self.evaluation.grade_id.id)
        self.assertAlmostEqual(groups[0]["amount"], 1200)
        with self.assertRaises(AccessError):
            self.env["customer.credit.sales.analysis"].with_user(self.credit_user).search([])

    def test_half_yearly_statistics(self):
        groups = (
            self.env["customer.credit.event"]
            .with_user(self.credit_officer)
            .read_group(
                [("partner_id", "=", self.customer.id)],
                ["amount:sum"],
                ["half_year", "event_type"],
                lazy=False,
            )
        )
        half = f"{self.today.year}-H{1 if self.today.month <= 6 else 2}"
        self.assertIn((half, "major_contract"), [(g["half_year"], g["event_type"]) for g in groups])

    def test_sales_staff_see_the_credit_of_their_own_customers_only(self):
        other = self.env["res.partner"].create({"name": "Someone else's", "is_company": True})
        self.invoice(other, 700, days_ago=3)
        mine = self.customer.with_user(self.credit_user)
        self.assertEqual(mine.credit_grade_id, self.evaluation.grade_id)
        self.assertAlmostEqual(mine.credit_exposure, 1200)
        theirs = other.with_user(self.credit_user)
        self.assertEqual(theirs.credit_exposure, 0)
        self.assertFalse(theirs.credit_grade_id)
        self.assertAlmostEqual(other.with_user(self.credit_officer).credit_exposure, 700)

    def test_credit_file_lists_the_credit_archives(self):
        action = self.customer.with_user(self.credit_officer).action_view_credit_archives()
        self.assertIn(
            ("category_id", "=", self.env.ref("customer_archive.category_credit").id), action["domain"]
        )
        self.assertEqual(action["res_model"], "customer.archive")
