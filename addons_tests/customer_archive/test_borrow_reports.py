from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED

NOW = MONDAY_9AM_UTC - timedelta(minutes=30)


class TestOverdue(BorrowCase):
    def test_overdue_loans_get_an_activity_and_an_email_once(self):
        with freeze_time(NOW):
            request = self.request(self.ordinary)
            request.with_user(self.sales_user).action_submit()
            request.with_user(self.manager).action_approve()
            request.with_user(self.officer).action_lend(**SIGNED)
            on_time = self.request(self.secret, hours=3)
            on_time.with_user(self.sales_user).action_submit()
            on_time.with_user(self.executive).action_approve()
        Borrow = self.env["customer.archive.borrow"]
        with freeze_time(request.date_due - timedelta(minutes=1)):
            self.assertFalse(request.is_overdue)
            self.assertFalse(Borrow._cron_notify_overdue() & request)
        with freeze_time(request.date_due + timedelta(hours=1)):
            request.invalidate_recordset(["is_overdue"])
            self.assertTrue(request.is_overdue)
            self.assertEqual(
                Borrow.search([("is_overdue", "=", True), ("id", "in", (request | on_time).ids)]), request
            )
            mails_before = self.env["mail.mail"].search([])
            self.assertEqual(Borrow._cron_notify_overdue() & (request | on_time), request)
            self.assertFalse(Borrow._cron_notify_overdue() & request)
            activity_type = self.env.ref("customer_archive.mail_activity_type_borrow_overdue")
            stored = request.sudo()  # sudo: the request was made as the borrower; its activities as stored
            activities = stored.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
            self.assertEqual(activities.user_id, self.sales_user | self.officer)
            # Marking the activities done does not bring a second notice.
            activities.action_feedback("Called the borrower")
            self.assertFalse(stored.activity_ids)
            self.assertFalse(Borrow._cron_notify_overdue() & request)
            # (assigning the activities sends mails of its own: keep the overdue notice)
            mails = (self.env["mail.mail"].search([]) - mails_before).filtered(
                lambda m: "overdue" in m.subject
            )
        # One e-mail per person, each in their own language.
        self.assertEqual(len(mails), 2)
        self.assertEqual(mails.recipient_ids, (self.sales_user | self.officer).partner_id)
        self.assertTrue(all(len(mail.recipient_ids) == 1 for mail in mails))
        self.assertIn(request.archive_id.number, mails[0].body_html)
        request.with_user(self.officer).action_return()
        self.assertEqual(request.state, "returned")


