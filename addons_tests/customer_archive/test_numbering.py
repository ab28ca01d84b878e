import psycopg2
from freezegun import freeze_time

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
