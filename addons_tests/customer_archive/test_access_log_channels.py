"""Issue #11, 3: the access log sees every disclosure. Every channel that hands out archive data
(prints of the card, of the registers, of the monthly report and of the destruction lists, exports,
the content of files however it is read, /web/content and /web/image) writes an entry with the
caller's address, RPC included; which models take part is declared by each model; a manager
reading the log does not see what entries above their clearance name."""

import base64
import json
import xmlrpc.client
from datetime import datetime, timedelta

from odoo.addons.customer_archive.models.customer_archive_access_logged_mixin import (
    LOGGED_KINDS,
    access_log_kind,
)
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import CustomerArchiveCase, ReadOnlyRequestsMixin
from .test_access_log import LOG, AccessLogCase

ARCHIVE_MODELS = ("customer.archive", "customer.archive.document")
ARCHIVE_ADDONS = ("customer_archive", "customer_credit")
# A 1x1 transparent PNG: /web/image streams images only.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


class ChannelsCase(AccessLogCase):
    def attach(self, record, name="contract.txt", raw=b"Contract of supply, 2026"):
        return self.env["ir.attachment"].create(
            {"name": name, "raw": raw, "res_model": record._name, "res_id": record.id}
        )

    def borrow(self, archive, request_type="borrow"):
        return self.env["customer.archive.borrow"].create(
            {
                "archive_id": archive.id,
                "requester_id": self.sales_user.id,
                "request_type": request_type,
                "content": "contract",
                "purpose": "audit",
                "date_due": datetime.now() + timedelta(hours=2),
            }
        )

    def print_report(self, user, xmlid, res_ids, html=False):
        report = self.env.ref(xmlid)
        Report = self.env["ir.actions.report"].with_user(user)
        if html:
            return Report._render_qweb_html(report.report_name, res_ids)
        return Report._render_qweb_pdf(report.report_name, res_ids)


