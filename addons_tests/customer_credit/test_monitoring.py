from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tools.translate import code_translations

from .credit_common import CreditCase

HOLD_SUMMARY = "Customer put on credit hold"


class TestMonitoring(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_hold_overdue_days = 60
        cls.late = cls.invoice(cls.customer, 900, days_ago=100, due_days=30)  # 70 days overdue
        cls.customer.with_user(cls.credit_manager)._apply_credit_decision(1000, 30, reason="Initial limit")
        cls.watched = cls.env["res.partner"].create({"name": "Watched customer", "is_company": True})
        cls.invoice(cls.watched, 100, days_ago=40, due_days=30)  # 10 days overdue, not managed

    def run_monitoring(self):
        # sudo: the monitoring reads as the system
        return self.env["customer.credit.monitoring"].sudo()._cron_credit_monitoring()

    def events(self, partner):
        return (
            self.env["customer.credit.event"]
            .sudo()  # sudo: the accounting test user has no credit rights
            .search([("partner_id", "=", partner.id), ("event_type", "=", "overdue")])
        )

    def test_overdue_events_holds_and_warnings_once(self):
        self.run_monitoring()
        self.assertEqual(len(self.events(self.customer)), 1)
        self.assertEqual(len(self.events(self.watched)), 1)
        customer = self.customer.with_company(self.company).sudo()  # sudo: no credit rights in the test env
        self.assertTrue(customer.credit_on_hold)  # managed and 70 days > 60
        self.assertFalse(self.watched.with_company(self.company).sudo().credit_on_hold)  # not managed
        self.assertEqual(
            len(self.credit_activities(customer, "customer_credit.mail_activity_type_credit_warning")), 1
        )
        # Interrupted and started again: nothing twice.
        self.run_monitoring()
        self.assertEqual(len(self.events(self.customer)), 1)
        self.assertEqual(
            len(self.credit_activities(customer, "customer_credit.mail_activity_type_credit_warning")), 1
        )

    def test_bounded_batches_resume_where_they_stopped(self):
        partners = self.env["res.partner"]
        for n in range(3):
            partner = self.env["res.partner"].create({"name": f"Late {n}", "is_company": True})
            self.invoice(partner, 50, days_ago=50, due_days=30)
            partners |= partner
        # sudo: the accounting test user has no credit rights
        Partner = self.env["customer.credit.monitoring"].sudo()
        runs = []
        for _run in range(100):
            done, remaining = Partner._credit_monitor_overdue(self.company, batch_size=2)
            runs.append(done)
            if not remaining:
                break
        self.assertTrue(all(done <= 2 for done in runs))
        self.assertGreater(len(runs), 1)
        self.assertEqual([len(self.events(partner)) for partner in partners], [1, 1, 1])
        self.assertEqual(Partner._credit_monitor_overdue(self.company, batch_size=2), (0, 0))

    def test_review_activity_when_the_grade_interval_has_passed(self):
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
        evaluation.with_user(self.credit_officer).action_submit()
        evaluation.with_user(self.credit_manager).action_approve()
        months = evaluation.grade_id.review_interval_months
        # sudo: the accounting test user has no credit rights
        Partner = self.env["customer.credit.monitoring"].sudo()
        with freeze_time(self.today + timedelta(days=30 * months - 5)):
            Partner._credit_monitor_reviews(self.company, 100)
        self.assertFalse(
            self.credit_activities(self.customer, "customer_credit.mail_activity_type_credit_review")
        )
        with freeze_time(self.today + timedelta(days=31 * months + 1)):
            Partner._credit_monitor_reviews(self.company, 100)
            Partner._credit_monitor_reviews(self.company, 100)
        reviews = self.credit_activities(self.customer, "customer_credit.mail_activity_type_credit_review")
        # Reviews go to the credit officers, never to the administrator.
        self.assertIn(self.credit_officer, reviews.user_id)
        self.assertNotIn(self.credit_manager, reviews.user_id)
        self.assertNotIn(self.env.ref("base.user_admin"), reviews.user_id)
        self.assertEqual(len(reviews.filtered(lambda a: a.user_id == self.credit_officer)), 1)
        # Marked done: not asked again for the same evaluation.
        reviews.with_user(self.credit_officer).action_feedback(feedback="Scheduled")
        with freeze_time(self.today + timedelta(days=31 * months + 2)):
            Partner._credit_monitor_reviews(self.company, 100)
        self.assertFalse(
            self.credit_activities(self.customer, "customer_credit.mail_activity_type_credit_review")
        )


class TestMonitoringEpisodes(CreditCase):
    """The monitoring does not hold again a customer a credit manager lifted, nor repeat a warning
    marked done, until a new episode: a new invoice overdue, the next multiple of the hold days,
    the exposure reaching the threshold again after falling below it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_hold_overdue_days = 60
        cls.company.credit_warning_threshold = 80
        cls.customer.user_id = cls.credit_user
        cls.late = cls.invoice(cls.customer, 900, days_ago=100, due_days=30)  # 70 days overdue
        cls.customer.with_user(cls.credit_manager)._apply_credit_decision(1000, 30, reason="Initial limit")

    def run_monitoring(self):
        return self.env["customer.credit.monitoring"].sudo()._cron_credit_monitoring()  # sudo: as the cron

    def on_hold(self):
        return self.customer.with_company(self.company).sudo().credit_on_hold  # sudo: no credit rights here

    def lift(self):
        self.customer.with_user(self.credit_manager)._credit_set_hold(False, "Promised to pay on Friday")

    def activities(self, xmlid):
        return self.credit_activities(self.customer, xmlid)

    def test_a_lifted_hold_comes_back_only_with_a_new_overdue_invoice(self):
        self.run_monitoring()
        self.assertTrue(self.on_hold())
        self.lift()
        self.run_monitoring()
        self.assertFalse(self.on_hold())
        with freeze_time(self.today + timedelta(days=3)):
            self.run_monitoring()
        self.assertFalse(self.on_hold())
        self.invoice(self.customer, 50, due_days=5)  # due in 5 days
        with freeze_time(self.today + timedelta(days=4)):
            self.run_monitoring()
        self.assertFalse(self.on_hold())
        with freeze_time(self.today + timedelta(days=6)):  # the new invoice is overdue: a new episode
            self.run_monitoring()
        self.assertTrue(self.on_hold())
        events = (
            self.env["customer.credit.event"]
            .sudo()  # sudo: the accounting test user has no credit rights
            .search(
                [("partner_id", "=", self.customer.id), ("event_type", "like", "credit_hold")], order="id"
            )
        )
        self.assertEqual(events.mapped("event_type"), ["credit_hold", "credit_hold_lifted", "credit_hold"])

    def test_a_lifted_hold_comes_back_when_the_next_threshold_passes(self):
        self.run_monitoring()
        self.lift()
        with freeze_time(self.today + timedelta(days=50)):  # 120 days overdue
            self.run_monitoring()
        self.assertFalse(self.on_hold())
        with freeze_time(self.today + timedelta(days=51)):  # 121 days: past twice the hold days
            self.run_monitoring()
        self.assertTrue(self.on_hold())

    def test_a_manual_hold_lifted_is_not_imposed_again_by_the_monitoring(self):
        self.customer.with_user(self.credit_manager)._credit_set_hold(True, "Legal dispute")
        self.run_monitoring()
        self.lift()
        self.run_monitoring()
        self.assertFalse(self.on_hold())

    def test_a_warning_marked_done_is_not_repeated_until_the_exposure_rises_again(self):
        warning = "customer_credit.mail_activity_type_credit_warning"
        self.run_monitoring()  # 900 of 1000: over 80 %
        warnings = self.activities(warning)
        self.assertIn(self.credit_user, warnings.user_id)
        self.assertIn(self.credit_manager, warnings.user_id)
        self.assertNotIn(self.env.ref("base.user_admin"), warnings.user_id)
        for activity in warnings:
            activity.with_user(activity.user_id).action_feedback(feedback="Called the customer")
        self.run_monitoring()
        self.assertFalse(self.activities(warning))
        self.pay(self.late, 500)  # 400 of 1000: below the threshold, the episode ends
        self.run_monitoring()
        self.assertFalse(self.activities(warning))
        self.invoice(self.customer, 600, due_days=30)  # 1000 of 1000: over it again
        self.run_monitoring()
        self.assertIn(self.credit_user, self.activities(warning).user_id)

    def test_an_automatic_hold_tells_the_salesperson_and_the_managers_in_their_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.credit_manager.lang = "zh_CN"
        translations = dict(code_translations.get_python_translations("customer_credit", "zh_CN"))
        translations[HOLD_SUMMARY] = "客户已被信用冻结"
        with patch.dict(code_translations.python_translations, {("customer_credit", "zh_CN"): translations}):
            self.run_monitoring()
        holds = self.activities("customer_credit.mail_activity_type_credit_hold")
        by_user = {activity.user_id: activity.summary for activity in holds}
        self.assertEqual(by_user[self.credit_user], HOLD_SUMMARY)
        self.assertEqual(by_user[self.credit_manager], "客户已被信用冻结")
        self.assertNotIn(self.env.ref("base.user_admin"), holds.user_id)
        # Activities, not one e-mail per activity.
        self.assertFalse(
            self.env["mail.mail"]
            .sudo()  # sudo: the accounting test user reads no mail queue
            .search([("model", "=", "res.partner"), ("res_id", "=", self.customer.id)])
        )
