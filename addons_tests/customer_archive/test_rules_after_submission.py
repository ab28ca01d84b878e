"""Rules that must hold after a request is made, whatever happens while it waits (issue 12,
found by a review as an RPC attacker): the level rules at approval and hand-out, the approval
activities that only the engine changes, copies released after a month's cutoff, a hand-out after
hours, the codes numbers are made of."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED

APPROVAL = "customer_archive.mail_activity_type_approval"


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestLevelAfterSubmission(BorrowCase):
    """Item 2 (the level of what a request opens, 密级借阅规定): the level rules are checked when
    the request is submitted and again at the approval and the hand-out: the level may rise
    while it waits (a confidential document registered in the archive, the archive reclassified)."""

    def test_a_level_raised_after_submission_is_checked_again_before_the_archive_leaves(self):
        request = self.request(self.ordinary, request_type="borrow", hours=4)
        request.with_user(self.sales_user).action_submit()
        # The archive office registers a confidential document in the archive meanwhile.
        self.add_documents(
            self.ordinary, types=self.ordinary.document_ids[:1].type_id, confidentiality="confidential"
        )
        self.assertEqual(request.confidentiality, "confidential")
        # Confidential archives are only read in the archive room: no approval, no hand-out.
        # The officer is cleared for it (as the demo's 赵敏): only the level rule can refuse.
        self.officer.archive_clearance = "confidential"
        with self.assertRaises(UserError) as refused:
            request.with_user(self.executive).action_approve()
        self.assertNotIsInstance(refused.exception, AccessError)
        self.assertEqual(request.state, "submitted")

    def test_a_level_raised_after_approval_is_checked_again_at_the_hand_out(self):
        request = self.request(self.ordinary, request_type="onsite", hours=2)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        # Reclassified secret after the manager approved it: secret is an executive's decision.
        self.ordinary.sudo().with_user(self.manager).write({"confidentiality": "secret"})
        self.assertEqual(request.confidentiality, "secret")
        with self.assertRaises(UserError):
            request.with_user(self.officer).action_lend(**SIGNED)
        self.assertEqual((request.state, request.date_lent), ("approved", False))


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestApprovalActivitiesAreTheEngines(BorrowCase):
    """Item 1: the approval activities are made and closed by the engine only: the requester of a
    submitted request cannot delete them, mark them done, reschedule or take them over by RPC
    (then nobody would be asked any more); deciding closes them."""

    def setUp(self):
        super().setUp()
        self.req = self.request(self.ordinary)
        self.req.with_user(self.sales_user).action_submit()
        self.asked = self.env["mail.activity"].search(
            [
                ("res_model", "=", self.req._name),
                ("res_id", "=", self.req.id),
                ("activity_type_id", "=", self.env.ref(APPROVAL).id),
            ]
        )
        self.assertTrue(self.asked)

    def test_the_requester_cannot_delete_the_approval_activities(self):
        with self.assertRaises(UserError):  # AccessError is one too
            self.asked.with_user(self.sales_user).unlink()

    def test_the_requester_cannot_take_an_approval_activity_over(self):
        with self.assertRaises(UserError):  # AccessError is one too
            self.asked[:1].with_user(self.sales_user).write({"user_id": self.sales_user.id})

    def test_the_requester_cannot_mark_an_approval_activity_done(self):
        with self.assertRaises(UserError):  # AccessError is one too
            self.asked[:1].with_user(self.sales_user).action_feedback("done")
        with self.assertRaises(AccessError):
            self.req.with_user(self.sales_user).write({"activity_ids": [(2, self.asked[:1].id)]})
        with self.assertRaises(AccessError):
            self.asked[:1].with_user(self.manager).write({"date_deadline": "2027-01-01"})
        self.assertTrue(self.asked.exists())
        # Deciding closes them; users' own to-dos stay.
        self.req.with_user(self.manager).action_approve()
        self.assertFalse(self.asked.exists())


class TestReleasedCopiesInTheMonthlyReport(BorrowCase):
    """Item 2 (copies still out): copies out at the month's cutoff and released by an approver
    after it are in that month's report, as copies verified after the cutoff are."""

    def test_copies_released_after_the_cutoff_were_out_at_the_cutoff(self):
        with freeze_time("2026-11-30 06:00:00"):  # Monday 14:00 in Shanghai
            request = self.request(
                self.ordinary, request_type="photocopy", start=MONDAY_9AM_UTC + timedelta(hours=4), hours=2
            )
            request.with_user(self.sales_user).action_submit()
            request.with_user(self.manager).action_approve()
            request.with_user(self.officer).action_lend(**SIGNED)
            request.with_user(self.officer).action_return("complete", copy_count=2, copy_pages=4)
            self.assertTrue(request.copies_out)
        Report = self.env["customer.archive.monthly.report"]
        month = (request.date_returned.date().replace(day=1) + timedelta(days=31)).replace(day=1)
        # 1 December 2026: the cutoff is 1 December 00:00 in Shanghai.
        cutoff = Report._cutoff_of(self.company, month)
        self.assertLess(request.date_returned, cutoff)
        with freeze_time(cutoff + timedelta(hours=2)):  # 1 December, 02:00 in Shanghai
            request.with_user(self.manager).action_release_copies()
            rows = Report._outstanding_rows(self.company, cutoff)
        self.assertIn((request.id, "copy"), {(row[0], row[1]) for row in rows})


class TestHandOutAfterHours(BorrowCase):
    """Item 6: a loan handed out when no working time is left before the due time asked for is due
    by the end of the next working day, never the same night."""

    def test_a_loan_asked_for_the_evening_is_due_at_the_end_of_the_next_working_day(self):
        start = MONDAY_9AM_UTC + timedelta(hours=9)  # Monday 18:00 in Shanghai
        with freeze_time(start - timedelta(minutes=30)):
            request = self.request(self.ordinary, start=start, hours=2)  # until 20:00
            request.with_user(self.sales_user).action_submit()
            request.with_user(self.manager).action_approve()
        with freeze_time(start + timedelta(minutes=30)):  # 18:30
            request.with_user(self.officer).action_lend(**SIGNED)
            self.assertFalse(request.is_overdue)
        self.assertEqual(request.date_due, datetime(2026, 12, 1, 9, 0, 0))  # Tuesday 17:00 in Shanghai


class TestNumberCodes(BorrowCase):
    """Item 7: the codes numbers were made of (department, category) are not renamed once an
    archive carries them; an unused code may still be corrected."""

    def test_a_code_in_use_is_not_renamed(self):
        department = self.ordinary.department_id
        code = department.code
        with self.assertRaises(UserError):
            department.with_user(self.manager).write({"code": "ZZZ"})
        with self.assertRaises(UserError):
            self.ordinary.category_id.with_user(self.manager).write({"code": "ZZZ"})
        self.assertEqual(department.code, code)
        unused = self.env["customer.archive.department"].create({"name": "新部门", "code": "NEW"})
        unused.with_user(self.manager).write({"code": "NEX", "name": "新部门二"})
        self.assertEqual(unused.code, "NEX")
        department.with_user(self.manager).write({"name": "销售一部"})  # the name is no part of a number
