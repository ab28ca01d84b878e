"""Issue #13, 1: replica-ready. Odoo runs reads (call_kw of read methods, /web/content) on a
read-only cursor, on the read replica when there is one: a write there fails, and Odoo rolls back
and runs the request again on the primary. The access log writes nothing in such a request: its
entries are written once, after it, in a transaction of their own on the primary."""

import logging
from contextlib import contextmanager
from unittest.mock import patch

from odoo import http
from odoo.tests import HttpCase, JsonRpcException, tagged

from .common import CustomerArchiveCase, ReadOnlyRequestsMixin

LOG = "customer.archive.access.log"
CARD = "customer_archive.report_archive_card"
RETRY = "retrying with a read/write cursor"


class _RetryCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.retries = []

    def emit(self, record):
        if RETRY in record.getMessage():
            self.retries.append(record.getMessage())


@tagged("post_install", "-at_install")
class TestReadsOnAReplica(ReadOnlyRequestsMixin, CustomerArchiveCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_user.archive_clearance = "secret"
        cls.archive = cls.create_archive(confidentiality="secret", name="Supply contract")
        cls.document = cls.add_documents(cls.archive, confidentiality="secret")[:1]
        # The customer's archive card, made with its first archive: the card report prints it.
        cls.card = cls.env["customer.archive.card"].search([("partner_id", "=", cls.archive.partner_id.id)])
        cls.scan = cls.env["ir.attachment"].create(
            {
                "name": "contract.pdf",
                "raw": b"%PDF-1.4 contract of supply",
                "res_model": cls.document._name,
                "res_id": cls.document.id,
            }
        )
        # wkhtmltopdf fetches the report's styles from report.url: nothing needs to listen there.
        cls.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:1")

    @contextmanager
    def watched(self):
        """Yield the routes run, with whether Odoo ran them read-only, and the retries logged."""
        routes, counter = [], _RetryCounter()
        transactioning = http.Request._transactioning

        def spy(request, func, readonly):
            routes.append((request.httprequest.path, readonly))
            return transactioning(request, func, readonly)

        logger = logging.getLogger("odoo.http")
        logger.addHandler(counter)
        try:
            with patch.object(http.Request, "_transactioning", spy):
                yield routes, counter.retries
        finally:
            logger.removeHandler(counter)

    def entries(self, user):
        return self.env[LOG].search([("user_id", "=", user.id)])

    def call_kw(self, method, args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/customer.archive/{method}",
            {"model": "customer.archive", "method": method, "args": args, "kwargs": kwargs},
        )

    def reads(self):
        """The main reads of a role: (label, call, log action expected, read-only route)."""
        one = [("id", "=", self.archive.id)]
        return [
            ("read", lambda: self.call_kw("read", [self.archive.ids, ["number", "name"]]), "read", True),
            ("search_read", lambda: self.call_kw("search_read", [one, ["number"]]), "read", True),
            (
                "web_read",
                lambda: self.call_kw(
                    "web_read",
                    [self.archive.ids],
                    specification={"number": {}, "document_ids": {"fields": {}}},
                ),
                "read",
                True,
            ),
            (
                "web_search_read",
                lambda: self.call_kw("web_search_read", [one], specification={"number": {}}),
                "list",
                True,
            ),
            (
                "read_group",
                lambda: self.call_kw("read_group", [one, ["id:count"], ["confidentiality"]]),
                None,  # a count discloses no archive: nothing logged
                True,
            ),
            (
                "/web/content",
                lambda: self.assertEqual(self.url_open(f"/web/content/{self.scan.id}").status_code, 200),
                "download",
                True,
            ),
            (
                "/report/pdf",
                lambda: self.assertEqual(
                    self.url_open(f"/report/pdf/{CARD}/{self.card.id}").status_code, 200
                ),
                "print",
                True,
            ),
        ]

    def test_reads_of_every_role_run_read_only_and_log_once(self):
        for user in (self.officer, self.sales_user, self.manager):
            self.authenticate(user.login, user.login)
            for label, call, action, readonly in self.reads():
                with self.subTest(user=user.login, read=label):
                    before = self.entries(user)
                    with self.watched() as (routes, retries):
                        call()
                    self.assertEqual([ro for _path, ro in routes], [readonly], routes)
                    self.assertEqual(retries, [], "the request ran again on the primary")
                    written = self.entries(user) - before
                    self.assertEqual(written.mapped("action"), [action] if action else [])
                    self.assertEqual(written.archive_id, self.archive if action else self.archive.browse())
                    self.assertEqual(written.ip_address, "127.0.0.1" if action else False)

    def test_a_refusal_in_a_read_only_request_is_logged_once(self):
        self.authenticate(self.other_sales_user.login, self.other_sales_user.login)
        refused = False
        # Not assertRaises: Odoo's rolls back to a savepoint, the entry written after the request too.
        with self.watched() as (routes, retries):
            try:
                self.call_kw("read", [self.archive.ids, ["number"]])
            except JsonRpcException:
                refused = True
        self.assertTrue(refused)
        self.assertEqual(routes[0][1], True)
        self.assertEqual(retries, [])
        self.assertEqual(self.entries(self.other_sales_user).mapped("action"), ["denied"])

    def test_a_read_only_request_writes_nothing_itself(self):
        """Without the entries written after it, the request would have retried: they are not in
        its own transaction (Odoo's read-only test cursor refuses any write)."""
        self.authenticate(self.officer.login, self.officer.login)
        Log = type(self.env[LOG])
        with (
            patch.object(Log, "_write_in_new_cursor", autospec=True) as write,
            self.watched() as (_routes, retries),
        ):
            self.call_kw("read", [self.archive.ids, ["number"]])
        self.assertEqual(retries, [])
        self.assertFalse(self.entries(self.officer))
        (_log, _dbname, values), _kwargs = write.call_args
        self.assertEqual([(row["action"], row["archive_id"]) for row in values], [("read", self.archive.id)])
