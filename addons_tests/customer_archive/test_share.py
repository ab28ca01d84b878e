"""A17 sharing (共享审批制度): scoped, for a purpose, until an end date, approved by an archive manager
(an executive for secret and above, within the approver's clearance), read access only while active,
every share logged."""

from datetime import date, datetime, time, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .common import CustomerArchiveCase

SHARE = "customer.archive.share"


class TestShare(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An archive of Li's customer: Wang, another salesperson, cannot see it.
        cls.archive = cls.create_archive(partner=cls.other_customer, name="Framework contract")
        cls.documents = cls.add_documents(cls.archive)
        cls.tomorrow = date.today() + timedelta(days=1)

    def request_share(self, archive=None, requester=None, **values):
        requester = requester or self.other_sales_user
        return (
            self.env[SHARE]
            .with_user(requester)
            .create(
                {
                    "archive_id": (archive or self.archive).id,
                    "grantee_user_ids": [(6, 0, self.sales_user.ids)],
                    "purpose": "Joint tender with the eastern region",
                    "date_end": self.tomorrow,
                    **values,
                }
            )
        )

    def can_read(self, user, records):
        return bool(records.with_user(user).search([("id", "in", records.ids)]))

    def test_an_approved_share_opens_the_archive_for_reading_until_revoked(self):
        self.assertFalse(self.can_read(self.sales_user, self.archive))
        share = self.request_share()
        share.action_submit()
        self.assertFalse(self.can_read(self.sales_user, self.archive))
        share.with_user(self.manager).action_approve()
        self.assertEqual((share.state, share.approver_id), ("approved", self.manager))
        self.assertEqual(share.shared_document_ids, self.documents)
        self.assertTrue(self.can_read(self.sales_user, self.archive))
        self.assertTrue(self.can_read(self.sales_user, self.documents))
        self.assertEqual(self.archive.with_user(self.sales_user).name, "Framework contract")
        # Reading only.
        with self.assertRaises(AccessError):
            self.archive.with_user(self.sales_user).write({"name": "changed"})
        share.with_user(self.other_sales_user).action_revoke("Tender withdrawn")
        self.assertEqual((share.state, share.revoked_by_id), ("revoked", self.other_sales_user))
        self.assertFalse(self.can_read(self.sales_user, self.archive))
        self.assertFalse(self.can_read(self.sales_user, self.documents))
        # Every share is logged.
        log = self.env["customer.archive.access.log"].search([("action", "=", "share")])
        self.assertEqual(len(log), 2)
        self.assertEqual(log.archive_id, self.archive)

    def test_approving_closes_the_decision_and_keeps_own_to_dos(self):
        approval = self.env.ref("customer_archive.mail_activity_type_approval")
        share = self.request_share()
        own = share.with_user(self.other_sales_user).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.other_sales_user.id, summary="Brief the team"
        )
        share.action_submit()
        asked = share.activity_ids.filtered(lambda activity: activity.activity_type_id == approval)
        self.assertIn(self.manager, asked.user_id)
        self.assertNotIn(self.other_sales_user, asked.user_id)
        share.with_user(self.manager).action_approve()
        self.assertFalse(asked.exists())
        self.assertTrue(own.exists())

    def test_a_secret_share_asks_the_executives_only(self):
        approval = self.env.ref("customer_archive.mail_activity_type_approval")
        secret = self.create_archive(partner=self.other_customer, confidentiality="secret")
        self.sales_user.archive_clearance = "secret"
        self.other_sales_user.archive_clearance = "secret"
        share = self.request_share(archive=secret)
        share.action_submit()
        asked = share.sudo().activity_ids.filtered(  # sudo: every approver's activity
            lambda activity: activity.activity_type_id == approval
        )
        self.assertIn(self.executive, asked.user_id)
        self.assertNotIn(self.manager, asked.user_id)
        self.assertEqual(share._approval_group_xmlid(), "customer_archive.group_archive_executive")

    def test_a_share_of_some_documents_opens_only_those(self):
        share = self.request_share(document_ids=[(6, 0, self.documents[:1].ids)])
        share.action_submit()
        share.with_user(self.manager).action_approve()
        self.assertTrue(self.can_read(self.sales_user, self.documents[:1]))
        self.assertFalse(self.can_read(self.sales_user, self.documents[1:]))

    def test_a_share_ends_with_its_end_date(self):
        share = self.request_share()
        share.action_submit()
        share.with_user(self.manager).action_approve()
        self.env[SHARE]._cron_expire()
        self.assertEqual(share.state, "approved")
        # The end date is a day in Shanghai: at 23:30 there the share still holds, at 00:30 not.
        self.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        last_evening = datetime.combine(self.tomorrow, time(15, 30))  # 23:30 in Shanghai, UTC
        with freeze_time(last_evening):
            self.env[SHARE]._cron_expire()
        self.assertEqual(share.state, "approved")
        with freeze_time(last_evening + timedelta(hours=1)):
            self.env[SHARE]._cron_expire()
        self.assertEqual(share.state, "expired")
        self.assertFalse(self.can_read(self.sales_user, self.archive))

    def test_secret_archives_are_shared_by_executives_within_their_clearance(self):
        secret = self.create_archive(partner=self.other_customer, confidentiality="secret")
        self.sales_user.archive_clearance = "secret"
        share = self.request_share(archive=secret, requester=self.manager)
        share.with_user(self.manager).action_submit()
        with self.assertRaises(AccessError):
            share.with_user(self.officer).action_approve()
        self.assertEqual(share.state, "submitted")
        ordinary_cleared_executive = new_test_user(
            self.env, "ca_exec2", groups="customer_archive.group_archive_executive", name="GM Wu"
        )
        ordinary_cleared_executive.archive_clearance = "ordinary"
        with self.assertRaises(AccessError):
            share.with_user(ordinary_cleared_executive).action_approve()
        self.assertEqual(share.state, "submitted")
        share.with_user(self.executive).action_approve()
        self.assertEqual(share.state, "approved")
        self.assertTrue(self.can_read(self.sales_user, secret))

    def test_clearance_is_a_ceiling_no_share_lifts(self):
        """Issue 11: every grantee and the requester must be cleared for what the share opens, the
        grantees' record rules carry the clearance too, and nothing confidential or above is shared."""
        self.sales_user.archive_clearance = "ordinary"
        secret = self.create_archive(partner=self.other_customer, confidentiality="secret")
        self.other_sales_user.archive_clearance = "secret"
        share = self.request_share(archive=secret)
        with self.assertRaises(UserError):
            share.with_user(self.other_sales_user).action_submit()
        self.assertEqual(share.state, "draft")
        # Cleared, the grantee may be given it; lowered afterwards, the share opens nothing more.
        self.sales_user.archive_clearance = "secret"
        share.with_user(self.other_sales_user).action_submit()
        share.with_user(self.executive).action_approve()
        self.assertTrue(self.can_read(self.sales_user, secret))
        self.sales_user.archive_clearance = "ordinary"
        self.env.invalidate_all()
        self.assertFalse(self.can_read(self.sales_user, secret))
        # Confidential and top secret are never shared, whoever asks and approves.
        for level in ("confidential", "top_secret"):
            archive = self.create_archive(partner=self.other_customer, confidentiality=level)
            high = self.request_share(archive=archive, requester=self.executive)
            with self.subTest(level=level), self.assertRaises(UserError):
                high.with_user(self.executive).action_submit()
            self.assertEqual(high.state, "draft")

    def test_a_whole_archive_share_is_as_confidential_as_its_most_confidential_document(self):
        top = self.documents[:1]
        top.confidentiality = "secret"
        share = self.request_share()
        self.assertEqual(share.confidentiality, "secret")
        (self.sales_user | self.other_sales_user).archive_clearance = "secret"
        share.action_submit()
        with self.assertRaises(AccessError):
            share.with_user(self.manager).action_approve()
        self.assertEqual(share.state, "submitted")
        # Sharing only the ordinary documents stays with the managers.
        ordinary = self.request_share(document_ids=[(6, 0, (self.documents - top).ids)])
        self.assertEqual(ordinary.confidentiality, "ordinary")

    def test_documents_are_opened_by_approval_only(self):
        share = self.request_share(document_ids=[(6, 0, self.documents[:1].ids)])
        share.action_submit()
        share.with_user(self.manager).action_approve()
        other = self.documents[1:2]
        with self.assertRaises(UserError):
            other.with_user(self.officer).write({"granted_share_ids": [(4, share.id)]})
        self.assertFalse(self.can_read(self.sales_user, other))

    def test_nobody_approves_their_own_share(self):
        share = self.request_share(requester=self.manager)
        share.with_user(self.manager).action_submit()
        with self.assertRaises(UserError):
            share.with_user(self.manager).action_approve()
        self.assertEqual(share.state, "submitted")

    def test_bad_requests_are_refused_and_change_nothing(self):
        with self.assertRaises(UserError):
            self.request_share(date_end=False)
        past = self.request_share(date_end=date.today() - timedelta(days=1))
        with self.assertRaises(UserError):
            past.action_submit()
        self.assertEqual(past.state, "draft")
        nobody = self.request_share(grantee_user_ids=[(5, 0, 0)])
        with self.assertRaises(UserError):
            nobody.action_submit()
        without_rights = self.request_share(grantee_user_ids=[(6, 0, self.plain_user.ids)])
        with self.assertRaises(UserError):
            without_rights.action_submit()
        external = self.request_share(share_type="external", grantee_user_ids=[(5, 0, 0)])
        with self.assertRaises(UserError):
            external.action_submit()
        with self.assertRaises(ValidationError):
            self.request_share(copy_count=-1)

    def test_only_the_requester_submits_and_a_submitted_share_is_frozen(self):
        share = self.request_share()
        with self.assertRaises(UserError):
            share.with_user(self.sales_user).action_submit()
        share.action_submit()
        with self.assertRaises(UserError):
            share.write({"date_end": self.tomorrow + timedelta(days=300)})
        with self.assertRaises(UserError):
            share.with_user(self.other_sales_user).write({"state": "approved"})
        with self.assertRaises(UserError):
            share.unlink()
        self.assertEqual((share.state, share.date_end), ("submitted", self.tomorrow))
        share.with_user(self.manager).action_reject("No need: the tender has its own copy")
        self.assertEqual(share.state, "rejected")
        self.assertFalse(self.can_read(self.sales_user, self.archive))

    def test_external_copies_are_approved_and_logged_without_opening_anything(self):
        outside = self.env["res.partner"].create({"name": "上海市审计局"})
        share = self.request_share(
            share_type="external", grantee_user_ids=[(5, 0, 0)], external_partner_id=outside.id, copy_count=2
        )
        share.action_submit()
        share.with_user(self.manager).action_approve()
        self.assertEqual(share.state, "approved")
        self.assertFalse(self.can_read(self.sales_user, self.archive))
        self.assertTrue(self.env["customer.archive.access.log"].search([("action", "=", "share")]).archive_id)
