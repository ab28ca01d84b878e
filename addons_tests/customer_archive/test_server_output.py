"""What the server makes for people reads in the recipient's language and the company's time
(issue 12, item 5), and the time rules of a loan follow the company's calendar (item 6)."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED

ALARM = "customer.archive.access.alarm"
LOG = "customer.archive.access.log"


class ChineseCompanyCase(BorrowCase):
    """A company in Shanghai speaking Chinese; the archive office manager reads Chinese, the
    executive English."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["customer_archive"], ["zh_CN"], overwrite=True)
        cls.company.partner_id.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        cls.manager.lang = "zh_CN"
        cls.english_manager = cls.executive  # executives are archive managers too
        cls.english_manager.lang = "en_US"
        # An archive office manager reading English: backup keys and repairs are told to the office.
        cls.english_office_manager = new_test_user(
            cls.env, "ca_manager_en", groups="customer_archive.group_archive_manager", name="Manager Lee"
        )
        cls.english_office_manager.write({"lang": "en_US", "archive_clearance": "secret"})
        # Whoever runs the server: its own time zone must not matter.
        cls.env.user.tz = "America/New_York"


@freeze_time("2026-11-30 16:30:00")  # Tuesday 1 December, 00:30 in Shanghai
class TestAlarmsSpeakTheReadersLanguage(ChineseCompanyCase):
    def raise_alarm(self):
        self.env["ir.config_parameter"].sudo().set_param("customer_archive.access_alarm_denied_count", 2)
        Log = self.env[LOG].with_user(self.sales_user)
        values = [Log._entry_values("denied", archive)[0] for archive in (self.secret, self.confidential)]
        self.env[LOG].sudo().create(values)  # sudo: the system writes the log
        # As when a refusal is logged in a transaction of its own: no language in the context.
        system = self.env[ALARM].sudo().with_context(lang=None)  # sudo: the system raises alarms
        return system._raise_alarm_if_over_threshold(self.sales_user, "denied")

    def test_an_alarm_reads_in_each_managers_language_and_the_companys_time(self):
        alarm = self.raise_alarm()
        self.assertTrue(alarm)
        # The stored title is in the company's language.
        self.assertEqual(alarm.name, "Sales Wang: 多次被拒绝访问")
        by_user = {activity.user_id: activity for activity in alarm.activity_ids}
        chinese, english = by_user[self.manager], by_user[self.english_manager]
        self.assertEqual(chinese.summary, "Sales Wang: 多次被拒绝访问")
        self.assertIn("Repeated Refused Accesses", english.summary)
        # Its day is the company's: already 1 December in Shanghai.
        self.assertEqual(str(chinese.date_deadline), "2026-12-01")
        mails = (
            self.env["mail.mail"]
            .sudo()  # sudo: the mail queue
            .search([("model", "=", ALARM), ("res_id", "=", alarm.id)])
            .filtered(lambda mail: mail.mail_message_id.message_type != "user_notification")
        )
        by_partner = {mail.recipient_ids: mail for mail in mails}
        chinese_mail = by_partner[self.manager.partner_id]
        english_mail = by_partner[self.english_manager.partner_id]
        self.assertIn("档案访问报警", chinese_mail.subject)
        self.assertIn("多次被拒绝访问", chinese_mail.body_html)
        self.assertIn("Archive access alarm", english_mail.subject)
        self.assertIn("Repeated Refused Accesses", english_mail.body_html)
        # The window's start in Shanghai time, not in the server user's (New York).
        window_local = alarm.window_start + timedelta(hours=8)
        self.assertIn(window_local.strftime("%H:%M"), english_mail.body_html)

    def test_the_access_alarm_method_says_it_raises_alarms(self):
        self.assertFalse(hasattr(self.env[ALARM], "_check_user"))


@freeze_time("2026-11-30 16:30:00")  # 1 December, 00:30 in Shanghai
class TestBackupKeyMessages(ChineseCompanyCase):
    def test_each_manager_reads_the_backup_key_use_in_their_language(self):
        self.cabinet.backup_key_holder_id = self.executive
        self.env["customer.archive.cabinet.key.log"].with_user(self.officer).create(
            {"cabinet_id": self.cabinet.id, "key": "backup", "purpose": "Fire drill"}
        )
        activities = self.cabinet.activity_ids
        by_user = {activity.user_id: activity for activity in activities}
        self.assertIn("备份锁匙", by_user[self.manager].summary)
        self.assertIn("Backup key used", by_user[self.english_office_manager].summary)
        # The time of use in the company's time zone: 00:30 on 1 December.
        self.assertIn("Dec 1, 2026, 12:30:00", str(by_user[self.english_office_manager].note))
        self.assertEqual(str(by_user[self.manager].date_deadline), "2026-12-01")


