"""The credit monitoring writes in the recipient's language and counts days in the company's time
zone (issue 12, item 5); credit review due and the exposure have one definition each (item 2)."""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.tests import new_test_user

from .credit_common import CreditCase

WARNING = "customer_credit.mail_activity_type_credit_warning"
REVIEW = "customer_credit.mail_activity_type_credit_review"


class TestMonitoringInAChineseCompany(CreditCase):
    """A company in Shanghai speaking Chinese: a credit manager reading Chinese, another English."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["customer_archive", "customer_credit"], ["zh_CN"], overwrite=True
        )
        cls.company.partner_id.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.company.credit_warning_threshold = 80
        cls.company.credit_hold_overdue_days = 60
        cls.credit_manager.lang = "zh_CN"
        cls.english_manager = new_test_user(
            cls.env, "cc_manager_en", groups="customer_credit.group_credit_manager", name="Manager Ross"
        )
        cls.english_manager.company_ids |= cls.company
        cls.customer.user_id = cls.credit_user  # the salesperson reads English
        cls.customer.with_user(cls.credit_manager)._apply_credit_decision(1000, 30, reason="Initial limit")
        cls.invoice(cls.customer, 900, due_days=30)  # 90 % of the limit, not overdue
        cls.late = cls.env["res.partner"].create({"name": "华北物流", "is_company": True})
        cls.invoice(cls.late, 100, days_ago=40, due_days=30)  # overdue
        # Whoever runs the server: its own time zone must not matter.
        cls.env.user.tz = "America/New_York"

    def run_monitoring(self):
        # 17:00 UTC is already the next day in Shanghai.
        with freeze_time(datetime.combine(self.today, time(17, 0))):
            self.env["customer.credit.monitoring"].sudo()._cron_credit_monitoring()  # sudo: as the cron

    def test_a_warning_reads_in_each_readers_language_on_the_companys_day(self):
        self.run_monitoring()
        activities = self.credit_activities(self.customer, WARNING)
        by_user = {activity.user_id: activity for activity in activities}
        chinese = by_user[self.credit_manager]
        self.assertEqual(chinese.summary, "额度使用预警")
        self.assertIn("信用占用", str(chinese.note))
        for english in (by_user[self.english_manager], by_user[self.credit_user]):
            self.assertEqual(english.summary, "Credit utilisation warning")
            self.assertIn("Credit used", str(english.note))
        # The company's day: tomorrow already in Shanghai.
        self.assertEqual(chinese.date_deadline, self.today + timedelta(days=1))

    def test_what_the_monitoring_records_reads_in_the_companys_language(self):
        self.run_monitoring()
        event = (
            self.env["customer.credit.event"]
            .sudo()  # sudo: the accounting test user has no credit rights
            .search([("partner_id", "=", self.late.id), ("event_type", "=", "overdue")])
        )
        self.assertIn("应收账款自", event.description)


class TestOneDefinitionEach(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.with_user(cls.credit_manager)._apply_credit_decision(1000, 30, reason="Initial limit")

    def evaluate(self):
        evaluation = (
            self.env["customer.credit.evaluation"]
            .with_user(self.credit_officer)
            .create(
                {
                    "partner_id": self.customer.id,
                    "scorecard_id": self.scorecard.id,
                    "risk_plan": "plan",
                    "risk_plan_review_date": self.today,
                }
            )
        )
        evaluation.action_submit()
        evaluation.with_user(self.credit_manager).action_approve()
        return evaluation

    def test_credit_review_due_agrees_in_the_filter_the_overview_and_the_monitoring(self):
        evaluation = self.evaluate()
        due_on = evaluation.date_next_review
        months = evaluation.grade_id.review_interval_months
        self.assertEqual(due_on, evaluation.date + relativedelta(months=months))
        Evaluation = self.env["customer.credit.evaluation"].with_user(self.credit_officer)
        Dashboard = self.env["customer.credit.dashboard"].with_user(self.credit_officer)
        Monitoring = self.env["customer.credit.monitoring"].sudo()  # sudo: as the scheduled action
        for day, due in ((due_on - timedelta(days=1), False), (due_on, True)):
            with self.subTest(day=day), freeze_time(day):
                tile = next(t for t in Dashboard._dashboard_tiles() if t["key"] == "reviews_due")
                self.assertEqual(bool(Evaluation.search(tile["domain"]) & evaluation), due)
                self.assertEqual(bool(Evaluation.search([("review_due", "=", True)]) & evaluation), due)
                self.assertEqual(evaluation.with_user(self.credit_officer).review_due, due)
                Monitoring._credit_monitor_reviews(self.company, 100)
                asked = self.credit_activities(self.customer, REVIEW)
                self.assertEqual(bool(asked), due)
                evaluation.invalidate_recordset(["review_due"])

    def test_the_exposure_is_summed_in_one_place(self):
        self.invoice(self.customer, 300)
        self.invoice(self.customer, 200, post=False)
        self.confirmed_order(self.customer, 100)
        Partner = self.env["res.partner"].sudo()  # sudo: the accounting test user has no credit rights
        figures = Partner._credit_exposure_figures(self.company, self.customer.ids)[self.customer.id]
        self.assertEqual(
            figures.exposure, figures.open_receivable + figures.draft_invoiced + figures.uninvoiced_orders
        )
        self.assertEqual(figures.exposure, 600)
        partner = self.customer.with_user(self.credit_officer)
        self.assertEqual(partner.credit_exposure, figures.exposure)
        self.assertEqual(partner.credit_available, 1000 - figures.exposure)
        over = [("credit_over_limit", "=", True), ("id", "=", self.customer.id)]
        self.assertFalse(partner.search(over))
        self.customer.with_user(self.credit_manager)._apply_credit_decision(599, 30, reason="Lower")
        self.assertEqual(partner.search(over), self.customer)
