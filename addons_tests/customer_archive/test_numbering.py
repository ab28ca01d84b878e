import threading
import time

import psycopg2
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

from .common import CustomerArchiveCase

# Years no other test numbers archives in, so that their counters start from zero.
YEAR = 2031


class TestArchiveNumbering(CustomerArchiveCase):
    def test_default_format_and_consecutive_numbers(self):
        first = self.create_archive(date_opened=f"{YEAR}-03-01")
        second = self.create_archive(date_opened=f"{YEAR}-03-02")
        self.assertEqual(first.number, f"{YEAR}-TST-0001")
        self.assertEqual(second.number, f"{YEAR}-TST-0002")

    def test_format_from_settings(self):
        settings = self.env["res.config.settings"].create(
            {"archive_number_format": "{category}-{year}-{sequence}", "archive_sequence_padding": 5}
        )
        settings.execute()
        archive = self.create_archive(category=self.category_contract, date_opened=f"{YEAR}-01-05")
        self.assertEqual(archive.number, f"CON-{YEAR}-00001")

    def test_sequence_restarts_every_year(self):
        with freeze_time(f"{YEAR + 1}-12-31 10:00:00"):
            last_of_year = [self.create_archive(), self.create_archive()]
        with freeze_time(f"{YEAR + 2}-01-01 10:00:00"):
            first_of_next = self.create_archive()
        self.assertEqual([a.number for a in last_of_year], [f"{YEAR + 1}-TST-0001", f"{YEAR + 1}-TST-0002"])
        self.assertEqual(first_of_next.number, f"{YEAR + 2}-TST-0001")

    def test_invalid_formats_are_refused(self):
        for pattern in ("{year}-{department}", "{department}-{sequence}", "{year}-{customer}-{sequence}"):
            with self.subTest(pattern=pattern), self.assertRaises(ValidationError):
                self.company.archive_number_format = pattern
        self.assertEqual(self.company.archive_number_format, "{year}-{department}-{sequence}")

    def test_number_cannot_be_written_or_chosen(self):
        archive = self.create_archive()
        number = archive.number
        for user in (self.officer, self.executive):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                archive.with_user(user).write({"number": "2026-TST-9999"})
        with self.assertRaises(UserError):
            self.create_archive(number="2026-TST-9999")
        self.assertEqual(archive.number, number)

    def test_database_refuses_duplicate_numbers(self):
        first, second = self.create_archive(), self.create_archive()
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError), self.env.cr.savepoint():
            self.env.cr.execute(
                "UPDATE customer_archive SET number = %s WHERE id = %s", [first.number, second.id]
            )

    def test_numbers_not_reused_after_rollback(self):
        """A number given in a rolled-back transaction was never used; a committed one is never
        given again, because the counter only grows."""
        archive = self.create_archive(date_opened=f"{YEAR}-06-01")
        counter = self.env["customer.archive.number.counter"].search(
            [("company_id", "=", self.company.id), ("year", "=", YEAR)]
        )
        self.assertEqual(counter.last_number, 1)
        self.assertEqual(archive.number, f"{YEAR}-TST-0001")


class TestConcurrentNumbering(CustomerArchiveCase):
    """Two transactions numbering an archive at the same moment, on real separate connections."""

    YEAR = 2099

    def _create_in(self, cr, code):
        env = api.Environment(
            cr,
            SUPERUSER_ID,
            {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True},
        )
        department = env["customer.archive.department"].create({"name": code, "code": code})
        archive = env["customer.archive"].create(
            {
                "partner_id": env.ref("base.main_partner").id,
                "category_id": env.ref("customer_archive.category_basic").id,
                "department_id": department.id,
                "date_opened": f"{self.YEAR}-01-02",
            }
        )
        return archive.id, archive.number

    def test_two_transactions_never_get_the_same_number(self):
        results, errors = {}, []
        created = []

        def second_transaction():
            # Like Odoo's RPC layer, retry on a serialization failure.
            for _attempt in range(5):
                cr = self.registry.cursor()
                try:
                    created.append(self._create_in(cr, "T2"))
                    cr.commit()
                    results["second"] = created[-1][1]
                    return
                except psycopg2.errors.SerializationFailure:
                    cr.rollback()
                    results["retried"] = True
                except Exception as error:  # reported to the main thread
                    errors.append(error)
                    return
                finally:
                    cr.close()

        first_cr = self.registry.cursor()
        try:
            created.append(self._create_in(first_cr, "T1"))
            thread = threading.Thread(target=second_transaction)
            thread.start()
            time.sleep(1.0)
            # The second transaction waits for the first one's counter row.
            self.assertTrue(thread.is_alive())
            self.assertNotIn("second", results)
            first_cr.commit()
            thread.join(30)
            self.assertFalse(thread.is_alive())
        finally:
            first_cr.close()
            self._cleanup(created)
        self.assertFalse(errors)
        self.assertTrue(results.get("retried"))
        self.assertEqual(created[0][1], f"{self.YEAR}-T1-0001")
        self.assertEqual(results["second"], f"{self.YEAR}-T2-0002")

    def _cleanup(self, created):
        with self.registry.cursor() as cr:
            ids = [archive_id for archive_id, _number in created]
            cr.execute("DELETE FROM customer_archive WHERE id = ANY(%s)", [ids])
            cr.execute("DELETE FROM customer_archive_department WHERE code IN ('T1', 'T2')")
            cr.execute("DELETE FROM customer_archive_number_counter WHERE year = %s", [self.YEAR])