class TestScheduledActivitiesSpeakTheReadersLanguage(ChineseCompanyCase):
    def test_overdue_loan_activities_are_in_each_persons_language(self):
        self.sales_user.lang = "zh_CN"
        with freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30)):
            request = self.request(self.ordinary)
            request.with_user(self.sales_user).action_submit()
            request.with_user(self.manager).action_approve()
            request.with_user(self.officer).action_lend(**SIGNED)
        self.officer.lang = "en_US"
        with freeze_time(MONDAY_9AM_UTC + timedelta(hours=10)):  # 19:00 in Shanghai, after its due time
            self.Borrow.sudo()._cron_notify_overdue()  # sudo: as the scheduled action
        by_user = {activity.user_id: activity.summary for activity in request.activity_ids}
        self.assertEqual(by_user[self.sales_user], f"逾期：{request.name}")
        self.assertEqual(by_user[self.officer], f"Overdue: {request.name}")

    def test_a_repair_is_announced_in_each_managers_language(self):
        with freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30)):
            request = self.request(self.ordinary)
            request.with_user(self.sales_user).action_submit()
            request.with_user(self.manager).action_approve()
            request.with_user(self.officer).action_lend(**SIGNED)
            request.with_user(self.officer).action_return("damaged", "Torn page")
        repair = request.sudo().repair_ids
        by_user = {activity.user_id: activity.summary for activity in repair.activity_ids}
        number = self.ordinary.number
        self.assertEqual(by_user[self.manager], f"修复档案 {number}")
        self.assertEqual(by_user[self.english_office_manager], f"Repair archive {number}")

    def test_review_activities_in_the_reviewers_language(self):
        self.sales_user.lang = "zh_CN"
        archive = self.create_archive(name="Old", date_opened="2020-01-06")
        archive.user_id = self.sales_user
        self.env["customer.archive"].sudo()._cron_schedule_reviews()  # sudo: as the scheduled action
        review = self.env.ref("customer_archive.mail_activity_type_archive_review")
        activity = archive.activity_ids.filtered(lambda a: a.activity_type_id == review)
        self.assertIn(f"审查档案 {archive.number}", str(activity.note))


