"""A16 access log and alarms: reads above ordinary, downloads, prints, exports and refusals are
logged; an unusual pattern raises an alarm to the archive managers; the log is read-only."""

import base64
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user
from odoo.tools import SQL

from .common import CustomerArchiveCase

LOG = "customer.archive.access.log"
ALARM = "customer.archive.access.alarm"


class AccessLogCase(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.secret_archive = cls.create_archive(confidentiality="secret", name="Contract")
        cls.ordinary_archive = cls.create_archive(name="Licence")
        cls.officer_clearance = cls.officer.archive_clearance

    def pending_refusals(self):
        """Refusals waiting for the transaction's rollback to be written."""
        return self.env.cr.postrollback.data.get("customer_archive.denied", [])

    def entries(self, **where):
        domain = [(key, "=", value) for key, value in where.items()]
        return self.env[LOG].search(domain)


class TestAccessLog(AccessLogCase):
    def test_reads_above_ordinary_are_logged_ordinary_ones_not(self):
        self.secret_archive.with_user(self.officer).read(["number", "name"])
        self.ordinary_archive.with_user(self.officer).read(["number", "name"])
        entries = self.entries(user_id=self.officer.id, action="read")
        self.assertEqual(entries.archive_id, self.secret_archive)
        self.assertEqual(entries.confidentiality, "secret")

    def test_opening_a_record_logs_it_once_lists_as_listed(self):
        archive = self.secret_archive.with_user(self.officer)
        archive.web_read({"number": {}, "document_ids": {"fields": {"name": {}}}})
        self.assertEqual(len(self.entries(user_id=self.officer.id, action="read")), 1)
        archive.web_search_read(
            [("id", "in", (self.secret_archive | self.ordinary_archive).ids)], {"number": {}, "name": {}}
        )
        self.assertEqual(len(self.entries(user_id=self.officer.id, action="read")), 1)
        listed = self.entries(user_id=self.officer.id, action="list")
        self.assertEqual(listed.archive_id, self.secret_archive)
        self.assertEqual(listed.listed_archive_ids, self.secret_archive)
        archive.search_read([("id", "=", archive.id)], ["number"])
        self.assertEqual(len(self.entries(user_id=self.officer.id, action="read")), 2)

    def test_a_list_page_is_one_entry_naming_what_it_listed(self):
        """One entry per page, whatever its number of rows: who saw which archives (above
        'ordinary') in a list stays on record, at the level of the most secret one listed."""
        self.officer.archive_clearance = "top_secret"
        archives = self.secret_archive | self.ordinary_archive
        for n in range(30):
            archives |= self.create_archive(confidentiality="confidential" if n % 2 else "secret")
        top = self.create_archive(confidentiality="top_secret")
        archives |= top
        confidential = archives.filtered(lambda archive: archive.confidentiality != "ordinary")
        Archive = self.env["customer.archive"].with_user(self.officer)
        Archive.web_search_read([("id", "in", archives.ids)], {"number": {}, "name": {}})
        entry = self.entries(user_id=self.officer.id, action="list")
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.listed_archive_ids, confidential)
        self.assertEqual(entry.listed_count, len(confidential))
        self.assertEqual(entry.res_model, "customer.archive")
        self.assertFalse(entry.archive_id)  # several archives: the list names them
        self.assertEqual(entry.confidentiality, "top_secret")
        # The log answers "who saw this archive", lists included.
        self.manager.archive_clearance = "top_secret"
        Log = self.env[LOG].with_user(self.manager)
        self.assertIn(entry, Log.search([("listed_archive_ids", "in", top.ids)]))
        # A page of documents names them and their archives.
        documents = self.add_documents(self.secret_archive, confidentiality="secret")
        Document = self.env["customer.archive.document"].with_user(self.officer)
        Document.web_search_read([("id", "in", documents.ids)], {"name": {}})
        entry = self.entries(user_id=self.officer.id, action="list", res_model=documents._name)
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.listed_document_ids, documents)
        self.assertEqual(entry.listed_archive_ids, self.secret_archive)
        self.assertEqual(entry.archive_id, self.secret_archive)
        # Nobody is alarmed by lists.
        self.assertFalse(self.env[ALARM].search([("user_id", "=", self.officer.id)]))

    def test_a_list_entry_above_the_readers_clearance_names_nothing(self):
        self.officer.archive_clearance = "top_secret"
        top = self.create_archive(confidentiality="top_secret")
        self.env["customer.archive"].with_user(self.officer).web_search_read(
            [("id", "in", (top | self.secret_archive).ids)], {"number": {}}
        )
        entry = self.entries(user_id=self.officer.id, action="list")
        reader = new_test_user(
            self.env, "al_reader", groups="customer_archive.group_archive_manager", name="Manager Qi"
        )
        reader.archive_clearance = "secret"
        row = entry.with_user(reader).read(["listed_archive_ids", "listed_count", "action"])[0]
        self.assertEqual((row["listed_archive_ids"], row["action"]), ([], "list"))
        self.assertFalse(
            self.env[LOG].with_user(reader).search([("listed_archive_ids", "in", self.secret_archive.ids)])
        )

    def test_archive_fields_shown_by_a_request_are_logged(self):
        borrow = self.env["customer.archive.borrow"].create(
            {
                "archive_id": self.secret_archive.id,
                "requester_id": self.sales_user.id,
                "content": "contract",
                "purpose": "audit",
                "date_due": datetime.now() + timedelta(hours=2),
            }
        )
        borrow.with_user(self.officer).web_read({"name": {}, "archive_id": {"fields": {"name": {}}}})
        self.assertEqual(self.entries(user_id=self.officer.id, action="read").archive_id, self.secret_archive)

    def test_values_cannot_be_read_through_aggregates(self):
        Archive = self.env["customer.archive"].with_user(self.officer)
        for spec in (
            "name:array_agg",
            "names:array_agg(name)",
            "partner_id:recordset",
            "name:max",
            "x:ARRAY_AGG(number)",
            "number:min",
        ):
            with self.subTest(spec=spec), self.assertRaises(AccessError):
                Archive.read_group([], [spec], ["category_id"])
        # Group keys on the archives' own words list them one group each, whatever the spelling.
        for groupby in (["number"], ["name"], ["category_id", "name"], "number"):
            with self.subTest(groupby=groupby), self.assertRaises(AccessError):
                Archive.read_group([], ["id:count"], groupby, lazy=False)
        with self.assertRaises(AccessError):
            Archive.web_read_group([], ["id:count"], ["number"])
        Document = self.env["customer.archive.document"].with_user(self.officer)
        with self.assertRaises(AccessError):
            Document.read_group([], ["note:array_agg"], ["archive_id"])
        self.assertTrue(Archive.web_read_group([], ["id:count"], ["confidentiality"])["groups"])
        # Counting and figures stay open to grouped views.
        groups = Archive.read_group(
            [("id", "=", self.secret_archive.id)], ["date_opened:max", "id:array_agg"], ["category_id"]
        )
        self.assertEqual(groups[0]["category_id_count"], 1)
        self.assertEqual(groups[0]["id"], [self.secret_archive.id])

    def test_a_context_key_cannot_switch_logging_off(self):
        archive = self.secret_archive.with_user(self.officer).with_context(
            customer_archive_reads_not_logged=True, tracking_disable=True
        )
        archive.read(["number"])
        self.assertEqual(len(self.entries(user_id=self.officer.id, action="read")), 1)

    def test_documents_and_their_downloads_are_logged(self):
        document = self.add_documents(self.secret_archive, confidentiality="secret")[:1]
        attachment = self.env["ir.attachment"].create(
            {"name": "contract.pdf", "datas": base64.b64encode(b"%PDF-1.4 contract")}
        )
        document.attachment_ids = attachment
        document.with_user(self.officer).read(["name"])
        entry = self.entries(user_id=self.officer.id, action="read")
        self.assertEqual((entry.archive_id, entry.document_id), (self.secret_archive, document))
        # The stream itself needs an HTTP request; what matters here is the hook around it.
        with patch.object(type(self.env["ir.attachment"]), "_to_http_stream", return_value="stream"):
            stream = (
                self.env["ir.binary"]
                .with_user(self.officer)
                ._record_to_stream(attachment.with_user(self.officer), "raw")
            )
        self.assertEqual(stream, "stream")
        download = self.entries(user_id=self.officer.id, action="download")
        self.assertEqual(download.document_id, document)
        self.assertEqual(download.details, "contract.pdf")
        # Reading the file's content over RPC is downloading it too.
        attachment.with_user(self.officer).read(["name", "datas"])
        self.assertEqual(len(self.entries(user_id=self.officer.id, action="download")), 2)
        attachment.with_user(self.officer).read(["name"])
        self.assertEqual(len(self.entries(user_id=self.officer.id, action="download")), 2)

    def test_exports_and_prints_are_logged_at_every_level(self):
        archives = (self.secret_archive | self.ordinary_archive).with_user(self.officer)
        archives.export_data(["number", "name"])
        self.assertEqual(self.entries(user_id=self.officer.id, action="export").archive_id, archives)
        borrow = self.env["customer.archive.borrow"].create(
            {
                "archive_id": self.ordinary_archive.id,
                "requester_id": self.sales_user.id,
                "content": "licence",
                "purpose": "audit",
                "date_due": datetime.now() + timedelta(hours=2),
            }
        )
        borrow.with_user(self.officer).read(["name"])
        self.assertFalse(self.entries(user_id=self.officer.id, action="read"))
        borrow.with_user(self.officer).export_data(["name", "archive_id"])
        exports = self.entries(user_id=self.officer.id, action="export")
        self.assertEqual(len(exports), 3)  # two archives, then the one archive the request names
        self.assertEqual(exports.sorted("id")[-1].archive_id, self.ordinary_archive)
        report = self.env.ref("customer_archive.action_report_borrow_register")
        self.env["ir.actions.report"].with_user(self.officer)._render_qweb_pdf(report.report_name, borrow.ids)
        printed = self.entries(user_id=self.officer.id, action="print")
        self.assertEqual(len(printed), 1, "the HTML a PDF is made from is the same print")
        self.assertEqual(printed.archive_id, self.ordinary_archive)
        self.assertEqual(printed.details, report.name)
        self.env["ir.actions.report"].with_user(self.officer)._render_qweb_html(
            report.report_name, borrow.ids
        )
        self.assertEqual(len(self.entries(user_id=self.officer.id, action="print")), 2)

    def test_a_refusal_that_reaches_the_caller_waits_for_the_rollback(self):
        try:
            self.secret_archive.with_user(self.sales_user).read(["number"])
        except AccessError:
            pass
        try:
            self.env["customer.archive"].with_user(self.plain_user).search([])
        except AccessError:
            pass
        pending = self.pending_refusals()
        self.assertEqual(
            [(row["user_id"], row.get("archive_id"), row.get("res_model")) for row in pending],
            [
                (self.sales_user.id, self.secret_archive.id, "customer.archive"),
                (self.plain_user.id, None, None),
            ],
        )
        # Nothing in this transaction: if it commits, the refusal was handled, not an attempt.
        self.assertFalse(self.entries(action="denied"))

    def denied_rows(self, user):
        """Refusal entries of ``user`` committed by other transactions; removed once read."""
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT id, details FROM customer_archive_access_log"
                    " WHERE user_id = %s AND action = 'denied'",
                    user.id,
                )
            )
            rows = cr.fetchall()
            if rows:
                ids = tuple(row[0] for row in rows)
                cr.execute(SQL("DELETE FROM customer_archive_access_log WHERE id IN %s", ids))
        return rows

    def test_a_refusal_handled_by_odoo_itself_is_no_attempt(self):
        """The chatter asks whether its reader may write and shows no button when not: a request
        that handles the refusal and commits leaves no entry."""
        public = self.env.ref("base.public_user")
        with self.registry.cursor() as cr:
            try:
                api.Environment(cr, public.id, {})["customer.archive"].check_access("write")
            except AccessError:
                pass
        self.assertEqual(self.denied_rows(public), [])

    def test_a_refusal_is_written_after_the_request_is_rolled_back(self):
        """A real request on its own connection: refused, rolled back, and the entry is there."""
        public = self.env.ref("base.public_user")
        with self.assertRaises(AccessError), self.registry.cursor() as cr:
            api.Environment(cr, public.id, {})["customer.archive"].search([])
        rows = self.denied_rows(public)
        self.assertEqual(len(rows), 1)
        self.assertIn("customer.archive", rows[0][1])

    def test_the_log_is_read_only_and_visible_to_managers_only(self):
        self.secret_archive.with_user(self.officer).read(["number"])
        entry = self.entries(user_id=self.officer.id)
        for user in (self.sales_user, self.officer):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env[LOG].with_user(user).search([])
        self.assertEqual(self.env[LOG].with_user(self.manager).search([("id", "=", entry.id)]), entry)
        for user in (self.manager, self.env.ref("base.user_admin")):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    entry.with_user(user).write({"action": "read"})
                with self.assertRaises(AccessError):
                    entry.with_user(user).unlink()
        with self.assertRaises(UserError):
            entry.write({"details": "edited"})
        with self.assertRaises(UserError):
            entry.unlink()
        with self.assertRaises(AccessError):
            self.env[LOG].with_user(self.manager).create({"user_id": self.manager.id, "action": "read"})
        self.assertEqual(entry.action, "read")

    def test_retention_removes_only_old_entries(self):
        self.env["ir.config_parameter"].set_param("customer_archive.access_log_retention_days", 30)
        with freeze_time(datetime.now() - timedelta(days=40)):
            self.secret_archive.with_user(self.officer).read(["number"])
        self.secret_archive.with_user(self.officer).read(["number"])
        self.assertEqual(len(self.entries(user_id=self.officer.id)), 2)
        self.env[LOG]._cron_purge_expired()
        self.env.invalidate_all()
        remaining = self.entries(user_id=self.officer.id)
        self.assertEqual(len(remaining), 1)
        self.assertGreater(remaining.logged_at, datetime.now() - timedelta(days=1))

    def test_settings_refuse_thresholds_below_one(self):
        settings = self.env["res.config.settings"].with_user(self.env.ref("base.user_admin"))
        with self.assertRaises(ValidationError):
            settings.create({"archive_alarm_archive_count": 0})
        settings.create({"archive_alarm_archive_count": 7}).execute()
        self.assertEqual(self.env[LOG]._setting("customer_archive.access_alarm_archive_count"), 7)


