"""Scheduled actions in batches with bounded mail (issue 13, item 2): activities made in bulk
without an e-mail each, one digest per person and run in their language, bounded batches that
tell the cron runner what remains, reruns without duplicates, the monthly report's PDF bounded."""

from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import new_test_user
from odoo.tools import SQL
from odoo.tools.translate import code_translations

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED

ARCHIVE = "customer.archive"
DIGEST_SUBJECT = "%(count)s new activities for you: %(types)s"


class CronCase(BorrowCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["customer_archive"], ["zh_CN"], overwrite=True)
        cls.chinese_officer = new_test_user(
            cls.env, "ca_officer_zh", groups="customer_archive.group_archive_officer", name="Officer Qian"
        )
        cls.chinese_officer.lang = "zh_CN"
        cls.officer.lang = "en_US"
        cls.env.flush_all()
        cls.env.cr.precommit.clear()

    def last_mail_id(self):
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_mail")
        return self.env.cr.fetchone()[0]

    def mails_since(self, mail_id):
        return self.env["mail.mail"].search([("id", ">", mail_id)])

    def run_cron(self, method, batch_size, model=ARCHIVE):
        """Call a cron method as Odoo's cron runner does (a progress record in the context);
        returns (its result, done, remaining)."""
        cron = self.env["ir.cron"].search([], limit=1)
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id, "done": 0, "remaining": 0})
        records = getattr(self.env[model].with_context(ir_cron_progress_id=progress.id), method)(
            batch_size=batch_size
        )
        return records, progress.done, progress.remaining

    def activities(self, records, xmlid):
        activity_type = self.env.ref(xmlid)
        return (
            self.env["mail.activity"]
            .sudo()  # sudo: every activity, as stored
            .search(
                [
                    ("res_model", "=", records._name),
                    ("res_id", "in", records.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )


class TestReviewDigest(CronCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.english_due = cls.env[ARCHIVE].browse()
        cls.chinese_due = cls.env[ARCHIVE].browse()
        for n in range(3):
            cls.english_due |= cls.create_archive(
                name=f"Old {n}", date_opened="2020-01-06", user_id=cls.officer.id
            )
            cls.chinese_due |= cls.create_archive(
                name=f"旧 {n}", date_opened="2020-01-06", user_id=cls.chinese_officer.id
            )
        cls.due = cls.english_due | cls.chinese_due

    def test_one_digest_per_person_and_run_in_their_language(self):
        before = self.last_mail_id()
        translations = dict(code_translations.get_python_translations("customer_archive", "zh_CN"))
        translations[DIGEST_SUBJECT] = "您有 %(count)s 项新的待办：%(types)s"
        with patch.dict(code_translations.python_translations, {("customer_archive", "zh_CN"): translations}):
            archives, done, remaining = self.run_cron("_cron_schedule_reviews", 200)
        self.assertEqual(archives & self.due, self.due)
        self.assertEqual(remaining, 0)
        self.assertEqual(done, len(archives))
        activities = self.activities(self.due, "customer_archive.mail_activity_type_archive_review")
        self.assertEqual(len(activities), 6)
        by_archive = {activity.res_id: activity for activity in activities}
        for archive in self.english_due:
            self.assertEqual(by_archive[archive.id].user_id, self.officer)
            self.assertEqual(str(by_archive[archive.id].note), f"<p>Review archive {archive.number}.</p>")
        for archive in self.chinese_due:
            self.assertEqual(by_archive[archive.id].user_id, self.chinese_officer)
            self.assertIn(f"审查档案 {archive.number}", str(by_archive[archive.id].note))
        # No e-mail per activity: one digest for each person, naming their archives only.
        mails = self.mails_since(before)
        self.assertFalse(mails.filtered(lambda mail: mail.model == ARCHIVE))
        english = mails.filtered(lambda mail: mail.recipient_ids == self.officer.partner_id)
        chinese = mails.filtered(lambda mail: mail.recipient_ids == self.chinese_officer.partner_id)
        self.assertEqual((len(english), len(chinese)), (1, 1))
        self.assertEqual(
            len(
                mails.filtered(
                    lambda mail: mail.recipient_ids & (self.officer | self.chinese_officer).partner_id
                )
            ),
            2,
        )
        self.assertEqual(english.subject, "3 new activities for you: Review archive (3)")
        for archive in self.english_due:
            self.assertIn(archive.number, english.body_html)
            self.assertIn(f"/mail/view?model=customer.archive&amp;res_id={archive.id}", english.body_html)
            self.assertNotIn(archive.number, chinese.body_html)
        self.assertIn("What to do", english.body_html)
        self.assertIn(
            "Hello Officer Zhao, these activities were scheduled for you (3 in all):", english.body_html
        )
        self.assertIn("待办事项", chinese.body_html)
        self.assertIn("审查档案", chinese.subject)
        self.assertTrue(chinese.subject.startswith("您有"))
        # The activities are announced: none waits for a digest any more.
        self.assertFalse(activities.filtered("archive_digest_key"))

    def test_a_long_digest_lists_the_first_and_counts_the_others(self):
        before = self.last_mail_id()
        with patch("odoo.addons.customer_archive.models.mail_activity.DIGEST_LINES", 2):
            self.env[ARCHIVE]._cron_schedule_reviews()
        english = self.mails_since(before).filtered(
            lambda mail: mail.recipient_ids == self.officer.partner_id
        )
        listed = [archive for archive in self.english_due if archive.number in english.body_html]
        self.assertEqual(len(listed), 2)
        self.assertIn("And 1 more: you find them all in your activities in Odoo.", english.body_html)

    def test_a_second_run_makes_no_duplicates_and_no_mail(self):
        self.env[ARCHIVE]._cron_schedule_reviews()
        before = self.last_mail_id()
        again = self.env[ARCHIVE]._cron_schedule_reviews()
        self.assertFalse(again & self.due)
        self.assertEqual(
            len(self.activities(self.due, "customer_archive.mail_activity_type_archive_review")), 6
        )
        self.assertFalse(self.mails_since(before))

    def test_batches_tell_what_remains_and_the_digest_waits_for_the_last(self):
        due_before = self.env[ARCHIVE].search_count(
            [("state", "!=", "destroyed"), ("date_next_review", "<=", self.company._archive_today())]
        )
        self.assertGreaterEqual(due_before, 6)
        before = self.last_mail_id()
        archives, done, remaining = self.run_cron("_cron_schedule_reviews", 2)
        self.assertEqual((len(archives), done), (2, 2))
        self.assertEqual(remaining, due_before - 2)
        # The run is not over: the digests wait for its last batch.
        self.assertFalse(self.mails_since(before))
        handled = archives
        for _batch in range(due_before):
            archives, done, remaining = self.run_cron("_cron_schedule_reviews", 2)
            self.assertFalse(archives & handled)  # a rerun after a commit skips what is done
            handled |= archives
            if not remaining:
                break
        self.assertEqual(remaining, 0)
        self.assertEqual(handled & self.due, self.due)
        mails = self.mails_since(before)
        self.assertEqual(len(mails.filtered(lambda mail: mail.recipient_ids == self.officer.partner_id)), 1)
        self.assertEqual(
            len(mails.filtered(lambda mail: mail.recipient_ids == self.chinese_officer.partner_id)), 1
        )

    def test_bulk_creation_costs_the_same_for_two_or_many_archives(self):
        """The activities of a batch are made in one create: the queries do not grow with it."""
        review = self.env.ref("customer_archive.mail_activity_type_archive_review")

        def queries_to_schedule(archives):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["mail.activity"]._archive_schedule(
                review,
                [(archive, archive.user_id) for archive in archives],
                lambda archive: (False, archive.number),
                digest="test",
            )
            return self.env.cr.sql_log_count - before

        two = self.english_due[:1] | self.chinese_due[:1]
        queries_to_schedule(two)  # warm up
        two = queries_to_schedule(two)
        many = queries_to_schedule(self.english_due[1:] | self.chinese_due[1:])
        self.assertLessEqual(many, two)

    def test_bulk_activities_are_named_as_odoo_names_them(self):
        """The record names of the activities (``res_name``) are read for all the records at
        once, as Odoo's compute gives them (as superuser, in the creating environment): computed
        activity by activity, the credit monitoring of 5,000 customers made 1,357 queries instead
        of 993 (benchmark_crons.sh)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        partners = self.env["res.partner"].create(
            [{"name": f"华东客户 {n}", "is_company": True} for n in range(4)]
        )
        # and a contact, named after its company
        partners |= self.env["res.partner"].create({"name": "采购 王", "parent_id": partners[0].id})
        self.env.invalidate_all()
        activities = self.env["mail.activity"]._archive_schedule(
            todo, [(partner, self.officer) for partner in partners], lambda partner: (False, "跟进")
        )
        self.env.invalidate_all()
        self.assertEqual(activities.mapped("res_name"), partners.mapped("display_name"))
        self.assertEqual(activities[-1].res_name, "华东客户 0, 采购 王")


class TestOverdueDigests(CronCase):
    def lend(self, archive, hours=2):
        with freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30)):
            request = self.request(archive, hours=hours)
            request.with_user(self.sales_user).action_submit()
            approver = self.executive if archive.confidentiality != "ordinary" else self.manager
            request.with_user(approver).action_approve()
            request.with_user(self.officer).action_lend(**SIGNED)
        return request

    def test_overdue_loans_one_digest_each_for_borrower_and_officer(self):
        self.sales_user.lang = "zh_CN"
        extra = self.create_archive(name="ordinary 2")
        self.add_documents(extra)
        requests = self.lend(self.ordinary) | self.lend(extra)
        Borrow = self.env["customer.archive.borrow"]
        before = self.last_mail_id()
        with freeze_time(MONDAY_9AM_UTC + timedelta(hours=10)):
            due = Borrow.search_count([("is_overdue", "=", True), ("overdue_notified", "=", False)])
            self.assertGreaterEqual(due, 2)
            result, done, remaining = self.run_cron("_cron_notify_overdue", 1, model=Borrow._name)
            self.assertEqual((len(result), done, remaining), (1, 1, due - 1))
            self.assertFalse(self.mails_since(before))
            handled = result
            while remaining:
                result, done, remaining = self.run_cron("_cron_notify_overdue", 1, model=Borrow._name)
                self.assertFalse(result & handled)
                handled |= result
            self.assertEqual(len(handled), due)
            self.assertFalse(Borrow._cron_notify_overdue() & requests)
        activities = self.activities(requests, "customer_archive.mail_activity_type_borrow_overdue")
        self.assertEqual(len(activities), 4)
        self.assertEqual(activities.user_id, self.sales_user | self.officer)
        for activity in activities.filtered(lambda a: a.user_id == self.sales_user):
            self.assertTrue(activity.summary.startswith("逾期："))
        for activity in activities.filtered(lambda a: a.user_id == self.officer):
            self.assertTrue(activity.summary.startswith("Overdue: "))
        mails = self.mails_since(before)
        mails = mails.filtered(lambda mail: mail.recipient_ids & (self.sales_user | self.officer).partner_id)
        self.assertEqual(len(mails), 2)
        self.assertEqual(mails.recipient_ids, (self.sales_user | self.officer).partner_id)
        for mail in mails:
            for request in requests:
                self.assertIn(request.name, mail.body_html)

    def test_overdue_formalisation_in_batches_once_per_archive(self):
        archives = self.env[ARCHIVE].browse()
        for user in (self.officer, self.chinese_officer, self.chinese_officer):
            archives |= self.create_archive(user_id=user.id)
        with freeze_time("2026-11-02 09:00:00"):
            archives.action_receive_completion_documents()
        before = self.last_mail_id()
        with freeze_time("2026-11-20 09:00:00"):
            due = self.env[ARCHIVE].search_count(
                [("is_formalisation_overdue", "=", True), ("formalisation_overdue_notified", "=", False)]
            )
            handled, done, remaining = self.run_cron("_cron_notify_overdue_formalisation", 2)
            self.assertEqual((done, remaining), (2, due - 2))
            while remaining:
                batch, done, remaining = self.run_cron("_cron_notify_overdue_formalisation", 2)
                self.assertFalse(batch & handled)
                handled |= batch
            self.assertFalse(self.env[ARCHIVE]._cron_notify_overdue_formalisation() & archives)
        self.assertEqual(handled & archives, archives)
        activities = self.activities(archives, "customer_archive.mail_activity_type_formalisation_overdue")
        self.assertEqual(len(activities), 3)
        chinese = activities.filtered(lambda a: a.user_id == self.chinese_officer)
        self.assertEqual(set(chinese.mapped("summary")), {"转正逾期"})
        mails = self.mails_since(before).filtered(
            lambda mail: mail.recipient_ids & (self.officer | self.chinese_officer).partner_id
        )
        self.assertEqual(len(mails), 2)
        self.assertEqual(mails.recipient_ids, (self.officer | self.chinese_officer).partner_id)
        self.assertEqual(len(mails.filtered(lambda m: m.recipient_ids == self.chinese_officer.partner_id)), 1)


class TestOtherCronBatches(CronCase):
    def test_access_log_purge_counts_what_remains(self):
        Log = self.env["customer.archive.access.log"]
        self.env["ir.config_parameter"].set_param("customer_archive.access_log_retention_days", 30)
        old = datetime.now() - timedelta(days=40)
        Log.flush_model()
        self.env.cr.execute(
            SQL(
                "INSERT INTO customer_archive_access_log (user_id, action, logged_at)"
                " SELECT %s, 'read', %s FROM generate_series(1, 5)",
                self.officer.id,
                old,
            )
        )
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM customer_archive_access_log WHERE logged_at < %s",
                old + timedelta(days=1),
            )
        )
        expired = self.env.cr.fetchone()[0]
        _done, done, remaining = self.run_cron("_cron_purge_expired", 2, model=Log._name)
        self.assertEqual((done, remaining), (2, expired - 2))

    def test_share_expiry_in_batches(self):
        archive = self.create_archive(partner=self.other_customer, name="Shared")
        shares = self.env["customer.archive.share"]
        # Given before their end (a date fixed in the test, not today's: it would pass).
        with freeze_time("2026-11-30 09:00:00"):
            for _n in range(3):
                share = (
                    self.env["customer.archive.share"]
                    .with_user(self.other_sales_user)
                    .create(
                        {
                            "archive_id": archive.id,
                            "grantee_user_ids": [(6, 0, self.sales_user.ids)],
                            "purpose": "Tender",
                            "date_end": datetime(2026, 12, 1).date(),
                        }
                    )
                )
                share.action_submit()
                share.with_user(self.manager).action_approve()
                shares |= share
        with freeze_time("2026-12-03 09:00:00"):
            ended, done, remaining = self.run_cron("_cron_expire", 2, model=shares._name)
            self.assertEqual((done, remaining), (2, 1))
            ended |= self.run_cron("_cron_expire", 2, model=shares._name)[0]
            self.assertFalse(self.env["customer.archive.share"]._cron_expire())
        self.assertEqual(ended & shares, shares)
        self.assertEqual(set(shares.mapped("state")), {"expired"})
        self.assertIn("The share has ended.", str(shares[0].message_ids[:1].body))


class TestMonthlyReportBounded(BorrowCase):
    def test_lines_in_one_statement_and_the_pdf_summarises_per_holder(self):
        with freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30)):
            for archive in (self.ordinary, self.secret):
                request = self.request(archive)
                request.with_user(self.sales_user).action_submit()
                request.with_user(
                    self.manager if archive == self.ordinary else self.executive
                ).action_approve()
                request.with_user(self.officer).action_lend(**SIGNED)
        Report = self.env["customer.archive.monthly.report"]
        self.env.cr.execute(
            SQL("DELETE FROM customer_archive_monthly_report WHERE month >= %s", "2026-12-01")
        )
        report, _created = Report._get_or_create(self.company, datetime(2026, 12, 1).date())
        with patch("odoo.addons.customer_archive.models.customer_archive_monthly_report.PDF_LINES", 1):
            report._generate()
        cutoff = Report._cutoff_of(self.company, report.month)
        rows = Report._outstanding_rows(self.company, cutoff)
        self.assertEqual(sorted(report.line_ids.borrow_id.ids), sorted(row[0] for row in rows))
        for line in report.line_ids:
            due = line.borrow_id.date_due
            self.assertEqual(line.days_overdue, max((cutoff - due).days, 0))
        summary = report._pdf_summary()
        self.assertEqual(sum(row["originals"] + row["copies"] for row in summary), len(rows))
        self.assertIn(self.sales_user, [row["holder"] for row in summary])
        with patch("odoo.addons.customer_archive.models.customer_archive_monthly_report.PDF_LINES", 1):
            html, _type = self.env["ir.actions.report"]._render_qweb_html(
                "customer_archive.action_report_monthly_lending", report.ids
            )
        self.assertIn(b"By holder", html)
        self.assertIn(b"most overdue of", html)
        self.assertIn(self.sales_user.name.encode(), html)
