"""Bringing the paper registers in (A3): the import of archives from a spreadsheet."""

import base64
import io
from datetime import date, timedelta

import openpyxl

from odoo import fields
from odoo.addons.customer_archive.wizard.customer_archive_import import COLUMNS
from odoo.exceptions import AccessError, UserError

from .common import CustomerArchiveCase

HEADERS = [header for header, _key in COLUMNS]
KEYS = [key for _header, key in COLUMNS]
# Years no other test numbers archives in.
YEAR = 2016


def xlsx(rows):
    """An .xlsx laid out as the template, from rows given as {key: value}."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(key) for key in KEYS])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


class ImportCase(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store = cls.env["customer.archive.cabinet"].create({"name": "Store", "code": "TS9"})
        cls.card_type = cls.env.ref("customer_archive.document_type_basic_card")
        cls.licence_type = cls.env.ref("customer_archive.document_type_basic_licence")
        cls.Archive = cls.env["customer.archive"]

    @staticmethod
    def archive_rows(sequence, state="filed", year=YEAR, **values):
        """The two rows of a complete basic archive (its card and its licence)."""
        opened = date(year, 3, 1) + timedelta(days=sequence % 200)
        first = {
            "number": f"{year}-TST-{sequence:04d}",
            "title": f"旧档 {sequence}",
            "partner_name": f"旧客户{sequence % 7}",
            "partner_ref": f"OLD{sequence % 7:03d}",
            "category": "BAS",
            "department": "TST",
            "level": "普通",
            "state": {"temporary": "临时", "formal": "正式", "filed": "归档"}[state],
            "date_opened": opened,
            "date_formalised": opened + timedelta(days=20) if state != "temporary" else None,
            "date_filed": opened + timedelta(days=30) if state == "filed" else None,
            "cabinet": "TS9" if state == "filed" else None,
            "document_type": "B.1",
            "document_name": "客户档案卡",
            "document_pages": 2,
            **values,
        }
        second = {
            "number": first["number"],
            "document_type": "B.2",
            "document_name": "营业执照",
            "document_copies": 1,
        }
        return [first, second]

    def wizard(self, content, name="旧档案登记簿.xlsx", user=None, **values):
        return (
            self.env["customer.archive.import"]
            .with_user(user or self.officer)
            .create({"file": base64.b64encode(content), "file_name": name, **values})
        )

    def imported(self, year=YEAR):
        return self.Archive.search([("number", "=like", f"{year}-%")])

    def counter(self, year=YEAR):
        record = self.env["customer.archive.number.counter"].search(
            [("company_id", "=", self.company.id), ("year", "=", year)]
        )
        return record.last_number


class TestArchiveImport(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Already in the system: its number cannot be given again.
        cls.existing = cls.env["customer.archive"]._workflow_create(
            [
                {
                    "number": f"{YEAR}-TST-0500",
                    "partner_id": cls.customer.id,
                    "category_id": cls.category_basic.id,
                    "department_id": cls.department.id,
                    "date_opened": f"{YEAR}-01-05",
                }
            ]
        )
        today = cls.env.company._archive_today()
        rows, cls.bad_rows = [], {}

        def add(kind, archive_rows):
            cls.bad_rows[kind] = len(rows) + 2  # the header is row 1
            rows.extend(archive_rows)

        good = [*range(1, 151), 777]
        cls.good = len(good)
        for sequence in good:
            rows.extend(cls.archive_rows(sequence, state=("temporary", "formal", "filed")[sequence % 3]))
        add("format", cls.archive_rows(201, number=f"{YEAR}/TST/0201"))
        add("year", cls.archive_rows(202, number=f"{YEAR + 1}-TST-0202"))
        add("taken", cls.archive_rows(500))
        add("category", cls.archive_rows(203, category="XXX"))
        add("cabinet", cls.archive_rows(204, cabinet="NOPE"))
        add("future", cls.archive_rows(205, state="temporary", date_opened=today + timedelta(days=30)))
        add("order", cls.archive_rows(206, date_formalised=date(YEAR, 12, 1), date_filed=date(YEAR, 11, 1)))
        add("level", cls.archive_rows(207, level="内部"))
        add("state", cls.archive_rows(208, state="formal", date_filed=date(YEAR, 12, 1)))
        add("incomplete", cls.archive_rows(209, state="formal")[:1])
        # The second row of an archive is wrong: nothing of that archive is written.
        archive_rows = cls.archive_rows(210)
        archive_rows[1]["document_type"] = "Z.9"
        add("document", archive_rows)
        cls.bad_rows["document"] += 1
        # The same number again with other values.
        add("duplicate", [dict(cls.archive_rows(1)[0], title="另一个档案")])
        add("missing", [{"title": "无编号"}])
        cls.content = xlsx(rows)
        cls.row_count = len(rows)

    def test_dry_run_lists_the_errors_row_by_row_and_changes_nothing(self):
        self.assertGreater(self.row_count, 300)
        partners = self.env["res.partner"].search_count([])
        counter = self.counter()
        wizard = self.wizard(self.content)
        errors = wizard._run(dry_run=True)
        self.assertEqual(sorted(row for row, _message in errors), sorted(self.bad_rows.values()))
        self.assertEqual(wizard.state, "checked")
        self.assertEqual(wizard.archive_count, self.good)
        self.assertEqual(wizard.error_count, len(self.bad_rows))
        for row in self.bad_rows.values():
            self.assertIn(f"Row {row}:", wizard.result)
        self.assertIn("does not follow the company's number format", dict(errors)[self.bad_rows["format"]])
        self.assertIn("is already taken", dict(errors)[self.bad_rows["taken"]])
        self.assertIn("Unknown archive category: XXX", dict(errors)[self.bad_rows["category"]])
        self.assertIn("Unknown cabinet: NOPE", dict(errors)[self.bad_rows["cabinet"]])
        self.assertIn("future", dict(errors)[self.bad_rows["future"]])
        self.assertIn("cannot be filed before it was formal", dict(errors)[self.bad_rows["order"]])
        self.assertIn("Unknown level 内部", dict(errors)[self.bad_rows["level"]])
        self.assertIn("Unknown document type: Z.9", dict(errors)[self.bad_rows["document"]])
        self.assertIn("lacks required documents", dict(errors)[self.bad_rows["incomplete"]])
        self.assertIn("already used on row 2", dict(errors)[self.bad_rows["duplicate"]])
        # Nothing changed: no archive, no customer, the counter where it was.
        self.assertEqual(self.imported(), self.existing)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertEqual(self.counter(), counter)

    def test_import_writes_the_good_rows_whole_and_leaves_the_bad_out(self):
        wizard = self.wizard(self.content)
        errors = wizard._run(dry_run=False)
        self.assertEqual(sorted(row for row, _message in errors), sorted(self.bad_rows.values()))
        archives = self.imported() - self.existing
        self.assertEqual(len(archives), self.good)
        self.assertEqual(wizard.document_count, 2 * self.good)
        self.assertEqual(set(archives.mapped("state")), {"temporary", "formal", "filed"})
        self.assertTrue(all(len(archive.document_ids) == 2 for archive in archives))
        # Nothing half-written: no archive of a wrong row, not even the one whose document was wrong.
        for sequence in range(201, 211):
            self.assertFalse(self.Archive.search([("number", "=", f"{YEAR}-TST-{sequence:04d}")]))
        # The counter of the year moved past the numbers taken: the next number follows them.
        self.assertEqual(self.counter(), 777)
        following = self.create_archive(date_opened=f"{YEAR}-12-30")
        self.assertEqual(following.number, f"{YEAR}-TST-0778")
        # Customers matched by reference, created once each.
        self.assertEqual(len(archives.partner_id), 7)
        self.assertEqual(sorted(archives.partner_id.mapped("ref")), [f"OLD{n:03d}" for n in range(7)])

    def test_imported_archive_keeps_its_real_dates_and_history(self):
        self.wizard(self.content)._run(dry_run=False)
        archive = self.Archive.search([("number", "=", f"{YEAR}-TST-0001")])
        self.assertEqual(archive.state, "formal")
        formalised = archive.date_formalised
        self.assertEqual(formalised, date(YEAR, 3, 1) + timedelta(days=21))
        # Retention runs from the real formalisation (10 years for basic information).
        self.assertEqual(archive.retention_end_date, fields.Date.add(formalised, years=10))
        # The review cycle runs from the real dates, the first review after the import.
        today = archive.company_id._archive_today()
        self.assertEqual(archive.date_imported, today)
        self.assertGreater(archive.date_next_review, today)
        self.assertEqual(archive.date_next_review.replace(year=formalised.year), formalised)
        # Not stale, nor overdue, on its first day.
        imported = self.imported() - self.existing
        self.assertFalse(any(imported.mapped("is_stale")))
        self.assertFalse(any(imported.mapped("is_formalisation_overdue")))
        self.assertFalse(self.Archive.search([("id", "in", imported.ids), ("is_stale", "=", True)]))
        self.assertFalse(self.Archive._cron_schedule_reviews() & imported)
        filed = self.Archive.search([("number", "=", f"{YEAR}-TST-0002")])
        self.assertEqual((filed.state, filed.cabinet_id), ("filed", self.store))
        self.assertEqual(filed.date_filed, date(YEAR, 3, 1) + timedelta(days=32))
        # The history says where it came from.
        self.flush_tracking()
        bodies = " ".join(filed.message_ids.mapped("body"))
        self.assertIn("Imported from the paper registers", bodies)
        self.assertIn("旧档案登记簿.xlsx", bodies)

    def test_all_or_nothing_imports_nothing_when_a_row_is_wrong(self):
        rows = [row for sequence in (1, 2, 3, 777) for row in self.archive_rows(sequence)]
        rows += self.archive_rows(203, category="XXX")
        wizard = self.wizard(xlsx(rows), all_or_nothing=True)
        errors = wizard._run(dry_run=False)
        self.assertEqual([row for row, _message in errors], [10])
        self.assertEqual(self.imported(), self.existing)
        self.assertEqual(self.counter(), 500)  # as the existing archive left it
        self.assertEqual(wizard.archive_count, 0)
        self.assertIn("Nothing was imported", wizard.result)


class TestArchiveImportSmall(ImportCase):
    def test_template_has_the_chinese_headers(self):
        wizard = self.wizard(xlsx([]))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.template_file)))
        headers = [cell.value for cell in book.worksheets[0][1]]
        self.assertEqual(headers, HEADERS)
        for header in (
            "档案编号",
            "客户名称",
            "客户编码",
            "档案类别",
            "部门",
            "建档日期",
            "档案柜",
            "文件名称",
            "份数",
        ):
            self.assertTrue(any(text.startswith(header) for text in headers), header)
        action = wizard.action_download_template()
        self.assertIn("template_file", action["url"])
        # The template itself imports: headers only, nothing to do.
        self.assertEqual(wizard._run(dry_run=True), [])

    def test_csv_in_gb18030_with_chinese_dates_and_copies(self):
        customer = self.env["res.partner"].create({"name": "老客户", "ref": "K001", "is_company": True})
        lines = [
            ",".join(HEADERS),
            f"{YEAR}-TST-0050,,老客户,,BAS,TST,,临时,{YEAR}年4月2日,,,,,B.1,档案卡,否,3,2",
        ]
        wizard = self.wizard("\n".join(lines).encode("gb18030"), name="登记簿.csv")
        self.assertEqual(wizard._run(dry_run=False), [])
        archive = self.Archive.search([("number", "=", f"{YEAR}-TST-0050")])
        self.assertEqual(archive.partner_id, customer)  # by its name
        self.assertEqual(archive.date_opened, date(YEAR, 4, 2))
        self.assertEqual(archive.confidentiality, "ordinary")  # the category's level
        self.assertEqual(len(archive.document_ids), 2)  # 份数 2
        self.assertEqual(archive.document_ids.mapped("page_count"), [3, 3])
        self.assertFalse(any(archive.document_ids.mapped("is_original")))

    def test_manager_imports_an_incomplete_formal_archive_with_the_reason(self):
        rows = self.archive_rows(30, state="formal")[:1]
        self.assertTrue(self.wizard(xlsx(rows))._run(dry_run=False))  # the officer may not
        self.assertEqual(self.wizard(xlsx(rows), user=self.manager)._run(dry_run=False), [])
        archive = self.Archive.search([("number", "=", f"{YEAR}-TST-0030")])
        self.assertEqual(archive.formalisation_override_user_id, self.manager)
        self.assertIn("paper registers", archive.formalisation_override_reason)

    def test_salesperson_cannot_import(self):
        content = base64.b64encode(xlsx(self.archive_rows(40)))
        with self.assertRaises(AccessError):
            self.env["customer.archive.import"].with_user(self.sales_user).create({"file": content})
        wizard = self.wizard(xlsx(self.archive_rows(40)))
        for method in ("action_check", "action_import"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(wizard.with_user(self.sales_user), method)()
        self.assertFalse(self.imported())

    def test_a_number_is_chosen_only_through_the_import(self):
        values = {
            "number": f"{YEAR}-TST-0060",
            "partner_id": self.customer.id,
            "category_id": self.category_basic.id,
            "department_id": self.department.id,
            "date_opened": f"{YEAR}-02-01",
        }
        for user in (self.officer, self.manager):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self.Archive.with_user(user).create(dict(values))
        with self.assertRaises(UserError):
            self.Archive.with_user(self.officer).create(dict(values, number=False, state="filed"))
        self.assertFalse(self.imported())