class TestPrintsAndExports(ChannelsCase):
    def test_the_archive_card_names_the_archives_it_lists_or_the_customer(self):
        """The card lists the customer's archives the user may see: a print names each; a card
        listing none (a new customer) names the customer (res.partner), so no print goes unseen."""
        bare_customer = self.env["res.partner"].create(
            {"name": "新客户", "is_company": True, "user_id": self.sales_user.id}
        )
        self.print_report(self.sales_user, "customer_archive.action_report_archive_card", self.customer.ids)
        printed = self.entries(user_id=self.sales_user.id, action="print")
        self.assertEqual(len(printed), 1, "the HTML a PDF is made from is the same print")
        self.assertEqual(printed.archive_id, self.ordinary_archive)
        self.assertEqual(printed.details, "Archive Card")
        self.print_report(
            self.sales_user, "customer_archive.action_report_archive_card", bare_customer.ids, html=True
        )
        bare = self.entries(user_id=self.sales_user.id, action="print") - printed
        self.assertEqual(
            (bare.res_model, bare.res_id, bare.archive_id.id), ("res.partner", bare_customer.id, False)
        )
        # Refused before anything is printed: nothing disclosed, nothing logged as printed.
        with self.assertRaises(AccessError):
            self.print_report(
                self.plain_user, "customer_archive.action_report_archive_card", self.customer.ids
            )
        self.assertFalse(self.entries(user_id=self.plain_user.id, action="print"))

    def test_registers_are_logged_printed_and_exported(self):
        requests = self.borrow(self.ordinary_archive) | self.borrow(self.secret_archive, "photocopy")
        for xmlid in (
            "customer_archive.action_report_borrow_register",
            "customer_archive.action_report_photocopy_register",
        ):
            with self.subTest(report=xmlid):
                before = self.entries(user_id=self.officer.id, action="print")
                self.print_report(self.officer, xmlid, requests.ids)
                printed = self.entries(user_id=self.officer.id, action="print") - before
                self.assertEqual(printed.archive_id, self.ordinary_archive | self.secret_archive)
        requests.with_user(self.officer).export_data(["name", "archive_id/number"])
        exported = self.entries(user_id=self.officer.id, action="export")
        self.assertEqual(exported.archive_id, self.ordinary_archive | self.secret_archive)
        # Reading a request is no read of the archive record by record: not logged one by one.
        requests.with_user(self.officer).read(["name"])
        self.assertFalse(self.entries(user_id=self.officer.id, action="read"))

    def test_destruction_lists_are_logged_printed_and_exported(self):
        destruction = self.env["customer.archive.destruction"].create(
            {"line_ids": [(0, 0, {"archive_id": self.secret_archive.id, "appraisal": "No further value"})]}
        )
        as_officer = destruction.with_user(self.officer)
        as_officer.export_data(["name", "line_ids/archive_id/number"])
        exported = self.entries(user_id=self.officer.id, action="export")
        self.assertEqual((exported.archive_id, exported.confidentiality), (self.secret_archive, "secret"))
        as_officer.line_ids.export_data(["archive_id/number", "appraisal"])
        self.assertEqual(len(self.entries(user_id=self.officer.id, action="export")), 2)
        self.print_report(
            self.officer, "customer_archive.action_report_destruction_certificate", destruction.ids
        )
        self.assertEqual(
            self.entries(user_id=self.officer.id, action="print").archive_id, self.secret_archive
        )
        # Below the officers, no right on destruction lists: refused, and nothing exported.
        with self.assertRaises(AccessError):
            destruction.with_user(self.sales_user).export_data(["name"])
        self.assertFalse(self.entries(user_id=self.sales_user.id, action="export"))

    def test_monthly_report_printed_exported_and_downloaded(self):
        report, _created = self.env["customer.archive.monthly.report"]._get_or_create(
            self.company, datetime.now().date().replace(day=1)
        )
        self.env["customer.archive.monthly.report.line"].create(
            {"report_id": report.id, "borrow_id": self.borrow(self.secret_archive).id, "kind": "original"}
        )
        pdf = self.attach(report, name="report.pdf", raw=b"%PDF-1.4 report")
        as_manager = report.with_user(self.manager)
        self.print_report(self.manager, "customer_archive.action_report_monthly_lending", report.ids)
        self.assertEqual(
            self.entries(user_id=self.manager.id, action="print").archive_id, self.secret_archive
        )
        as_manager.export_data(["name", "line_ids/archive_number"])
        as_manager.line_ids.export_data(["archive_number"])
        exports = self.entries(user_id=self.manager.id, action="export")
        self.assertEqual((len(exports), exports.archive_id), (2, self.secret_archive))
        pdf.with_user(self.manager).read(["name", "datas"])
        download = self.entries(user_id=self.manager.id, action="download")
        self.assertEqual((download.archive_id, download.details), (self.secret_archive, "report.pdf"))
        # A report listing nothing is still a print of the report: the report is named.
        empty, _created = self.env["customer.archive.monthly.report"]._get_or_create(
            self.company, datetime(2020, 1, 1).date()
        )
        self.print_report(self.manager, "customer_archive.action_report_monthly_lending", empty.ids)
        entry = self.entries(user_id=self.manager.id, action="print", res_id=empty.id)
        self.assertEqual(entry.res_model, "customer.archive.monthly.report")
        # Below the managers, the report is not readable at all.
        with self.assertRaises(AccessError):
            report.with_user(self.officer).export_data(["name"])

    def test_a_model_that_declares_nothing_is_not_logged(self):
        partner = self.customer.with_user(self.sales_user)
        partner.export_data(["name"])
        self.assertFalse(self.entries(user_id=self.sales_user.id))


class TestAttachmentContent(ChannelsCase):
    def test_every_read_of_the_content_is_a_download_at_every_level(self):
        document = self.add_documents(self.ordinary_archive)[:1]
        attachment = self.attach(document)
        self.assertTrue(attachment.index_content, "a text file is indexed")
        as_user = attachment.with_user(self.sales_user)
        Attachment = self.env["ir.attachment"].with_user(self.sales_user)
        domain = [("id", "=", attachment.id)]
        reads = {
            "read datas": lambda: as_user.read(["datas"]),
            "read raw": lambda: as_user.read(["raw"]),
            "read index_content": lambda: as_user.read(["index_content"]),
            "read every field": lambda: as_user.read(),
            "search_read": lambda: Attachment.search_read(domain, ["index_content"]),
            "web_read": lambda: as_user.web_read({"raw": {}}),
            "web_search_read": lambda: Attachment.web_search_read(domain, {"index_content": {}}),
            "export": lambda: as_user.export_data(["name", "datas"]),
            "grouped by content": lambda: Attachment.read_group(domain, ["id:count"], ["index_content"]),
            "content aggregated": lambda: Attachment.read_group(domain, ["index_content:array_agg"], []),
        }
        for label, read in reads.items():
            with self.subTest(read=label):
                before = self.entries(user_id=self.sales_user.id, action="download")
                read()
                entry = self.entries(user_id=self.sales_user.id, action="download") - before
                self.assertEqual(len(entry), 1)
                self.assertEqual(
                    (entry.document_id, entry.archive_id, entry.details),
                    (document, self.ordinary_archive, "contract.txt"),
                )
        # What does not hand out the content is no download: the name, or the size of the file.
        as_user.read(["name", "mimetype"])
        as_user.with_context(bin_size=True).web_read({"datas": {}})
        Attachment.search_read(domain, ["name"])
        Attachment.read_group(domain, ["id:count"], ["mimetype"])
        self.assertEqual(len(self.entries(user_id=self.sales_user.id, action="download")), len(reads))
        # Refused: another salesperson's customer.
        with self.assertRaises(AccessError):
            attachment.with_user(self.other_sales_user).read(["datas"])
        self.assertFalse(self.entries(user_id=self.other_sales_user.id, action="download"))

    def test_files_of_a_register_name_its_archive(self):
        request = self.borrow(self.secret_archive)
        attachment = self.attach(request, name="signed-form.pdf", raw=b"%PDF-1.4 form")
        attachment.with_user(self.officer).read(["raw"])
        entry = self.entries(user_id=self.officer.id, action="download")
        self.assertEqual((entry.archive_id, entry.details), (self.secret_archive, "signed-form.pdf"))


