"""Issue 11: nobody below a record's level follows it, is notified of it or holds an activity on it."""

from odoo.exceptions import UserError

from .common import CustomerArchiveCase


class TestMailWithinTheLevel(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The salesperson of the customer is cleared for ordinary only; the officer for secret.
        cls.secret = cls.create_archive(name="secret", confidentiality="secret")
        cls.ordinary = cls.create_archive(name="ordinary")

    def assert_cleared_manager(self, user):
        self.assertTrue(user.has_group("customer_archive.group_archive_manager"), user.name)
        self.assertGreaterEqual(user.archive_clearance_rank, 2, user.name)

    def followers(self, record):
        return record.sudo().message_partner_ids

    def test_only_cleared_people_follow(self):
        sales, officer = self.sales_user.partner_id, self.officer.partner_id
        self.secret.with_user(self.officer).message_subscribe(partner_ids=(sales | officer).ids)
        self.assertIn(officer, self.followers(self.secret))
        self.assertNotIn(sales, self.followers(self.secret))
        # An ordinary archive is followed by whoever its readers choose.
        self.ordinary.with_user(self.officer).message_subscribe(partner_ids=sales.ids)
        self.assertIn(sales, self.followers(self.ordinary))

    def test_nobody_below_the_level_is_notified(self):
        sales, officer = self.sales_user.partner_id, self.officer.partner_id
        message = self.secret.with_user(self.manager).message_post(
            body="Audit findings", message_type="comment", partner_ids=(sales | officer).ids
        )
        notified = message.sudo().notification_ids.res_partner_id
        self.assertIn(officer, notified)
        self.assertNotIn(sales, notified)

    def test_activities_go_to_cleared_people_only(self):
        activity = self.secret.with_user(self.officer).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.sales_user.id, summary="Check the licence"
        )
        self.assert_cleared_manager(activity.user_id)
        mine = self.secret.with_user(self.officer).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.officer.id, summary="File it"
        )
        self.assertEqual(mine.user_id, self.officer)
        with self.assertRaises(UserError):
            mine.with_user(self.officer).write({"user_id": self.sales_user.id})
        self.assertEqual(mine.user_id, self.officer)

    def test_raising_a_level_drops_those_it_excludes(self):
        sales = self.sales_user.partner_id
        self.ordinary.with_user(self.officer).message_subscribe(partner_ids=sales.ids)
        activity = self.ordinary.with_user(self.officer).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.sales_user.id, summary="Visit"
        )
        self.assertEqual(activity.user_id, self.sales_user)
        self.ordinary.with_user(self.officer).write({"confidentiality": "secret"})
        self.assertNotIn(sales, self.followers(self.ordinary))
        self.assert_cleared_manager(activity.user_id)
