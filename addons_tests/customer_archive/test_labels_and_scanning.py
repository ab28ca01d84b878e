"""Folder labels, the cabinet inventory (案卷目录) and the counter's scan screen (A5, A6)."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED, CustomerArchiveCase

SHEET = "customer_archive.action_report_archive_label_sheet"
LABEL = "customer_archive.action_report_archive_label"
INVENTORY = "customer_archive.action_report_cabinet_inventory"
NOW = MONDAY_9AM_UTC - timedelta(minutes=30)


class TestLabelsAndInventory(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store = cls.env["customer.archive.cabinet"].create(
            {"name": "Store Room", "code": "TL1", "location": "二楼档案室"}
        )
        cls.archives = cls.env["customer.archive"]
        for index in range(12):
            cls.archives |= cls.create_archive(name=f"Label {index}", cabinet_id=cls.store.id)
        cls.secret = cls.create_archive(
            category=cls.category_contract, confidentiality="secret", cabinet_id=cls.store.id, name="Contract"
        )
        cls.add_documents(cls.archives[0])

    def setUp(self):
        super().setUp()
        # wkhtmltopdf fetches the report's styles from report.url: point it where nothing listens,
        # so that a server running on this machine cannot make the rendering wait.
        self.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:1")

    def html(self, user, report, ids):
        html, _type = self.env["ir.actions.report"].with_user(user)._render_qweb_html(report, ids)
        return html.decode()

    def test_label_sheet_shows_the_folder_and_its_qr_code(self):
        html = self.html(self.officer, SHEET, self.archives.ids)
        for archive in self.archives:
            self.assertIn(archive.number, html)
        for text in ("华东机电", "Basic Information", "Ordinary", "[TL1] Store Room"):
            self.assertIn(text, html)
        # One QR code per label, drawn inline (wkhtmltopdf fetches nothing).
        self.assertEqual(html.count('class="o_archive_label"'), 12)
        self.assertEqual(html.count("data:image/svg+xml;base64,"), 12)
        # Ten labels a page: twelve make two pages.
        self.assertEqual(html.count('class="page"'), 2)

    def test_single_label(self):
        html = self.html(self.officer, LABEL, self.secret.ids)
        self.assertIn(self.secret.number, html)
        self.assertIn("Secret", html)
        self.assertIn("data:image/svg+xml;base64,", html)

    def test_labels_are_refused_without_read_access(self):
        # Cleared for ordinary archives only, the officer cannot print the secret one's label.
        self.officer.archive_clearance = "ordinary"
        with self.assertRaises(AccessError):
            self.html(self.officer, SHEET, (self.archives[:1] | self.secret).ids)
        # Sales staff do not print labels, not even of their own customers' archives.
        with self.assertRaises(AccessError):
            self.html(self.sales_user, SHEET, self.archives[:1].ids)

    def test_labels_and_inventory_are_in_the_access_log(self):
        Log = self.env["customer.archive.access.log"]
        self.html(self.officer, SHEET, self.archives[:3].ids)
        entries = Log.search([("user_id", "=", self.officer.id), ("action", "=", "print")])
        self.assertEqual(entries.archive_id, self.archives[:3])
        self.html(self.officer, INVENTORY, self.store.ids)
        entries = Log.search([("user_id", "=", self.officer.id), ("action", "=", "print")]) - entries
        self.assertEqual(entries.archive_id, self.archives | self.secret)
        self.assertEqual(set(entries.mapped("details")), {"Cabinet Inventory"})

    def test_inventory_lists_every_archive_of_the_cabinet(self):
        html = self.html(self.officer, INVENTORY, self.store.ids)
        for archive in self.archives | self.secret:
            self.assertIn(archive.number, html)
        for text in ("[TL1] Store Room", "二楼档案室", "Temporary", "Contract", "Secret"):
            self.assertIn(text, html)
        # The document count of the first archive (its two required documents).
        self.assertIn("Archives listed</span>: <span>13</span>", html)

    def test_inventory_counts_what_the_user_may_not_see(self):
        self.officer.archive_clearance = "ordinary"
        html = self.html(self.officer, INVENTORY, self.store.ids)
        self.assertNotIn(self.secret.number, html)
        self.assertIn("Archives above your clearance, not listed</span>: <span>1</span>", html)
        with self.assertRaises(AccessError):
            self.html(self.sales_user, INVENTORY, self.store.ids)

    def test_label_sheet_prints_as_pdf(self):
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, report_type = Report.with_user(self.officer)._render_qweb_pdf(SHEET, self.archives.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_print_menu_of_the_archives_offers_labels_to_the_office(self):
        for xmlid in (SHEET, LABEL):
            report = self.env.ref(xmlid)
            self.assertEqual(report.binding_model_id.model, "customer.archive")
            self.assertEqual(report.groups_id, self.env.ref("customer_archive.group_archive_officer"))

    def test_the_archive_search_finds_the_exact_scanned_number(self):
        first = self.archives[0]
        view = self.env.ref("customer_archive.customer_archive_view_search")
        # The first field of the search view is what Enter searches: the number, exactly.
        arch = view.arch
        first_field = arch[arch.index("<field") : arch.index("/>", arch.index("<field"))]
        self.assertIn('name="number"', first_field)
        self.assertIn("=ilike", first_field)
        found = (
            self.env["customer.archive"].with_user(self.officer).search([("number", "=ilike", first.number)])
        )
        self.assertEqual(found, first)


@freeze_time(NOW)
class TestScanScreen(BorrowCase):
    def approved(self, archive):
        request = self.request(archive)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        return request

    def scan(self, number, user=None):
        form = Form(self.env["customer.archive.scan"].with_user(user or self.officer))
        form.barcode = number
        return form

    def test_scanning_finds_the_exact_number_and_hands_out_the_waiting_request(self):
        request = self.approved(self.ordinary)
        form = self.scan(self.ordinary.number)
        self.assertEqual(form.archive_id, self.ordinary)
        self.assertEqual(form.borrow_id, request)
        self.assertEqual(form.next_step, "lend")
        self.assertIn(request.name, form.message)
        scan = form.save()
        # The request's own hand-out form, where the borrower signs (登记签名).
        action = scan.action_hand_out()
        self.assertEqual(action["res_model"], "customer.archive.borrow.lend.wizard")
        wizard = Form(self.env[action["res_model"]].with_user(self.officer).with_context(action["context"]))
        wizard.borrower_signature = SIGNED["borrower_signature"]
        wizard.officer_signature = SIGNED["officer_signature"]
        back = wizard.save().action_confirm()
        self.assertEqual(back["res_model"], "customer.archive.scan", "back to the scan screen")
        self.assertEqual(request.state, "lent")
        self.assertEqual(request.lent_by_id, self.officer)
        self.assertTrue(self.ordinary.is_lent)

    def test_scanning_a_lent_folder_takes_it_back(self):
        request = self.approved(self.ordinary)
        request.with_user(self.officer).action_lend(**SIGNED)
        scan = self.scan(f"  {self.ordinary.number}  ").save()
        self.assertEqual(scan.next_step, "return")
        action = scan.action_take_back()
        self.assertEqual(action["res_model"], "customer.archive.borrow.return.wizard")
        wizard = Form(self.env[action["res_model"]].with_user(self.officer).with_context(action["context"]))
        wizard.save().action_confirm()
        self.assertEqual(request.state, "returned")
        self.assertEqual(request.received_by_id, self.officer)
        self.assertFalse(self.ordinary.is_lent)

    def test_nothing_waits(self):
        form = self.scan(self.ordinary.number)
        self.assertEqual(form.archive_id, self.ordinary)
        self.assertEqual(form.next_step, "none")
        self.assertIn("nothing to do", form.message)
        scan = form.save()
        with self.assertRaisesRegex(UserError, "nothing to do"):
            scan.action_hand_out()
        # A number that is only part of one finds nothing: the scan is exact.
        form = self.scan(self.ordinary.number[:-1])
        self.assertFalse(form.archive_id)
        self.assertIn("No archive numbered", form.message)

    def test_the_request_keeps_its_own_rules(self):
        request = self.approved(self.ordinary)
        # The officer who asked for a loan does not hand it out to themselves.
        own = self.request(self.secret, user=self.officer, hours=2)
        own.with_user(self.officer).action_submit()
        own.with_user(self.executive).action_approve()
        with self.assertRaises(AccessError):
            self.scan(self.secret.number).save().action_hand_out()
        self.assertEqual(own.state, "approved")
        self.assertEqual(request.state, "approved")

    def test_only_the_archive_office_scans(self):
        self.approved(self.ordinary)
        with self.assertRaises(AccessError):
            self.env["customer.archive.scan"].with_user(self.sales_user).create(
                {"barcode": self.ordinary.number}
            )
        scan = self.scan(self.ordinary.number).save()
        with self.assertRaises(AccessError):
            scan.with_user(self.sales_user).action_hand_out()