class TestDeclaration(CustomerArchiveCase):
    def test_every_model_holding_archive_data_declares_its_part(self):
        holding = set()
        for name, Model in self.env.registry.items():
            if name in ARCHIVE_MODELS or any(
                field.type in ("many2one", "many2many") and field.comodel_name in ARCHIVE_MODELS
                for field in Model._fields.values()
            ):
                holding.add(name)
        modules = {
            name: set(self.env["ir.model"]._get(name).modules.split(", "))
            for name in holding
            if self.env["ir.model"]._get(name)
        }
        holding = {name for name in holding if modules.get(name, set()) & set(ARCHIVE_ADDONS)}
        self.assertGreaterEqual(
            holding, {*ARCHIVE_MODELS, "customer.archive.borrow", "customer.archive.share"}
        )
        undeclared = sorted(name for name in holding if access_log_kind(self.env[name]) is None)
        self.assertEqual(undeclared, [], "each model holding archive data says what the log sees of it")
        # A model taking part has the mixin that logs its reads and exports.
        for name, Model in self.env.registry.items():
            if access_log_kind(Model) in LOGGED_KINDS and not name.startswith("report."):
                with self.subTest(model=name):
                    self.assertIn("customer.archive.access.logged.mixin", Model._inherit_module)

    def test_the_declaration_decides_not_the_methods(self):
        self.assertEqual(access_log_kind(self.env["customer.archive"]), "archive")
        self.assertEqual(access_log_kind(self.env["customer.archive.borrow"]), "register")
        self.assertIs(access_log_kind(self.env[LOG]), False)
        self.assertIsNone(access_log_kind(self.env["res.partner"]))