class TestMonthlyReport(BorrowCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["customer.archive.monthly.report"]
        # The tests make December 2026's report; a database whose demo was installed in January
        # 2027 already has one (the demo makes last month's). Forget it inside this transaction.
        cls.env.cr.execute(
            SQL(
                "DELETE FROM customer_archive_monthly_report WHERE month >= %s",
                datetime(2026, 12, 1).date(),
            )
        )
        # On 2026-11-30: an original out past due, a photocopy whose copies are still out.
        with freeze_time(NOW):
            cls.out = cls.request(cls, cls.ordinary)
            cls.out.with_user(cls.sales_user).action_submit()
            cls.out.with_user(cls.manager).action_approve()
            cls.out.with_user(cls.officer).action_lend(**SIGNED)
            cls.copies = cls.request(cls, cls.secret, request_type="photocopy", hours=2)
            cls.copies.with_user(cls.sales_user).action_submit()
            cls.copies.with_user(cls.executive).action_approve(copies_may_leave=True)
            cls.copies.with_user(cls.officer).action_lend(**SIGNED)
            cls.copies.with_user(cls.officer).action_return(copy_count=2, copy_pages=8)
            cls.back = cls.request(
                cls, cls.ordinary, hours=2, document_ids=[(6, 0, cls.ordinary.document_ids[:1].ids)]
            )
            cls.above_manager = cls.request(cls, cls.confidential, request_type="onsite", hours=2)
            cls.above_manager.with_user(cls.sales_user).action_submit()
            cls.above_manager.with_user(cls.executive).action_approve()
            cls.above_manager.with_user(cls.executive).action_lend(
                **SIGNED
            )  # the officer is not cleared for it

    def _mine(self, report):
        return report.line_ids.filtered(lambda line: line.borrow_id in (self.out | self.copies | self.back))

    def test_managers_read_every_line_whatever_its_level(self):
        with freeze_time("2026-12-01 02:00:00"):
            report = self.Report._cron_monthly_report().filtered(lambda r: r.company_id == self.company)
        lines = report.with_user(self.manager).line_ids
        values = lines.read(
            ["request_name", "archive_number", "holder_id", "location", "date_due", "days_overdue"]
        )
        self.assertIn(self.above_manager.name, [value["request_name"] for value in values])
        self.assertIn("Archive room", [value["location"] for value in values])
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_qweb_html("customer_archive.action_report_monthly_lending", report.ids)
        )
        self.assertIn(self.above_manager.name.encode(), html)

    def test_report_lists_what_is_out_with_where_and_how_late(self):
        with freeze_time("2026-12-01 02:00:00"):
            reports = self.Report._cron_monthly_report()
        report = reports.filtered(lambda r: r.company_id == self.company)
        self.assertEqual(report.month, datetime(2026, 12, 1).date())
        lines = self._mine(report)
        self.assertEqual(set(lines.mapped("kind")), {"original", "copy"})
        original = lines.filtered(lambda line: line.kind == "original")
        self.assertEqual(original.borrow_id, self.out)
        self.assertEqual(original.holder_id, self.sales_user)
        self.assertIn(self.sales_user.name, original.location)
        self.assertGreaterEqual(original.days_overdue, 0)
        copy_line = lines.filtered(lambda line: line.kind == "copy")
        self.assertEqual(copy_line.borrow_id, self.copies)
        self.assertTrue(report.report_attachment_id)
        self.assertIn(b"Lending report", report.report_attachment_id.raw)
        mail = self.env["mail.mail"].search([("model", "=", report._name), ("res_id", "=", report.id)])
        self.assertIn(self.executive.partner_id, mail.recipient_ids)
        self.assertEqual(mail.attachment_ids, report.report_attachment_id)

    def test_the_report_reads_in_the_readers_language_and_the_companys_time(self):
        """Made by the scheduled action for a Chinese company in Shanghai: the title in the
        company's language, the e-mail in the executive's, the cutoff at local midnight."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["customer_archive"], ["zh_CN"], overwrite=True)
        self.company.partner_id.lang = "zh_CN"
        self.executive.lang = "zh_CN"
        with freeze_time("2026-12-01 02:00:00"):
            report = self.Report._cron_monthly_report().filtered(lambda r: r.company_id == self.company)
        self.assertEqual(report.name, "借阅统计报表 2026-12")
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", report._name),
                ("res_id", "=", report.id),
                ("recipient_ids", "in", self.executive.partner_id.ids),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("您好", mail.body_html)
        # The month starts at midnight in Shanghai (16:00 UTC the day before).
        self.assertIn("2026年12月01日 00时00分", mail.body_html)
        self.assertIn("借阅统计报表 2026-12", mail.subject)

    def test_runs_from_the_first_to_the_fifth_and_only_once(self):
        with freeze_time("2026-12-03 02:00:00"):  # the server was down on the 1st and 2nd
            first = self.Report._cron_monthly_report()
            again = self.Report._cron_monthly_report()
        self.assertTrue(first)
        self.assertFalse(again)
        self.assertEqual(
            self.Report.search_count([("company_id", "=", self.company.id), ("month", "=", "2026-12-01")]), 1
        )
        with freeze_time("2027-01-06 02:00:00"):
            self.assertFalse(self.Report._cron_monthly_report())

    def test_a_manager_regenerates_any_past_month(self):
        with freeze_time("2026-12-01 02:00:00"):
            report = self.Report._cron_monthly_report().filtered(lambda r: r.company_id == self.company)
        with freeze_time("2026-12-01 03:00:00"):
            self.out.with_user(self.officer).action_return()
            self.copies.with_user(self.officer).action_verify_copies()
        # The report describes the start of the month: regenerating it later gives the same lines.
        before = set(self._mine(report).mapped("borrow_id").ids)
        with self.assertRaises(AccessError):
            report.with_user(self.officer).action_regenerate()
        report.with_user(self.manager).action_regenerate()
        self.assertEqual(set(self._mine(report).mapped("borrow_id").ids), before)
        # The next month, nothing of these is out any more.
        past, _created = self.Report._get_or_create(self.company, datetime(2027, 1, 1).date())
        past.with_user(self.manager).action_regenerate()
        self.assertFalse(self._mine(past))

    def test_what_a_report_says_is_written_by_its_making_only(self):
        with freeze_time("2026-12-01 02:00:00"):
            report = self.Report._cron_monthly_report().filtered(lambda r: r.company_id == self.company)
        pdf = report.report_attachment_id
        made = pdf.raw
        as_manager = report.with_user(self.manager)
        forged = self.env["ir.attachment"].create({"name": "forged.pdf", "raw": b"%PDF forged"})
        for values in (
            {"generated_by_id": self.officer.id},
            {"cutoff": datetime(2026, 11, 1)},
            {"report_attachment_id": forged.id},
            {"month": datetime(2026, 11, 1).date()},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                as_manager.write(values)
        with self.assertRaises(UserError):
            self.Report.with_user(self.manager).create({"company_id": self.company.id, "month": "2027-03-01"})
        with self.assertRaises(UserError):
            pdf.with_user(self.manager).write({"raw": b"%PDF forged"})
        with self.assertRaises(UserError):
            pdf.with_user(self.manager).unlink()
        self.assertEqual(report.report_attachment_id, pdf)
        self.assertEqual(pdf.raw, made)
        # Regenerating is the way: a new PDF, by the manager.
        as_manager.action_regenerate()
        self.assertNotEqual(report.report_attachment_id, pdf)
        self.assertEqual(report.generated_by_id, self.manager)
        # The PDF e-mailed before stays as it was sent: every file the report made is kept.
        for values in ({"raw": b"%PDF forged"}, {"name": "forged.pdf"}, {"access_token": "guessable"}):
            with self.subTest(values=values), self.assertRaises(UserError):
                pdf.with_user(self.manager).write(values)
        with self.assertRaises(UserError):
            pdf.with_user(self.manager).unlink()
        self.assertEqual(pdf.raw, made)

    def test_data_is_gathered_in_one_query(self):
        cutoff = datetime(2026, 12, 1)
        self.Report._outstanding_rows(self.company, cutoff)  # warm up
        with self.assertQueryCount(1):
            rows = self.Report._outstanding_rows(self.company, cutoff)
        self.assertIn(self.out.id, [row[0] for row in rows])


@freeze_time(NOW)
class TestRegisters(BorrowCase):
    def test_register_renders_the_requests(self):
        request = self.request(self.ordinary, request_type="photocopy")
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        request.with_user(self.officer).action_lend(**SIGNED)
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "customer_archive.action_report_borrow_register", request.ids
        )
        self.assertIn(request.name.encode(), html)
        self.assertIn(self.ordinary.number.encode(), html)
        registers = {
            "customer_archive.customer_archive_borrow_action_register": "borrow",
            "customer_archive.customer_archive_borrow_action_photocopy_register": "photocopy",
        }
        for xmlid, request_type in registers.items():
            action = self.env.ref(xmlid)
            found = self.env["customer.archive.borrow"].search(safe_eval(action.domain))
            self.assertEqual(request in found, request_type == "photocopy")
        groups = self.env["customer.archive.borrow"].read_group(
            [("id", "=", request.id)],
            ["copy_pages"],
            ["date_lent:month", "department_id", "request_type"],
            lazy=False,
        )
        self.assertEqual(len(groups), 1)


@freeze_time(NOW)
class TestRequestAccess(BorrowCase):
    def test_requesters_see_their_own_requests_officers_all_within_clearance(self):
        own = self.request(self.ordinary)
        secret = self.request(self.secret, hours=2)
        Borrow = self.env["customer.archive.borrow"]
        mine = (own | secret).ids
        self.assertFalse(Borrow.with_user(self.other_sales_user).search([("id", "in", mine)]))
        self.assertEqual(Borrow.with_user(self.officer).search([("id", "in", mine)]), own | secret)
        low_officer = self.env["res.users"].create(
            {
                "name": "Officer Low",
                "login": "ca_low_officer",
                "groups_id": [(6, 0, [self.env.ref("customer_archive.group_archive_officer").id])],
            }
        )
        self.assertEqual(Borrow.with_user(low_officer).search([("id", "in", mine)]), own)
        with self.assertRaises(AccessError):
            secret.with_user(low_officer).read(["name"])

    def test_a_request_never_reaches_above_the_requester_clearance(self):
        self.other_sales_user.archive_clearance = "ordinary"
        foreign = self.create_archive(partner=self.other_customer, confidentiality="secret")
        self.add_documents(foreign)
        with self.assertRaises(AccessError):
            self.request(foreign, user=self.other_sales_user)
        ordinary = self.create_archive(partner=self.other_customer)
        secret_document = self.add_documents(ordinary, confidentiality="secret")[:1]
        with self.assertRaises(AccessError):
            self.request(ordinary, user=self.other_sales_user, document_ids=[(6, 0, secret_document.ids)])


@freeze_time(NOW)
class TestPrintedPdf(BorrowCase):
    """The registers and the monthly report print as real PDF files (wkhtmltopdf, CJK fonts)."""

    def setUp(self):
        super().setUp()
        # wkhtmltopdf fetches the report's styles from report.url: point it where nothing listens,
        # so that a server running on this machine cannot make the rendering wait.
        self.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:1")

    def test_register_and_monthly_report_print_as_pdf(self):
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        request.with_user(self.officer).action_lend(**SIGNED)
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, report_type = Report._render_qweb_pdf(
            "customer_archive.action_report_borrow_register", request.ids
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        monthly, _created = self.env["customer.archive.monthly.report"]._get_or_create(
            self.company, datetime(2026, 12, 1).date()
        )
        monthly.with_context(force_report_rendering=True)._generate()
        self.assertTrue(monthly.report_attachment_id.raw.startswith(b"%PDF"))
        self.assertEqual(monthly.report_attachment_id.mimetype, "application/pdf")
