from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form

from .borrow_common import END_OF_MONDAY_WORK, MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestBorrowFlow(BorrowCase):
    def test_borrow_from_request_to_closed_registration(self):
        request = self.request(self.ordinary)
        self.assertEqual(request.state, "draft")
        self.assertTrue(request.name.startswith("JY/"))
        request.with_user(self.sales_user).action_submit()
        self.assertEqual(request.state, "submitted")
        self.assertIn(self.manager, request.activity_ids.user_id)
        request.with_user(self.manager).action_approve()
        self.assertEqual((request.state, request.approver_id), ("approved", self.manager))
        self.assertFalse(request.approved_on_behalf_of_id)
        self.assertFalse(request.activity_ids)
        with freeze_time(MONDAY_9AM_UTC):
            request.with_user(self.officer).action_lend(**SIGNED)
        self.assertEqual((request.state, request.lent_by_id), ("lent", self.officer))
        self.assertEqual(request.date_lent, MONDAY_9AM_UTC)
        self.assertTrue(self.ordinary.is_lent)
        with freeze_time(MONDAY_9AM_UTC + timedelta(hours=2)):
            request.with_user(self.officer).action_return("complete")
        self.assertEqual(
            (request.state, request.received_by_id, request.integrity_result),
            ("returned", self.officer, "complete"),
        )
        self.assertFalse(self.ordinary.is_lent)
        request.with_user(self.officer).action_close()
        self.assertEqual(request.state, "done")

    def test_wizards_drive_the_same_methods(self):
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        action = request.with_user(self.manager).action_open_decision_wizard()
        with Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(action["context"])
        ) as wizard:
            wizard.decision = "approve"
        wizard.record.action_confirm()
        self.assertEqual(request.state, "approved")
        action = request.with_user(self.officer).action_open_lend_wizard()
        with (
            freeze_time(MONDAY_9AM_UTC),
            Form(
                self.env[action["res_model"]].with_user(self.officer).with_context(action["context"])
            ) as wizard,
        ):
            wizard.borrower_signature = SIGNED["borrower_signature"]
            wizard.officer_signature = SIGNED["officer_signature"]
        with freeze_time(MONDAY_9AM_UTC):
            wizard.record.action_confirm()
        self.assertEqual(request.state, "lent")
        action = request.with_user(self.officer).action_open_return_wizard()
        with Form(
            self.env[action["res_model"]].with_user(self.officer).with_context(action["context"])
        ) as wizard:
            with wizard.line_ids.edit(0) as line:
                line.integrity_result = "damaged"
            wizard.integrity_note = "Page 3 torn"
        wizard.record.action_confirm()
        self.assertEqual((request.state, request.integrity_result), ("returned", "damaged"))

    def test_rejection_needs_a_reason(self):
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        with self.assertRaises(UserError):
            request.with_user(self.manager).action_reject("  ")
        self.assertEqual(request.state, "submitted")
        request.with_user(self.manager).action_reject("Not needed for a service visit")
        self.assertEqual(
            (request.state, request.rejection_reason), ("rejected", "Not needed for a service visit")
        )
        with self.assertRaises(UserError):
            request.with_user(self.officer).action_lend(**SIGNED)

    def asked(self, request):
        approval = self.env.ref("customer_archive.mail_activity_type_approval")
        # sudo: every approver's activity
        return request.sudo().activity_ids.filtered(lambda activity: activity.activity_type_id == approval)

    def test_the_approvers_of_the_level_are_asked_and_the_requester_told(self):
        request = self.request(self.ordinary)
        mine = request.with_user(self.sales_user).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.sales_user.id, summary="Prepare the visit"
        )
        request.with_user(self.sales_user).action_submit()
        self.assertIn(self.manager, self.asked(request).user_id)
        self.assertNotIn(self.sales_user, self.asked(request).user_id)
        request.with_user(self.manager).action_reject("Not needed for a service visit")
        self.assertFalse(self.asked(request))
        self.assertTrue(mine.exists())
        told = request.message_ids.filtered(lambda message: self.sales_user.partner_id in message.partner_ids)
        self.assertIn("Not needed for a service visit", str(told.body))
        # Secret requests and secret photocopies ask the executives only.
        for request_type in ("borrow", "photocopy"):
            secret = self.request(self.secret, request_type=request_type, hours=2)
            secret.with_user(self.sales_user).action_submit()
            with self.subTest(request_type=request_type):
                self.assertIn(self.executive, self.asked(secret).user_id)
                self.assertNotIn(self.manager, self.asked(secret).user_id)
                self.assertEqual(secret._approval_group_xmlid(), "customer_archive.group_archive_executive")

    def test_releasing_copies_is_an_approvers_decision_told_to_the_requester(self):
        request = self.request(self.ordinary, request_type="photocopy")
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.officer).action_release_copies()
        self.assertFalse(request.copies_released_by_id)
        request.with_user(self.manager).action_release_copies()
        self.assertEqual(request.copies_released_by_id, self.manager)
        told = request.message_ids.filtered(lambda message: self.sales_user.partner_id in message.partner_ids)
        self.assertTrue(told.filtered(lambda message: "Copies released" in str(message.body)))

    def test_requester_cancels(self):
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        with self.assertRaises(AccessError):
            request.with_user(self.other_sales_user).action_cancel()
        self.assertEqual(request.state, "submitted")
        request.with_user(self.sales_user).action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertFalse(self.asked(request))
        with self.assertRaises(UserError):
            request.with_user(self.sales_user).action_submit()
        self.assertEqual(request.state, "cancelled")


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestLevelRules(BorrowCase):
    def test_top_secret_is_never_requested(self):
        for request_type in ("borrow", "onsite", "photocopy"):
            request = self.request(self.top_secret, request_type=request_type, hours=1)
            with self.subTest(request_type=request_type), self.assertRaises(UserError):
                request.with_user(self.sales_user).action_submit()
            self.assertEqual(request.state, "draft")

    def test_confidential_only_onsite_and_the_same_day(self):
        for request_type in ("borrow", "photocopy"):
            request = self.request(self.confidential, request_type=request_type, hours=1)
            with self.subTest(request_type=request_type), self.assertRaises(UserError):
                request.with_user(self.sales_user).action_submit()
        next_day = self.request(self.confidential, request_type="onsite", hours=20)
        with self.assertRaises(UserError):
            next_day.with_user(self.sales_user).action_submit()
        same_day = self.request(self.confidential, request_type="onsite", hours=3)
        same_day.with_user(self.sales_user).action_submit()
        self.assertEqual(same_day.state, "submitted")
        # Confidential is above secret: the executive group decides.
        with self.assertRaises(AccessError):
            same_day.with_user(self.manager).action_approve()
        same_day.with_user(self.executive).action_approve()
        self.assertEqual(same_day.state, "approved")

    def test_secret_four_hours_and_executive_approval(self):
        too_long = self.request(self.secret, hours=5)
        with self.assertRaises(UserError):
            too_long.with_user(self.sales_user).action_submit()
        request = self.request(self.secret, hours=4)
        request.with_user(self.sales_user).action_submit()
        with self.assertRaises(AccessError):
            request.with_user(self.manager).action_approve()
        self.assertEqual(request.state, "submitted")
        request.with_user(self.executive).action_approve()
        # Handed out earlier than planned: four hours from the hand-out, not from the planned start.
        lent_at = MONDAY_9AM_UTC - timedelta(minutes=30)
        with freeze_time(lent_at):
            request.with_user(self.officer).action_lend(**SIGNED)
        self.assertEqual(request.date_due, lent_at + timedelta(hours=4))
        self.assertLessEqual(request.date_due - request.date_lent, timedelta(hours=4))

    def test_the_secret_loan_limit_is_a_company_setting(self):
        settings = self.env["res.config.settings"].create({"archive_secret_loan_hours": 2})
        settings.execute()
        self.assertEqual(self.env.company.archive_secret_loan_hours, 2)
        with self.assertRaises(ValidationError):
            self.env.company.archive_secret_loan_hours = 0
        too_long = self.request(self.secret, hours=3)
        with self.assertRaises(UserError):
            too_long.with_user(self.sales_user).action_submit()
        self.assertEqual(too_long.state, "draft")
        request = self.request(self.secret, hours=2)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.executive).action_approve()
        with freeze_time(MONDAY_9AM_UTC):
            request.with_user(self.officer).action_lend(**SIGNED)
        self.assertEqual(request.date_due, MONDAY_9AM_UTC + timedelta(hours=2))

    def test_secret_photocopy_is_approved_by_the_executive(self):
        request = self.request(self.secret, request_type="photocopy", hours=2)
        request.with_user(self.sales_user).action_submit()
        with self.assertRaises(AccessError):
            request.with_user(self.manager).action_approve()
        request.with_user(self.executive).action_approve()
        self.assertEqual(request.state, "approved")

    def test_ordinary_due_by_the_end_of_the_working_day_unless_a_manager_allows(self):
        overnight = self.request(self.ordinary, hours=24)
        overnight.with_user(self.sales_user).action_submit()
        with self.assertRaises(UserError):
            overnight.with_user(self.manager).action_approve()
        self.assertEqual(overnight.state, "submitted")
        overnight.with_user(self.manager).action_approve(allow_long_loan=True)
        self.assertTrue(overnight.allow_long_loan)
        with freeze_time(MONDAY_9AM_UTC):
            overnight.with_user(self.officer).action_lend(**SIGNED)
        self.assertEqual(overnight.date_due, MONDAY_9AM_UTC + timedelta(hours=24))
        # Without the allowance, the loan ends with the working day of the hand-out.
        day_loan = self.request(self.ordinary, hours=4)
        day_loan.with_user(self.sales_user).action_submit()
        day_loan.with_user(self.manager).action_approve()
        with freeze_time(MONDAY_9AM_UTC + timedelta(hours=6)):  # 15:00, after the planned due time
            overnight.with_user(self.officer).action_return()
            day_loan.with_user(self.officer).action_lend(**SIGNED)
        self.assertEqual(day_loan.date_due, END_OF_MONDAY_WORK)

    def test_only_the_right_group_approves(self):
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        for user in (self.other_sales_user, self.officer):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                request.with_user(user).action_approve()
        self.assertEqual(request.state, "submitted")
        self.assertFalse(request.approver_id)

    def test_nobody_approves_their_own_request(self):
        request = self.request(self.ordinary, user=self.manager)
        request.with_user(self.manager).action_submit()
        with self.assertRaises(AccessError):
            request.with_user(self.manager).action_approve()
        self.assertEqual(request.state, "submitted")


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestBadInput(BorrowCase):
    def test_due_before_start(self):
        with self.assertRaises(ValidationError):
            self.request(self.ordinary, hours=-1)

    def test_due_already_passed(self):
        request = self.request(self.ordinary, start=MONDAY_9AM_UTC - timedelta(days=3), hours=2)
        with self.assertRaises(UserError):
            request.with_user(self.sales_user).action_submit()
        self.assertEqual(request.state, "draft")

    def test_temporary_archive_without_documents(self):
        empty = self.create_archive(name="empty")
        request = self.request(empty)
        with self.assertRaises(UserError):
            request.with_user(self.sales_user).action_submit()
        self.assertEqual(request.state, "draft")

    def test_documents_of_another_archive(self):
        with self.assertRaises(ValidationError):
            self.request(self.ordinary, document_ids=[(6, 0, self.secret.document_ids.ids)])

    def test_returning_what_was_not_lent(self):
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        with self.assertRaises(UserError):
            request.with_user(self.officer).action_return()
        self.assertEqual(request.state, "approved")
        self.assertFalse(request.received_by_id)

    def test_negative_copy_count(self):
        request = self.request(self.ordinary, request_type="photocopy")
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        with freeze_time(MONDAY_9AM_UTC):
            request.with_user(self.officer).action_lend(**SIGNED)
        with self.assertRaises(ValidationError):
            request.with_user(self.officer).action_return(copy_count=-1, copy_pages=3)
        self.assertEqual(request.state, "lent")
        # Copies are counted at the return, by the officer: uncounted, the photocopy stays out.
        with self.assertRaises(UserError):
            request.with_user(self.officer).action_return()
        self.assertEqual(request.state, "lent")
        request.with_user(self.officer).action_return(copy_count=2, copy_pages=6)
        # Nobody rewrites the count afterwards, the borrower included (it would hide copies out).
        for user in (self.sales_user, self.officer):
            with self.assertRaises(UserError):
                request.with_user(user).write({"copy_count": 0})
        self.assertEqual(request.copy_count, 2)

    def test_request_frozen_after_submission_and_state_not_writable(self):
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        with self.assertRaises(UserError):
            request.with_user(self.sales_user).write({"date_due": MONDAY_9AM_UTC + timedelta(days=5)})
        for values in (
            {"state": "approved"},
            {"approver_id": self.manager.id},
            {"date_lent": MONDAY_9AM_UTC},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                request.with_user(self.executive).write(values)
        self.assertEqual(request.state, "submitted")

    def test_sales_staff_cannot_hand_out(self):
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.sales_user).action_lend(**SIGNED)
        self.assertEqual(request.state, "approved")

    def test_requests_are_never_deleted(self):
        request = self.request(self.ordinary)
        with self.assertRaises(UserError):
            request.with_user(self.executive).unlink()
        self.assertTrue(request.exists())