class TestClearanceOfTheReader(AccessLogCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.top_archive = cls.create_archive(confidentiality="top_secret", name="Merger Zhongshan")
        Log = cls.env[LOG]
        cls.top_entry = Log.with_user(cls.executive)._record(
            "download", cls.top_archive, details="merger.pdf"
        )
        cls.secret_entry = Log.with_user(cls.officer)._record(
            "download", cls.secret_archive, details="deed.pdf"
        )
        cls.both = cls.top_entry | cls.secret_entry
        cls.hidden = "Above your clearance"

    def test_a_manager_sees_the_entry_but_not_what_it_names_above_their_clearance(self):
        Log = self.env[LOG].with_user(self.manager)  # cleared for secret, not top secret
        fields_ = ["user_id", "action", "confidentiality", "archive_id", "document_id", "res_id", "details"]
        by_id = {row["id"]: row for row in self.both.with_user(self.manager).read(fields_)}
        top, secret = by_id[self.top_entry.id], by_id[self.secret_entry.id]
        self.assertEqual((top["action"], top["confidentiality"]), ("download", "top_secret"))
        self.assertEqual((top["archive_id"], top["res_id"], top["details"]), (False, False, self.hidden))
        self.assertEqual(secret["archive_id"][0], self.secret_archive.id)
        self.assertEqual(secret["details"], "deed.pdf")
        domain = [("id", "in", self.both.ids)]
        for label, rows in (
            ("search_read", Log.search_read(domain, fields_)),
            (
                "web_search_read",
                Log.web_search_read(domain, {"archive_id": {"fields": {"display_name": {}}}, "details": {}})[
                    "records"
                ],
            ),
            (
                "web_read",
                self.both.with_user(self.manager).web_read(
                    {"archive_id": {"fields": {"display_name": {}}}, "details": {}}
                ),
            ),
        ):
            with self.subTest(path=label):
                top = next(row for row in rows if row["id"] == self.top_entry.id)
                self.assertEqual((top["archive_id"], top["details"]), (False, self.hidden))
                self.assertNotIn("Merger", json.dumps(rows, default=str))
        exported = self.both.with_user(self.manager).export_data(
            ["archive_id", "archive_id/id", "details", "action"]
        )
        self.assertNotIn("Merger", json.dumps(exported, default=str))
        self.assertNotIn("merger.pdf", json.dumps(exported, default=str))
        self.assertIn("deed.pdf", json.dumps(exported, default=str))
        self.assertTrue(self.top_entry.with_user(self.manager).above_clearance)
        self.assertFalse(self.secret_entry.with_user(self.manager).above_clearance)

    def test_no_search_or_group_guesses_a_hidden_name(self):
        Log = self.env[LOG].with_user(self.manager)
        for domain in (
            [("archive_id.name", "ilike", "Merger")],
            [("archive_id", "=", self.top_archive.id)],
            [("details", "=", "merger.pdf")],
        ):
            with self.subTest(domain=domain):
                self.assertFalse(Log.search(domain))
                self.assertEqual(Log.search_count(domain), 0)
                self.assertTrue(self.env[LOG].with_user(self.executive).search(domain))
        groups = Log.read_group([("id", "in", self.both.ids)], ["id:count"], ["archive_id"])
        labels = {group["archive_id"][0]: group["archive_id"][1] for group in groups}
        self.assertEqual(labels[self.top_archive.id], self.hidden)
        self.assertNotEqual(labels[self.secret_archive.id], self.hidden)
        self.assertEqual(sum(group["archive_id_count"] for group in groups), 2, "the entries stay")
        with self.assertRaises(AccessError):
            Log.read_group([], ["details:array_agg"], ["user_id"])
        # The executive, cleared for top secret, reads everything.
        row = self.top_entry.with_user(self.executive).read(["archive_id", "details"])[0]
        self.assertEqual((row["archive_id"][0], row["details"]), (self.top_archive.id, "merger.pdf"))


@tagged("post_install", "-at_install")
class TestLogOverHttp(ReadOnlyRequestsMixin, CustomerArchiveCase, HttpCase):
    """Calls from outside come through an HTTP request, RPC ones included: the entry has the
    caller's address. A plain request, no X-Forwarded-For: the address is the loopback."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.secret_archive = cls.create_archive(confidentiality="secret", name="Contract")
        cls.document = cls.env["customer.archive.document"].create(
            {
                "archive_id": cls.secret_archive.id,
                "type_id": cls.env["customer.archive.document.type"].search([], limit=1).id,
            }
        )
        cls.attachment = cls.env["ir.attachment"].create(
            {"name": "scan.png", "raw": PNG, "res_model": cls.document._name, "res_id": cls.document.id}
        )

    def entries(self, **where):
        return self.env[LOG].search([(key, "=", value) for key, value in where.items()])

    def test_rpc_calls_carry_the_address_of_the_caller(self):
        args = [[self.secret_archive.id], ["number"]]
        # /jsonrpc
        self.make_jsonrpc_request(
            "/jsonrpc",
            {
                "service": "object",
                "method": "execute_kw",
                "args": [self.env.cr.dbname, self.officer.id, "ca_officer", "customer.archive", "read", args],
            },
        )
        # /xmlrpc
        models_proxy = xmlrpc.client.ServerProxy(f"{self.base_url()}/xmlrpc/2/object")
        models_proxy.execute_kw(
            self.env.cr.dbname, self.officer.id, "ca_officer", "customer.archive", "read", args
        )
        # /web/dataset/call_kw, from a session
        self.authenticate("ca_officer", "ca_officer")
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/customer.archive/read",
            {"model": "customer.archive", "method": "read", "args": args, "kwargs": {}},
        )
        reads = self.entries(user_id=self.officer.id, action="read")
        self.assertEqual(len(reads), 3)
        self.assertEqual(set(reads.mapped("ip_address")), {"127.0.0.1"})
        # Code run by the server itself has no caller: no address.
        self.secret_archive.with_user(self.officer).read(["number"])
        direct = self.entries(user_id=self.officer.id, action="read") - reads
        self.assertFalse(direct.ip_address)

    def test_web_content_and_web_image_are_downloads(self):
        self.authenticate("ca_officer", "ca_officer")
        for url in (f"/web/content/{self.attachment.id}", f"/web/image/{self.attachment.id}"):
            with self.subTest(url=url):
                before = self.entries(user_id=self.officer.id, action="download")
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                entry = self.entries(user_id=self.officer.id, action="download") - before
                self.assertEqual((entry.document_id, entry.details), (self.document, "scan.png"))
                self.assertEqual(entry.ip_address, "127.0.0.1")
        # A salesperson of another customer is refused the file: nothing downloaded.
        self.authenticate("ca_sales2", "ca_sales2")
        response = self.url_open(f"/web/content/{self.attachment.id}")
        self.assertIn(response.status_code, (403, 404))
        self.assertFalse(self.entries(user_id=self.other_sales_user.id, action="download"))
