from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError

from .borrow_common import MONDAY_9AM_UTC, BorrowCase

NOW = MONDAY_9AM_UTC - timedelta(minutes=30)
# A one-pixel PNG.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


@freeze_time(NOW)
class TestDelegation(BorrowCase):
    def delegate(self, delegator, **values):
        return (
            self.env["customer.archive.delegation"]
            .with_user(delegator)
            .create(
                {
                    "delegate_id": self.deputy.id,
                    "date_from": NOW - timedelta(hours=1),
                    "date_to": NOW + timedelta(days=2),
                    "reason": "Business trip to Guangzhou",
                    **values,
                }
            )
        )

    def submitted_secret_request(self):
        request = self.request(self.secret, hours=3)
        request.with_user(self.sales_user).action_submit()
        return request

    def test_deputy_approves_on_behalf_of_the_executive(self):
        delegation = self.delegate(self.executive)
        request = self.submitted_secret_request()
        request.with_user(self.deputy).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approver_id, self.deputy)
        self.assertEqual(request.approved_on_behalf_of_id, self.executive)
        self.assertEqual(request.approval_delegation_id, delegation)
        self.assertIn(self.executive.name, request.message_ids[0].body)

    def test_without_delegation_the_deputy_cannot_approve(self):
        request = self.submitted_secret_request()
        with self.assertRaises(AccessError):
            request.with_user(self.deputy).action_approve()
        self.assertEqual(request.state, "submitted")

    def test_expired_or_revoked_delegation_grants_nothing(self):
        delegation = self.delegate(self.executive)
        request = self.submitted_secret_request()
        with freeze_time(NOW + timedelta(days=3)), self.assertRaises(AccessError):
            request.with_user(self.deputy).action_approve()
        with self.assertRaises(AccessError):
            delegation.with_user(self.deputy).action_revoke()
        delegation.with_user(self.executive).action_revoke()
        self.assertEqual(delegation.state, "revoked")
        with self.assertRaises(AccessError):
            request.with_user(self.deputy).action_approve()
        self.assertEqual(request.state, "submitted")

    def test_manager_delegation_does_not_reach_secret_requests(self):
        self.delegate(self.manager)
        request = self.submitted_secret_request()
        with self.assertRaises(AccessError):
            request.with_user(self.deputy).action_approve()
        ordinary = self.request(self.ordinary)
        ordinary.with_user(self.sales_user).action_submit()
        ordinary.with_user(self.deputy).action_approve()
        self.assertEqual(ordinary.approved_on_behalf_of_id, self.manager)

    def test_deputy_cannot_approve_the_delegators_own_request(self):
        self.delegate(self.manager)
        request = self.request(self.ordinary, user=self.manager)
        request.with_user(self.manager).action_submit()
        with self.assertRaises(AccessError):
            request.with_user(self.deputy).action_approve()

    def asked(self, record):
        approval = self.env.ref("customer_archive.mail_activity_type_approval")
        # sudo: every approver's activity
        return record.sudo().activity_ids.filtered(lambda activity: activity.activity_type_id == approval)

    def test_the_deputy_is_asked_instead_of_the_delegator(self):
        self.delegate(self.executive)
        request = self.submitted_secret_request()
        self.assertIn(self.deputy, self.asked(request).user_id)
        self.assertNotIn(self.executive, self.asked(request).user_id)
        self.assertNotIn(self.sales_user, self.asked(request).user_id)
        # The delegator may still decide in their own right.
        request.with_user(self.executive).action_approve()
        self.assertEqual((request.approver_id, request.approved_on_behalf_of_id.id), (self.executive, False))
        self.assertFalse(self.asked(request))

    def test_a_delegation_for_lending_only_covers_no_share(self):
        lending = self.env.ref("customer_archive.request_type_borrow")
        delegation = self.delegate(self.manager, request_type_ids=[(6, 0, lending.ids)])
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        self.assertIn(self.deputy, self.asked(request).user_id)
        self.assertNotIn(self.manager, self.asked(request).user_id)
        share = (
            self.env["customer.archive.share"]
            .with_user(self.sales_user)
            .create(
                {
                    "archive_id": self.ordinary.id,
                    "grantee_user_ids": [(6, 0, self.other_sales_user.ids)],
                    "purpose": "Joint tender",
                    "date_end": (NOW + timedelta(days=5)).date(),
                }
            )
        )
        share.with_user(self.sales_user).action_submit()
        self.assertNotIn(self.deputy, self.asked(share).user_id)
        self.assertIn(self.manager, self.asked(share).user_id)
        with self.assertRaises(AccessError):
            share.with_user(self.deputy).action_approve()
        self.assertEqual((share.state, share.approver_id.id), ("submitted", False))
        request.with_user(self.deputy).action_approve()
        self.assertEqual(
            (request.state, request.approved_on_behalf_of_id, request.approval_delegation_id),
            ("approved", self.manager, delegation),
        )
        # What a delegation covers is part of the letter: it cannot be widened afterwards.
        with self.assertRaises(UserError):
            delegation.with_user(self.manager).write({"request_type_ids": [(5, 0, 0)]})
        self.assertEqual(delegation.request_type_ids, lending)

    def test_a_delegation_needs_a_reason_or_letter_and_a_sensible_period(self):
        with self.assertRaises(ValidationError):
            self.delegate(self.executive, reason=" ")
        letter = (
            self.env["ir.attachment"]
            .with_user(self.executive)
            .create({"name": "weituoshu.pdf", "raw": b"%PDF letter"})
        )
        self.assertTrue(self.delegate(self.executive, reason=False, letter_ids=[(6, 0, letter.ids)]))
        with self.assertRaises(ValidationError):
            self.delegate(self.executive, date_to=NOW - timedelta(hours=2))
        with self.assertRaises(ValidationError):
            self.delegate(self.executive, delegate_id=self.executive.id)
        with self.assertRaises(ValidationError):
            self.delegate(self.executive, delegate_id=self.sales_user.id)

    def test_only_approvers_delegate_and_only_for_themselves(self):
        with self.assertRaises(AccessError):
            self.delegate(self.officer)
        with self.assertRaises(AccessError):
            self.delegate(self.manager, delegator_id=self.executive.id)

    def test_the_letter_and_reason_of_a_delegation_stay_as_given(self):
        letter = (
            self.env["ir.attachment"]
            .with_user(self.executive)
            .create({"name": "委托书.pdf", "raw": b"%PDF signed", "res_model": "customer.archive.delegation"})
        )
        delegation = self.delegate(self.executive, letter_ids=[Command.set(letter.ids)])
        as_executive = delegation.with_user(self.executive)
        for values in (
            {"reason": "Another reason"},
            {"letter_ids": [Command.clear()]},
            {"letter_ids": [Command.link(letter.copy({"raw": b"forged"}).id)]},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                as_executive.write(values)
        with self.assertRaises(UserError):
            letter.with_user(self.executive).write({"raw": b"%PDF forged"})
        with self.assertRaises(UserError):
            letter.with_user(self.executive).unlink()
        self.assertEqual((delegation.reason, delegation.letter_ids), ("Business trip to Guangzhou", letter))
        self.assertEqual(letter.raw, b"%PDF signed")
        for values in ({"access_token": "guessable"}, {"name": "另一封.pdf"}, {"public": True}):
            with self.subTest(values=values), self.assertRaises(UserError):
                letter.with_user(self.executive).write(values)
        # No token opens it, not even one Odoo's own code makes as the system.
        system = letter.sudo()  # sudo: as Odoo's portal code calls it
        self.assertEqual(system.generate_access_token(), [False])
        self.assertFalse(letter.sudo().access_token)  # sudo: the stored token
        # The letter is the delegation's own file: no other record's change reaches it.
        self.assertEqual((letter.res_model, letter.res_id), (delegation._name, delegation.id))
        # The way to change it: revoke it and give a new one.
        as_executive.action_revoke()
        self.assertEqual(delegation.state, "revoked")
        self.delegate(self.executive, reason="Trip extended")

    def test_a_letter_is_a_file_of_its_own(self):
        # A file of another record (a partner's photo, a file attached to a partner) would be
        # replaced or deleted with that record, by Odoo itself: it is uploaded again instead.
        partner = (
            self.env["res.partner"].with_user(self.executive).create({"name": "照片", "image_1920": PNG})
        )
        photo = (
            self.env["ir.attachment"]
            .sudo()  # sudo: the photo's file, which Odoo made
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", partner.id),
                    ("res_field", "=", "image_1920"),
                ]
            )
        )
        attached = (
            self.env["ir.attachment"]
            .with_user(self.executive)
            .create({"name": "附件.pdf", "raw": b"%PDF", "res_model": "res.partner", "res_id": partner.id})
        )
        count = self.env["customer.archive.delegation"].search_count([])
        for files in (photo, attached):
            with self.subTest(file=files.name), self.assertRaises(UserError):
                self.delegate(self.executive, reason=False, letter_ids=[Command.set(files.ids)])
        self.assertEqual(self.env["customer.archive.delegation"].search_count([]), count)

    def test_a_delegation_cannot_be_changed_or_deleted(self):
        delegation = self.delegate(self.executive)
        with self.assertRaises(UserError):
            delegation.with_user(self.executive).write({"date_to": NOW + timedelta(days=30)})
        with self.assertRaises(UserError):
            delegation.with_user(self.executive).write({"state": "active"})
        with self.assertRaises(UserError):
            delegation.with_user(self.executive).unlink()
        self.assertEqual(delegation.date_to, NOW + timedelta(days=2))