class TestAccessAlarm(AccessLogCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ICP = cls.env["ir.config_parameter"]
        ICP.set_param("customer_archive.access_alarm_archive_count", 3)
        ICP.set_param("customer_archive.access_alarm_denied_count", 2)
        ICP.set_param("customer_archive.access_alarm_window_minutes", 60)
        cls.archives = cls.env["customer.archive"].concat(
            *(cls.create_archive(confidentiality="secret") for _i in range(4))
        )

    def alarms(self, user):
        return self.env[ALARM].search([("user_id", "=", user.id)])

    def test_many_archives_within_the_window_raise_one_alarm(self):
        start = datetime(2026, 11, 2, 9, 0)
        for minutes, archive in zip((0, 10, 20), self.archives, strict=False):
            with freeze_time(start + timedelta(minutes=minutes)):
                archive.with_user(self.officer).read(["number"])
        alarm = self.alarms(self.officer)
        self.assertEqual(len(alarm), 1)
        self.assertEqual((alarm.kind, alarm.count, alarm.threshold), ("volume", 3, 3))
        self.assertEqual(alarm.log_ids.archive_id, self.archives[:3])
        # Managers get an activity and an e-mail.
        managers = self.env["res.users"]._archive_group_members("customer_archive.group_archive_manager")
        self.assertIn(self.manager, managers)
        self.assertEqual(alarm.activity_ids.user_id, managers)
        mail = self.env["mail.mail"].search([("model", "=", ALARM), ("res_id", "=", alarm.id)])
        self.assertIn(self.manager.partner_id, mail.recipient_ids)
        # A fourth archive in the same window does not raise a second alarm.
        with freeze_time(start + timedelta(minutes=30)):
            self.archives[3].with_user(self.officer).read(["number"])
        self.assertEqual(len(self.alarms(self.officer)), 1)

    def test_the_same_archives_spread_over_hours_raise_nothing(self):
        start = datetime(2026, 11, 2, 9, 0)
        for hours, archive in zip((0, 2, 4, 6), self.archives, strict=True):
            with freeze_time(start + timedelta(hours=hours)):
                archive.with_user(self.officer).read(["number"])
        # Reading one archive many times is one archive.
        with freeze_time(start + timedelta(hours=6, minutes=5)):
            for _i in range(5):
                self.archives[3].with_user(self.officer).read(["number"])
        self.assertFalse(self.alarms(self.officer))

    def test_repeated_refusals_raise_an_alarm(self):
        with freeze_time(datetime(2026, 11, 2, 9, 0)):
            for archive in self.archives[:2]:
                try:
                    archive.with_user(self.sales_user).read(["number"])
                except AccessError:
                    pass
            # What the rolled-back requests leave: the entries, written apart, and the alarm check.
            self.env[LOG].create(self.pending_refusals())
            self.env[ALARM]._raise_alarm_if_over_threshold(self.sales_user, "denied")
        alarm = self.alarms(self.sales_user)
        self.assertEqual((alarm.kind, alarm.count), ("denied", 2))

    def test_only_managers_mark_alarms_checked(self):
        with freeze_time(datetime(2026, 11, 2, 9, 0)):
            for archive in self.archives[:3]:
                archive.with_user(self.officer).read(["number"])
        alarm = self.alarms(self.officer)
        with self.assertRaises(AccessError):
            alarm.with_user(self.officer).action_mark_checked("fine")
        for values in ({"state": "checked"}, {"user_id": self.sales_user.id}, {"count": 1}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                alarm.with_user(self.manager).write(values)
            with self.subTest(values=values), self.assertRaises(UserError):
                alarm.write(values)
        self.assertEqual((alarm.user_id, alarm.count), (self.officer, 3))
        # A manager's own to-do on the alarm is theirs: checking the alarm leaves it.
        todo = alarm.sudo().activity_schedule(  # sudo: a to-do the manager keeps for themselves
            "mail.mail_activity_data_todo", summary="Ask Zhao about the audit", user_id=self.manager.id
        )
        alarm.with_user(self.manager).action_mark_checked("Audit of the year-end files")
        self.assertEqual((alarm.state, alarm.checked_by_id), ("checked", self.manager))
        self.assertEqual(alarm.activity_ids, todo)
        with self.assertRaises(UserError):
            alarm.with_user(self.manager).action_mark_checked("again")

    def test_nobody_checks_an_alarm_about_themselves(self):
        with freeze_time(datetime(2026, 11, 2, 9, 0)):
            for archive in self.archives[:3]:
                archive.with_user(self.manager).read(["number"])
        alarm = self.alarms(self.manager)
        with self.assertRaises(AccessError):  # a matter of role: another manager checks it
            alarm.with_user(self.manager).action_mark_checked("All fine, it was me")
        self.assertEqual(alarm.state, "new")
        other_manager = new_test_user(
            self.env, "ca_manager2", groups="customer_archive.group_archive_manager", name="Manager Qian"
        )
        alarm.with_user(other_manager).action_mark_checked("Year-end audit, confirmed with Sun")
        self.assertEqual((alarm.state, alarm.checked_by_id), ("checked", other_manager))
