from datetime import timedelta

from freezegun import freeze_time

from .credit_common import CreditCase


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
        return self.env["customer.credit.monitoring"].sudo()._cron_credit_monitoring()  # sudo: reads as the system

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
        warning = self.env.ref("customer_credit.mail_activity_type_credit_warning")
        self.assertEqual(len(customer.activity_ids.filtered(lambda a: a.activity_type_id == warning)), 1)
        # Interrupted and started again: nothing twice.
        self.run_monitoring()
        self.assertEqual(len(self.events(self.customer)), 1)
        self.assertEqual(len(customer.activity_ids.filtered(lambda a: a.activity_type_id == warning)), 1)

    def test_bounded_batches_resume_where_they_stopped(self):
        partners = self.env["res.partner"]
        for n in range(3):
            partner = self.env["res.partner"].create({"name": f"Late {n}", "is_company": True})
            self.invoice(partner, 50, days_ago=50, due_days=30)
            partners |= partner
        Partner = self.env["customer.credit.monitoring"].sudo()  # sudo: the accounting test user has no credit rights
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
        review = self.env.ref("customer_credit.mail_activity_type_credit_review")
        months = evaluation.grade_id.review_interval_months
        Partner = self.env["customer.credit.monitoring"].sudo()  # sudo: the accounting test user has no credit rights
        with freeze_time(self.today + timedelta(days=30 * months - 5)):
            Partner._credit_monitor_reviews(self.company, 100)
        self.assertFalse(self.customer.activity_ids.filtered(lambda a: a.activity_type_id == review))
        with freeze_time(self.today + timedelta(days=31 * months + 1)):
            Partner._credit_monitor_reviews(self.company, 100)
            Partner._credit_monitor_reviews(self.company, 100)
        self.assertEqual(len(self.customer.activity_ids.filtered(lambda a: a.activity_type_id == review)), 1)
