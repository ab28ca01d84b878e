from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestHandover(BorrowCase):
    def test_a_user_holding_archive_matters_is_archived_only_after_handover(self):
        leaving = self.sales_user
        self.ordinary.user_id = leaving
        loan = self.request(self.ordinary)
        loan.with_user(leaving).action_submit()
        loan.with_user(self.manager).action_approve()
        loan.with_user(self.officer).action_lend(**SIGNED)
        pending = self.request(self.secret, hours=2)
        share = (
            self.env["customer.archive.share"]
            .with_user(leaving)
            .create(
                {
                    "archive_id": self.ordinary.id,
                    "grantee_user_ids": [(6, 0, self.officer.ids)],
                    "purpose": "Joint visit",
                    "date_end": MONDAY_9AM_UTC.date() + timedelta(days=7),
                }
            )
        )
        self.cabinet.backup_key_holder_id = leaving
        with self.assertRaises(UserError) as refused:
            leaving.active = False
        for text in (self.ordinary.number, loan.name, pending.name, share.name, self.cabinet.code):
            self.assertIn(text, str(refused.exception))
        self.assertTrue(leaving.active)

        Wizard = self.env["customer.archive.handover.wizard"]
        values = {"from_user_id": leaving.id, "to_user_id": self.other_sales_user.id}
        with self.assertRaises(AccessError):
            Wizard.with_user(self.officer).create(values).action_confirm()
        # The successor takes over the customers too (the archives' scope) and must be cleared for
        # every archive of them: until then nothing is handed over.
        self.assertEqual(self.customer.user_id, leaving)
        with self.assertRaises(UserError):
            Wizard.with_user(self.manager).create(values).action_confirm()
        self.assertEqual((self.customer.user_id, self.ordinary.user_id), (leaving, leaving))
        self.other_sales_user.archive_clearance = "top_secret"
        Wizard.with_user(self.manager).create(values).action_confirm()
        self.assertEqual(self.ordinary.user_id, self.other_sales_user)
        self.assertEqual(self.customer.user_id, self.other_sales_user)
        archives = self.customer.customer_archive_ids
        Archive = self.env["customer.archive"]
        successor_sees = Archive.with_user(self.other_sales_user).search([("id", "in", archives.ids)])
        self.assertEqual(successor_sees, archives)
        self.assertFalse(Archive.with_user(leaving).search([("id", "in", archives.ids)]))
        self.assertEqual(
            (loan.requester_id, pending.requester_id, share.requester_id),
            (self.other_sales_user, self.other_sales_user, self.other_sales_user),
        )
        self.assertEqual(self.cabinet.backup_key_holder_id, self.other_sales_user)
        record = self.env["customer.archive.handover"].search([("from_user_id", "=", leaving.id)])
        self.assertEqual((record.to_user_id, record.done_by_id), (self.other_sales_user, self.manager))
        with self.assertRaises(UserError):
            record.write({"summary": "x"})
        leaving.active = False
        self.assertFalse(leaving.active)

    def test_handover_records_come_only_from_the_wizard(self):
        with self.assertRaises(UserError):
            self.env["customer.archive.handover"].create(
                {
                    "from_user_id": self.sales_user.id,
                    "to_user_id": self.officer.id,
                    "done_by_id": self.manager.id,
                    "date": MONDAY_9AM_UTC,
                }
            )