class TestLoanTimes(BorrowCase):
    """The loan's times follow the company's calendar in its time zone (item 6): Shanghai,
    08:00-17:00, Monday to Friday."""

    def approved(self, archive=None, hours=4, start=MONDAY_9AM_UTC, long_loan=False, **values):
        with freeze_time(start - timedelta(minutes=30)):
            request = self.request(archive or self.ordinary, start=start, hours=hours, **values)
            request.with_user(self.sales_user).action_submit()
            request.with_user(self.manager).action_approve(allow_long_loan=long_loan)
        return request

    def test_handed_out_after_the_working_day_it_is_due_at_the_end_of_the_next(self):
        request = self.approved(hours=7)  # 09:00-16:00
        with freeze_time(MONDAY_9AM_UTC + timedelta(hours=10)):  # Monday 19:00 in Shanghai
            request.with_user(self.officer).action_lend(**SIGNED)
            self.assertFalse(request.is_overdue)
        # Tuesday 17:00 in Shanghai.
        self.assertEqual(request.date_due, datetime(2026, 12, 1, 9, 0, 0))

    def test_a_longer_loan_handed_out_after_its_due_time_is_not_overdue_at_once(self):
        request = self.approved(hours=30, long_loan=True)  # Monday 09:00 to Tuesday 15:00
        self.assertTrue(request.allow_long_loan)
        with freeze_time(MONDAY_9AM_UTC + timedelta(hours=31)):  # Tuesday 16:00, past the due time
            request.with_user(self.officer).action_lend(**SIGNED)
            self.assertFalse(request.is_overdue)
        self.assertEqual(request.date_due, datetime(2026, 12, 1, 9, 0, 0))  # Tuesday 17:00

    def test_a_hand_out_before_the_requested_start_says_so(self):
        request = self.approved(start=MONDAY_9AM_UTC + timedelta(hours=2))  # asked from 11:00
        with freeze_time(MONDAY_9AM_UTC):  # handed out at 09:00
            request.with_user(self.officer).action_lend(**SIGNED)
        notes = request.message_ids.filtered(lambda m: "before the requested start" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        # Times in the company's time zone (Shanghai), whoever's time zone the officer has.
        self.assertIn("11:00", notes.body)
        request.with_user(self.officer).action_return()
        on_time = self.approved()
        with freeze_time(MONDAY_9AM_UTC + timedelta(minutes=5)):
            on_time.with_user(self.officer).action_lend(**SIGNED)
        early = on_time.message_ids.filtered(lambda m: "before the requested start" in (m.body or ""))
        self.assertFalse(early)

    def test_the_loan_limit_has_one_home(self):
        """The submission, the approval and the hand-out read the same limits."""
        secret = self.request(self.secret, hours=4)
        hours = self.company.archive_secret_loan_hours
        self.assertEqual(secret._loan_limit(MONDAY_9AM_UTC), MONDAY_9AM_UTC + timedelta(hours=hours))
        confidential = self.request(self.confidential, request_type="onsite", hours=2)
        midnight = datetime(2026, 11, 30, 15, 59, 59, 999999)  # the end of Monday in Shanghai
        self.assertEqual(confidential._loan_limit(MONDAY_9AM_UTC, long_loan=True), midnight)
        ordinary = self.request(self.ordinary)
        end_of_work = datetime(2026, 11, 30, 9, 0, 0)
        self.assertEqual(ordinary._loan_limit(MONDAY_9AM_UTC), end_of_work)
        self.assertIsNone(ordinary._loan_limit(MONDAY_9AM_UTC, long_loan=True))
        # The submission refuses what passes the level's limit.
        too_long = self.request(self.secret, hours=hours + 1)
        with freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30)), self.assertRaises(UserError):
            too_long.with_user(self.sales_user).action_submit()
        self.assertEqual(too_long.state, "draft")


class TestOpeningDate(ChineseCompanyCase):
    @freeze_time("2026-11-30 17:00:00")  # 1 December, 01:00 in Shanghai; still the 30th in New York
    def test_the_future_is_the_companys_tomorrow(self):
        self.officer.tz = "America/New_York"
        Archive = self.env["customer.archive"].with_user(self.officer)
        values = {
            "partner_id": self.customer.id,
            "category_id": self.category_basic.id,
            "department_id": self.department.id,
            "name": "Opened today in Shanghai",
        }
        archive = Archive.create(dict(values, date_opened="2026-12-01"))
        self.assertEqual(str(archive.date_opened), "2026-12-01")
        with self.assertRaises(UserError):
            Archive.create(dict(values, date_opened="2026-12-02"))


class TestSystemNotesInTheCompanysLanguage(ChineseCompanyCase):
    """Without a current language (a scheduled action, a data file, a script: the test's own env),
    what the system writes in a chatter reads in the company's language, so that a Chinese
    company's demo and imports leave no English; a user's request keeps the user's language."""

    def test_the_created_line_reads_in_the_companys_language(self):
        self.assertFalse(self.env.lang)
        # The tests' env leaves the "created" line out (common.py): put it back.
        Archive = self.env["customer.archive"].with_context(mail_create_nolog=False)
        values = {"partner_id": self.customer.id, "category_id": self.category_basic.id}
        archive = Archive.create({**values, "department_id": self.department.id, "name": "系统创建"})
        bodies = archive.message_ids.mapped(lambda message: str(message.body))
        self.assertTrue(any("客户档案 创建" in body for body in bodies), bodies)
        # A request in English keeps Odoo's English line.
        english = self.create_archive(name="English").with_context(lang="en_US")
        self.assertIn("Customer Archive created", english._creation_message())

    def test_a_document_change_is_noted_in_the_companys_language(self):
        document = self.add_documents(self.create_archive(name="文件变更"))[:1]
        document.write({"condition": "damaged"})
        note = document.archive_id.message_ids.sorted("id")[-1:]
        self.assertIn("已变更", note.body)
        self.assertNotIn("changed", note.body)
        self.assertNotIn("Damaged", note.body)
        # The same change made by a user in English is noted in English.
        document.with_context(lang="en_US").write({"condition": "good"})
        self.assertIn("changed", document.archive_id.message_ids.sorted("id")[-1:].body)
