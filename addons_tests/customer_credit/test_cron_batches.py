"""The daily credit monitoring in batches with bounded mail (issue 13, item 2): its activities are
made in bulk without an e-mail each, each person gets one digest per run in their language, a
batch tells the cron runner what remains, and a rerun makes nothing twice."""

from unittest.mock import patch

from odoo.tests import new_test_user
from odoo.tools.translate import code_translations

from .credit_common import CreditCase

DIGEST_SUBJECT = "%(count)s new activities for you: %(types)s"
HOLD = "customer_credit.mail_activity_type_credit_hold"
WARNING = "customer_credit.mail_activity_type_credit_warning"
MONITORING_DIGEST = "customer_credit.ir_cron_credit_monitoring"


class TestMonitoringDigest(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_hold_overdue_days = 60
        cls.company.credit_warning_threshold = 80
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.credit_manager.lang = "zh_CN"
        cls.customers = cls.env["res.partner"]
        for n in range(4):
            customer = cls.env["res.partner"].create(
                {"name": f"Late customer {n}", "is_company": True, "user_id": cls.credit_user.id}
            )
            cls.invoice(customer, 900, days_ago=100, due_days=30)  # 70 days overdue
            customer.with_user(cls.credit_manager)._apply_credit_decision(1000, 30, reason="Initial limit")
            cls.customers |= customer
        cls.people = cls.credit_user | cls.credit_manager

    def monitoring(self, batch_size=500):
        """Run the monitoring as Odoo's cron runner does; returns (done, remaining) as notified."""
        cron = self.env.ref("customer_credit.ir_cron_credit_monitoring")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id, "done": 0, "remaining": 0})
        (
            self.env["customer.credit.monitoring"]
            .sudo()  # sudo: as the scheduled action
            .with_context(ir_cron_progress_id=progress.id)
            ._cron_credit_monitoring(batch_size=batch_size)
        )
        return progress.done, progress.remaining

    def last_mail_id(self):
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_mail")
        return self.env.cr.fetchone()[0]

    def digests(self, since):
        mails = self.env["mail.mail"].sudo().search([("id", ">", since)])  # sudo: the mail queue
        return mails.filtered(lambda mail: mail.recipient_ids & self.people.partner_id)

    def activities(self, xmlid):
        return self.credit_activities(self.customers, xmlid)

    def test_one_digest_per_person_no_mail_per_activity(self):
        before = self.last_mail_id()
        translations = dict(code_translations.get_python_translations("customer_archive", "zh_CN"))
        translations[DIGEST_SUBJECT] = "您有 %(count)s 项新的待办：%(types)s"
        with patch.dict(code_translations.python_translations, {("customer_archive", "zh_CN"): translations}):
            done, remaining = self.monitoring()
        self.assertEqual(remaining, 0)
        self.assertGreater(done, 0)
        holds, warnings = self.activities(HOLD), self.activities(WARNING)
        # Every customer: a hold and a warning, for the salesperson and the credit manager each.
        self.assertEqual(len(holds), 8)
        self.assertEqual(len(warnings), 8)
        self.assertEqual((holds | warnings).user_id, self.people)
        self.assertFalse((holds | warnings).filtered("archive_digest_key"))
        mails = self.env["mail.mail"].sudo().search([("id", ">", before)])  # sudo: the mail queue
        # (the customers' own reminder letters of the collection levels are no activity mail)
        self.assertFalse(
            mails.filtered(
                lambda mail: mail.model == "res.partner" and mail.recipient_ids & self.people.partner_id
            )
        )
        digests = self.digests(before)
        self.assertEqual(len(digests), 2)
        self.assertTrue(all(len(mail.recipient_ids) == 1 for mail in digests))
        english = digests.filtered(lambda mail: mail.recipient_ids == self.credit_user.partner_id)
        chinese = digests.filtered(lambda mail: mail.recipient_ids == self.credit_manager.partner_id)
        # The salesperson also has the collection task of each customer (past the 60 days level).
        self.assertTrue(english.subject.startswith("12 new activities for you: "), english.subject)
        self.assertTrue(chinese.subject.startswith("您有 8 项新的待办"))
        Status = self.env["customer.credit.collection"].sudo()  # sudo: the statuses, as stored
        for customer in self.customers:
            self.assertIn(customer.name, english.body_html)
            # Each links to the customer's credit status, where the activities are.
            status = Status.search([("partner_id", "=", customer.id)])
            self.assertIn(f"model=customer.credit.collection&amp;res_id={status.id}", chinese.body_html)

    def test_a_digest_tells_nobody_of_a_record_they_no_longer_read(self):
        """An activity made for the salesperson of a customer given to another since is not told
        to them in the digest (its note has the customer's credit), the others are."""
        moved, kept = self.customers[:2]
        statuses = self.env["customer.credit.collection"]._status_of(moved | kept, self.company)
        self.env["mail.activity"].sudo()._archive_schedule(  # sudo: as the monitoring makes them
            self.env.ref(WARNING),
            [(statuses[customer.id], self.credit_user) for customer in (moved, kept)],
            lambda status: ("Warning", f"Credit used by {status.partner_id.name}: 900 of 1,000"),
            digest=MONITORING_DIGEST,
        )
        successor = new_test_user(self.env, "cc_successor_digest", groups="customer_credit.group_credit_user")
        moved.with_user(self.credit_officer).user_id = successor  # the credit department reassigns
        before = self.last_mail_id()
        told = self.env["mail.activity"]._archive_send_digests(MONITORING_DIGEST)
        self.assertEqual(told, 1)
        digest = self.digests(before)
        self.assertEqual(digest.recipient_ids, self.credit_user.partner_id)
        self.assertTrue(digest.subject.startswith("1 new activities for you: "), digest.subject)
        self.assertIn(kept.name, digest.body_html)
        self.assertNotIn(moved.name, digest.body_html)

    def test_a_second_run_sends_nothing_and_makes_nothing_twice(self):
        self.monitoring()
        before = self.last_mail_id()
        activities = self.activities(HOLD) | self.activities(WARNING)
        self.monitoring()
        self.assertEqual(self.activities(HOLD) | self.activities(WARNING), activities)
        self.assertFalse(self.digests(before))

    def test_batches_tell_what_remains_and_the_digest_waits_for_the_last(self):
        before = self.last_mail_id()
        done, remaining = self.monitoring(batch_size=1)
        self.assertGreater(remaining, 0)
        self.assertFalse(self.digests(before))
        runs = 1
        while remaining:
            previous = remaining
            done, remaining = self.monitoring(batch_size=1)
            # What remains is what remained less what this batch did: counted right, nothing skipped.
            self.assertEqual(remaining, previous - done)
            runs += 1
            self.assertLess(runs, 100)
        self.assertGreater(runs, 2)
        self.assertEqual(len(self.activities(HOLD)), 8)
        self.assertEqual(len(self.activities(WARNING)), 8)
        digests = self.digests(before)
        self.assertEqual(len(digests), 2)
        self.assertEqual(digests.recipient_ids, self.people.partner_id)
