from datetime import timedelta

from freezegun import freeze_time

from .credit_common import CreditCase


class TestGrantExpiry(CreditCase):
    """A grant's validity end date is enforced (信用授予规则): after ``valid_to`` the customer has
    the limit and term in force before the grant, once; the credit managers are told in advance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.credit_user  # sales staff apply for credit for their own customers
        cls.customer.with_user(cls.credit_manager)._apply_credit_decision(1000, 30, reason="Initial limit")
        cls.valid_to = cls.today + timedelta(days=40)

    def grant(self, partner=None, limit=5000, term=60):
        application = (
            self.env["customer.credit.application"]
            .with_user(self.credit_user)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "requested_limit": limit,
                    "requested_term_days": term,
                    "reason": "Seasonal orders",
                }
            )
        )
        application.with_user(self.credit_user).action_submit()
        application.with_user(self.credit_officer).action_review("Pays on time")
        application.with_user(self.credit_manager).action_approve(
            limit, term, self.today - timedelta(days=10), self.valid_to
        )
        return application.sudo()  # sudo: the accounting test user reads the application's state

    def terms(self, partner=None):
        partner = (partner or self.customer).with_company(self.company).sudo()  # sudo: no credit rights here
        return partner.credit_limit, partner.credit_term_days

    def history(self, partner=None):
        return (
            self.env["customer.credit.limit.history"]
            .sudo()  # sudo: the accounting test user has no credit rights
            .search([("partner_id", "=", (partner or self.customer).id)], order="id")
        )

    def run_monitoring(self):
        return self.env["customer.credit.monitoring"].sudo()._cron_credit_monitoring()  # sudo: as the cron

    def test_the_limit_before_the_grant_comes_back_after_its_end_once(self):
        application = self.grant()
        self.assertEqual(self.terms(), (5000, 60))
        with freeze_time(self.valid_to):  # its last day: still valid
            self.run_monitoring()
        self.assertEqual(self.terms(), (5000, 60))
        with freeze_time(self.valid_to + timedelta(days=1)):
            self.run_monitoring()
            self.assertEqual(self.terms(), (1000, 30))
            self.assertTrue(application.grant_expired)
            ended = self.history()[-1]
            self.assertEqual((ended.previous_limit, ended.new_limit), (5000, 1000))
            self.assertIn(f"Grant {application.name} expired on", ended.reason)
            self.assertEqual(ended.application_id, application)
            count = len(self.history())
            self.run_monitoring()  # rerun: nothing twice
            self.assertEqual(len(self.history()), count)

    def test_a_later_decision_supersedes_the_grant(self):
        application = self.grant()
        self.customer.with_user(self.credit_manager)._apply_credit_decision(8000, 45, reason="Raised")
        count = len(self.history())
        with freeze_time(self.valid_to + timedelta(days=1)):
            self.run_monitoring()
        self.assertEqual(self.terms(), (8000, 45))
        self.assertEqual(len(self.history()), count)
        self.assertTrue(application.grant_expired)

    def test_the_grant_of_a_customer_made_a_contact_ends_without_a_decision(self):
        """A credit manager made the customer a contact of another company before its grant
        ended: the grant ends once, noted, and no decision is made on the contact (its company's
        decisions control it), nor does the run stop."""
        application = self.grant()
        company = self.env["res.partner"].create({"name": "收购方公司", "is_company": True})
        self.customer.with_user(self.credit_manager).write({"is_company": False, "parent_id": company.id})
        count = len(self.history())
        with freeze_time(self.valid_to + timedelta(days=1)):
            self.run_monitoring()
            self.assertTrue(application.grant_expired)
            self.assertEqual(len(self.history()), count)
            self.assertIn("is now a contact of 收购方公司", application.message_ids[:1].body)
            self.run_monitoring()  # rerun: nothing twice
            self.assertEqual(len(self.history()), count)

    def test_an_order_check_can_end_the_grant_of_one_customer_before_the_cron(self):
        other = self.env["res.partner"].create(
            {"name": "西部建材", "is_company": True, "user_id": self.credit_user.id}
        )
        self.grant()
        self.grant(other, limit=3000)
        with freeze_time(self.valid_to + timedelta(days=1)):
            # As the salesperson whose order is being checked: the system applies the end.
            ended = self.customer.with_user(self.credit_user)._credit_expire_grants(self.company)
        self.assertEqual(len(ended), 1)
        self.assertEqual(self.terms(), (1000, 30))
        self.assertEqual(self.history()[-1].approver_id, self.env.ref("base.user_root"))
        self.assertEqual(self.terms(other), (3000, 60))  # not this customer's check

    def test_credit_managers_are_told_in_advance(self):
        application = self.grant()
        notice = self.env.ref("customer_credit.mail_activity_type_credit_grant_end")

        def notices():
            return application.activity_ids.filtered(lambda a: a.activity_type_id == notice)

        # No grade: 30 days before the last day.
        with freeze_time(self.valid_to - timedelta(days=31)):
            self.run_monitoring()
        self.assertFalse(notices())
        with freeze_time(self.valid_to - timedelta(days=30)):
            self.run_monitoring()
            self.run_monitoring()
        self.assertIn(self.credit_manager, notices().user_id)
        self.assertNotIn(self.env.ref("base.user_admin"), notices().user_id)
        self.assertEqual(set(notices().mapped("date_deadline")), {self.valid_to})
        self.assertEqual(len(notices().filtered(lambda a: a.user_id == self.credit_manager)), 1)
        notices().filtered(lambda a: a.user_id == self.credit_manager).with_user(
            self.credit_manager
        ).action_feedback(feedback="Renewal under way")
        with freeze_time(self.valid_to - timedelta(days=29)):
            self.run_monitoring()
        self.assertFalse(notices().filtered(lambda a: a.user_id == self.credit_manager))

    def test_notice_lead_follows_the_grade_review_interval(self):
        Monitoring = self.env["customer.credit.monitoring"]
        self.assertEqual(
            [Monitoring._credit_grant_notice_days(grade) for grade in self.grades.sorted("min_score")],
            [22, 45, 90],  # C every 3 months, B every 6, A every 12: a quarter of the interval
        )
        self.assertEqual(Monitoring._credit_grant_notice_days(self.grades.browse()), 30)
