"""Each number series (company, year, department, category as the format makes them) has its own
counter, without gaps; what a number was made from never changes (issue #12, item 7)."""

import importlib.util
import os
import threading
import time

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules.module import get_module_path

from .common import CustomerArchiveCase

# Past years and department codes no other test numbers archives in: their series start from zero.
YEAR = 2003


class TestNumberSeries(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Department = cls.env["customer.archive.department"]
        cls.sales = Department.create({"name": "Sales South", "code": "ZSAL"})
        cls.credit = Department.create({"name": "Credit Office", "code": "ZCRE"})

    def archive(self, department, year=YEAR, user=None, **values):
        return (
            self.env["customer.archive"]
            .with_user(user or self.officer)
            .create(
                {
                    "partner_id": self.customer.id,
                    "category_id": self.category_basic.id,
                    "department_id": department.id,
                    "date_opened": f"{year}-03-0{values.pop('day', 1)}",
                    **values,
                }
            )
        )

    def test_each_department_counts_its_own_numbers(self):
        numbers = [self.archive(dept).number for dept in (self.sales, self.credit, self.sales, self.credit)]
        self.assertEqual(
            numbers, [f"{YEAR}-ZSAL-0001", f"{YEAR}-ZCRE-0001", f"{YEAR}-ZSAL-0002", f"{YEAR}-ZCRE-0002"]
        )
        self.assertEqual(self.archive(self.sales, year=YEAR + 1).number, f"{YEAR + 1}-ZSAL-0001")

    def test_the_category_is_a_series_when_the_format_names_it(self):
        self.company.archive_number_format = "{year}-{category}-{sequence}"
        basic = self.archive(self.sales)
        contract = self.archive(self.sales, category_id=self.category_contract.id)
        again = self.archive(self.credit)
        self.assertEqual(
            [basic.number, contract.number, again.number],
            [f"{YEAR}-BAS-0001", f"{YEAR}-CON-0001", f"{YEAR}-BAS-0002"],
        )

    def test_a_series_starts_after_its_highest_existing_number(self):
        """Numbers given before series had their own counters (a database numbered by company and
        year) are never given again: a new series counts from the highest number it already has."""
        first = self.archive(self.sales)
        # As an old database had it: a number further on, and no counter for the series.
        self.env.cr.execute(
            "UPDATE customer_archive SET number = %s WHERE id = %s", [f"{YEAR}-ZSAL-0007", first.id]
        )
        self.env["customer.archive.number.counter"].search([("year", "=", YEAR)]).unlink()
        self.env.invalidate_all()
        self.assertEqual(self.archive(self.sales).number, f"{YEAR}-ZSAL-0008")
        self.assertEqual(self.archive(self.credit).number, f"{YEAR}-ZCRE-0001")

    def test_the_migration_starts_each_series_after_its_highest_number(self):
        numbered = [self.archive(self.sales), self.archive(self.sales), self.archive(self.credit)]
        self.env.cr.execute(
            "UPDATE customer_archive SET number = %s WHERE id = %s", [f"{YEAR}-ZSAL-0042", numbered[1].id]
        )
        self.env.invalidate_all()
        self.env.cr.execute("DELETE FROM customer_archive_number_counter")
        path = os.path.join(
            get_module_path("customer_archive"), "migrations/18.0.1.3.0/post-number_series.py"
        )
        spec = importlib.util.spec_from_file_location("post_number_series", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.2.0")
        counters = self.env["customer.archive.number.counter"].search([("year", "=", YEAR)])
        self.assertEqual(
            {(counter.series, counter.last_number) for counter in counters},
            {(f"{YEAR}-ZSAL-{{sequence}}", 42), (f"{YEAR}-ZCRE-{{sequence}}", 1)},
        )
        self.assertEqual(self.archive(self.sales).number, f"{YEAR}-ZSAL-0043")
        self.assertEqual(numbered[0].number, f"{YEAR}-ZSAL-0001")

    def test_what_a_number_is_made_of_never_changes(self):
        archive = self.archive(self.sales, day=2)
        other_company = self.env["res.company"].create({"name": "Other Co"})
        for user in (self.officer, self.manager):
            for values in (
                {"department_id": self.credit.id},
                {"category_id": self.category_contract.id},
                {"date_opened": f"{YEAR}-03-01"},
                {"company_id": other_company.id},
            ):
                with self.subTest(user=user.login, values=values), self.assertRaises(UserError):
                    archive.with_user(user).write(values)
        self.assertRecordValues(
            archive,
            [
                {
                    "number": f"{YEAR}-ZSAL-0001",
                    "department_id": self.sales.id,
                    "category_id": self.category_basic.id,
                    "date_opened": archive.date_opened,
                    "company_id": self.company.id,
                }
            ],
        )
        self.assertEqual(str(archive.date_opened), f"{YEAR}-03-02")
        # A form saving the values it shows changes nothing and passes.
        archive.with_user(self.officer).write(
            {"department_id": self.sales.id, "date_opened": f"{YEAR}-03-02", "name": "Renamed"}
        )
        self.assertEqual(archive.name, "Renamed")


class TestConcurrentSeries(CustomerArchiveCase):
    """Two transactions numbering in one series at the same moment, on real separate connections."""

    YEAR = 2098

    def _create_in(self, cr):
        env = api.Environment(
            cr,
            SUPERUSER_ID,
            {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True},
        )
        department = env["customer.archive.department"].search([("code", "=", "T9")])
        archive = env["customer.archive"].create(
            {
                "partner_id": env.ref("base.main_partner").id,
                "category_id": env.ref("customer_archive.category_basic").id,
                "department_id": department.id,
                "date_opened": f"{self.YEAR}-01-02",
            }
        )
        return archive.id, archive.number

    def test_two_transactions_never_get_the_same_number_of_a_series(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["customer.archive.department"].create({"name": "T9", "code": "T9"})
        results, errors, created = {}, [], []

        def second_transaction():
            for _attempt in range(5):  # like Odoo's RPC layer, retry on a serialization failure
                cr = self.registry.cursor()
                try:
                    created.append(self._create_in(cr))
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
            created.append(self._create_in(first_cr))
            thread = threading.Thread(target=second_transaction)
            thread.start()
            time.sleep(1.0)
            self.assertTrue(thread.is_alive())  # waits for the first one's counter row
            first_cr.commit()
            thread.join(30)
            self.assertFalse(thread.is_alive())
        finally:
            first_cr.close()
            with self.registry.cursor() as cr:
                cr.execute("DELETE FROM customer_archive WHERE id = ANY(%s)", [[i for i, _n in created]])
                cr.execute("DELETE FROM customer_archive_department WHERE code = 'T9'")
                cr.execute("DELETE FROM customer_archive_number_counter WHERE year = %s", [self.YEAR])
        self.assertFalse(errors)
        self.assertTrue(results.get("retried"))
        self.assertEqual(created[0][1], f"{self.YEAR}-T9-0001")
        self.assertEqual(results["second"], f"{self.YEAR}-T9-0002")
