"""Copies still out have one definition (``copies_out``): the close, the overview tile, the
search filter and the monthly report agree (issue 12, item 2)."""

from datetime import timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tools import mute_logger

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED

NOW = MONDAY_9AM_UTC - timedelta(minutes=30)


@freeze_time(NOW)
class TestCopiesOut(BorrowCase):
    def returned_photocopy(self, copies_may_leave=False):
        request = self.request(self.ordinary, request_type="photocopy")
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve(copies_may_leave=copies_may_leave)
        request.with_user(self.officer).action_lend(**SIGNED)
        request.with_user(self.officer).action_return("complete", copy_count=2, copy_pages=6)
        return request

    def places(self, request):
        """Where copies still out show: the overview tile, the search filter, the monthly report."""
        Dashboard = self.env["customer.archive.dashboard"].with_user(self.officer)
        tile = next(t for t in Dashboard._dashboard_visible_tiles() if t["key"] == "borrow_copies_out")
        search_view = self.env.ref("customer_archive.customer_archive_borrow_view_search")
        self.assertIn("[('copies_out', '=', True)]", search_view.arch_db)
        Borrow = self.Borrow.with_user(self.officer)
        report = self.env["customer.archive.monthly.report"]
        rows = report._outstanding_rows(self.company, NOW + timedelta(minutes=1))
        return {
            "field": request.copies_out,
            "tile": request in Borrow.search(tile["domain"]),
            "filter": request in Borrow.search([("copies_out", "=", True)]),
            "report": (request.id, "copy") in {(row[0], row[1]) for row in rows},
        }

    def test_copies_counted_at_the_return_are_out_everywhere_until_verified(self):
        request = self.returned_photocopy()
        self.assertEqual(set(self.places(request).values()), {True})
        with self.assertRaises(UserError):
            request.with_user(self.officer).action_close()
        self.assertEqual(request.state, "returned")
        request.with_user(self.officer).action_verify_copies()
        self.assertEqual(request.state, "done")
        self.assertEqual(set(self.places(request).values()), {False})

    def test_released_copies_are_out_nowhere(self):
        request = self.returned_photocopy(copies_may_leave=True)
        request.with_user(self.manager).action_release_copies()
        self.assertEqual(set(self.places(request).values()), {False})
        request.with_user(self.officer).action_close()
        self.assertEqual(request.state, "done")

    def test_a_photocopy_is_never_back_uncounted(self):
        request = self.request(self.ordinary, request_type="photocopy")
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        request.with_user(self.officer).action_lend(**SIGNED)
        for count in (None, 0):
            with self.subTest(count=count), self.assertRaises(UserError):
                request.with_user(self.officer).action_return("complete", copy_count=count)
        self.assertEqual(request.state, "lent")
        request.with_user(self.officer).action_return("complete", copy_count=1)
        # Nobody rewrites the count, and not even the system stores a returned photocopy uncounted.
        for user in (self.sales_user, self.officer, self.manager):
            with self.subTest(user=user.name), self.assertRaises(UserError):
                request.with_user(user).write({"copy_count": 0})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            request._workflow_write({"copy_count": 0})
            request.flush_recordset()
        request.invalidate_recordset(flush=False)
        self.assertEqual(request.copy_count, 1)
        self.assertTrue(request.copies_out)
