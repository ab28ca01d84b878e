from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .credit_common import CreditCase

LETTER = "customer_credit.report_collection_letter"


class TestCollection(CreditCase):
    """Collection (催收): levels reached by days overdue, the reminder letter once per level and
    overdue episode, the salesperson's task, the collection log, broken promises and the pause."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"email": "finance@huanan.example.com", "user_id": cls.credit_user.id})
        # Invoiced 10 days ago, due 5 days ago: 5 days overdue today.
        cls.late = cls.invoice(cls.customer, 900, days_ago=10, due_days=5)
        cls.other = cls.env["res.partner"].create({"name": "Other customer", "is_company": True})
        cls.invoice(cls.other, 100, days_ago=40, due_days=5)

    def setUp(self):
        super().setUp()
        # wkhtmltopdf fetches the report's styles from report.url: point it where nothing listens.
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://127.0.0.1:1"
        )  # sudo: a setting

    def run_monitoring(self):
        """The monitoring, then the reminder letters it queued, as the two scheduled actions run."""
        Monitoring = self.env["customer.credit.monitoring"].sudo()  # sudo: as the cron
        result = Monitoring._cron_credit_monitoring()
        Monitoring._cron_collection_letters()
        return result

    def logs(self, partner, kind=None):
        domain = [("partner_id", "=", partner.id)] + ([("kind", "=", kind)] if kind else [])
        return self.env["customer.credit.collection.log"].sudo().search(domain)  # sudo: test reads all

    def level(self, partner):
        return partner.with_user(self.credit_officer).credit_collection_level_id

    def letters_mailed(self, partner):
        return (
            self.env["mail.mail"]
            .sudo()
            .search(  # sudo: test reads the mail queue
                [
                    ("model", "=", "customer.credit.collection"),
                    (
                        "res_id",
                        "in",
                        self.env["customer.credit.collection"]
                        .sudo()
                        .search([("partner_id", "=", partner.id)])
                        .ids,
                    ),
                    ("subject", "ilike", "Payment reminder"),
                ]
            )
        )

    def collection_tasks(self, partner):
        return self.credit_activities(partner, "customer_credit.mail_activity_type_credit_collection")

    def pay_on(self, invoice, amount, day):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": day})
            ._create_payments()
        )

    def test_letter_once_per_level_and_again_in_a_new_episode(self):
        self.run_monitoring()  # 5 days overdue: below the first level (7 days)
        self.assertFalse(self.logs(self.customer, "letter"))
        with freeze_time(self.today + timedelta(days=2)):  # 7 days overdue
            self.run_monitoring()
            self.run_monitoring()  # started again the same day: nothing twice
        letters = self.logs(self.customer, "letter")
        self.assertEqual(len(letters), 1)
        self.assertEqual(letters.level_id, self.env.ref("customer_credit.collection_level_7"))
        self.assertTrue(letters.is_system)
        self.assertEqual(self.level(self.customer), letters.level_id)
        mails = self.letters_mailed(self.customer)
        self.assertEqual(len(mails), 1)
        self.assertIn(self.customer, mails.recipient_ids)
        # The letter lists the overdue invoice (attached as HTML in the test mode).
        self.assertIn(self.late.name, mails.attachment_ids.raw.decode())
        # The salesperson gets the collection task.
        tasks = self.collection_tasks(self.customer)
        self.assertEqual(tasks.user_id, self.credit_user)
        with freeze_time(self.today + timedelta(days=10)):  # 15 days: still the first level
            self.run_monitoring()
        self.assertEqual(len(self.logs(self.customer, "letter")), 1)
        with freeze_time(self.today + timedelta(days=25)):  # 30 days: second level
            self.run_monitoring()
        self.assertEqual(len(self.logs(self.customer, "letter")), 2)
        self.assertEqual(self.level(self.customer), self.env.ref("customer_credit.collection_level_30"))
        self.assertEqual(len(self.letters_mailed(self.customer)), 2)
        # Paid in full: the episode ends and the levels start again with the next overdue invoice.
        with freeze_time(self.today + timedelta(days=26)):
            self.pay_on(self.late, 900, self.today + timedelta(days=26))
            self.run_monitoring()
        self.assertFalse(self.level(self.customer))
        new = self.invoice(self.customer, 300, days_ago=-26, due_days=0)  # due on day 26
        with freeze_time(self.today + timedelta(days=33)):  # 7 days overdue
            self.run_monitoring()
        letters = self.logs(self.customer, "letter")
        self.assertEqual(len(letters), 3)
        self.assertEqual(letters[0].level_id, self.env.ref("customer_credit.collection_level_7"))
        self.assertTrue(new)

    def test_the_letter_is_written_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.customer.lang = "zh_CN"
        template = self.env.ref("customer_credit.mail_template_collection_letter")
        self.assertEqual(template._render_lang(self.customer.ids), {self.customer.id: "zh_CN"})
        with freeze_time(self.today + timedelta(days=2)):
            self.run_monitoring()
        self.assertEqual(self.letters_mailed(self.customer).recipient_ids, self.customer)

    def test_a_customer_past_several_levels_gets_the_highest_letter_only(self):
        with freeze_time(self.today + timedelta(days=60)):  # 65 days overdue
            self.run_monitoring()
        letters = self.logs(self.customer, "letter")
        self.assertEqual(letters.level_id, self.env.ref("customer_credit.collection_level_60"))

    def test_letter_prints_the_overdue_invoices_with_their_days(self):
        self.invoice(self.customer, 50, days_ago=3, due_days=30)  # not due: not in the letter
        with freeze_time(self.today + timedelta(days=2)):
            html, _type = (
                self.env["ir.actions.report"]
                .with_user(self.credit_officer)
                ._render_qweb_html(LETTER, self.customer.ids)
            )
        html = html.decode()
        # The customer's salesperson prints it too; another salesperson or a plain user does not.
        with freeze_time(self.today + timedelta(days=2)):
            Report = self.env["ir.actions.report"]
            Report.with_user(self.credit_user)._render_qweb_html(LETTER, self.customer.ids)
        other_sales = new_test_user(
            self.env, "cc_sales_other", groups="customer_credit.group_credit_user", name="Sales Qian"
        )
        plain = new_test_user(self.env, "cc_plain", groups="base.group_user", name="Plain Zhou")
        for user in (other_sales, plain):
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                self.env["ir.actions.report"].with_user(user)._render_qweb_html(LETTER, self.customer.ids)
        self.assertIn(self.late.name, html)
        self.assertIn("900.00", html)
        self.assertRegex(html, r">\s*7\s*<")  # days overdue
        self.assertEqual(html.count("<tr>"), 3, html)  # header, one invoice, total

    def test_a_paused_customer_gets_no_letter_until_resumed(self):
        Status = self.env["customer.credit.collection"]
        with self.assertRaises(AccessError):
            Status.with_user(self.credit_officer)._set_pause(self.customer, True, "Dispute on delivery")
        with self.assertRaises(UserError):
            Status.with_user(self.credit_manager)._set_pause(self.customer, True, "  ")
        wizard = (
            self.env["customer.credit.collection.pause.wizard"]
            .with_user(self.credit_manager)
            .with_context(active_model="res.partner", active_ids=self.customer.ids)
            .create({"action": "pause", "reason": "Dispute on delivery"})
        )
        wizard.action_confirm()
        partner = self.customer.with_user(self.credit_officer)
        self.assertTrue(partner.credit_collection_paused)
        self.assertEqual(partner.credit_collection_pause_reason, "Dispute on delivery")
        self.assertEqual(self.logs(self.customer, "pause").note, "Dispute on delivery")
        # The status is written by the pause action only, whoever calls.
        status = Status.sudo().search([("partner_id", "=", self.customer.id)])  # sudo: test reads
        with self.assertRaises(UserError):
            status.with_user(self.credit_manager).sudo().write({"paused": False})  # sudo: even so
        with self.assertRaises(UserError):
            status.with_user(self.credit_manager).write({"paused": False})
        self.assertTrue(status.paused)
        with freeze_time(self.today + timedelta(days=2)):
            self.run_monitoring()
        self.assertFalse(self.logs(self.customer, "letter"))
        self.assertEqual(len(self.logs(self.other, "letter")), 1)  # the other customer is collected
        Status.with_user(self.credit_manager)._set_pause(self.customer, False, "Dispute settled")
        with freeze_time(self.today + timedelta(days=3)):
            self.run_monitoring()
        self.assertEqual(len(self.logs(self.customer, "letter")), 1)

    def test_broken_promise_raises_an_event_and_counts_in_payment_behaviour(self):
        Log = self.env["customer.credit.collection.log"].with_user(self.credit_officer)
        with self.assertRaises(ValidationError):
            Log.create({"partner_id": self.customer.id, "kind": "promise", "note": "no amount"})
        promise = Log.create(
            {
                "partner_id": self.customer.id,
                "kind": "promise",
                "promised_date": self.today + timedelta(days=5),
                "promised_amount": 500,
                "note": "电话催收，客户承诺五天内付款",
            }
        )
        kept = Log.create(
            {
                "partner_id": self.customer.id,
                "kind": "promise",
                "promised_date": self.today + timedelta(days=5),
                "promised_amount": 100,
            }
        )
        # What the monitoring decides is not the officer's to write.
        with self.assertRaises(UserError):
            promise.write({"promise_state": "kept"})
        with self.assertRaises(UserError):
            Log.create({"partner_id": self.customer.id, "kind": "pause", "note": "x"})
        with self.assertRaises(UserError):  # the system's mark, as an RPC client would set it
            Log.create({"partner_id": self.customer.id, "kind": "letter", "is_system": True})
        with freeze_time(self.today + timedelta(days=2)):
            self.pay_on(self.late, 150, self.today + timedelta(days=2))
        with freeze_time(self.today + timedelta(days=5)):  # the promised day itself: not yet decided
            self.run_monitoring()
        self.assertFalse(promise.promise_state)
        with freeze_time(self.today + timedelta(days=6)):
            self.run_monitoring()
        self.assertEqual(promise.promise_state, "broken")  # 150 paid, 500 promised
        self.assertEqual(kept.promise_state, "kept")  # 150 paid, 100 promised
        events = (
            self.env["customer.credit.event"]
            .sudo()
            .search(  # sudo: test reads
                [("partner_id", "=", self.customer.id), ("event_type", "=", "broken_promise")]
            )
        )
        self.assertEqual(len(events), 1)
        self.assertEqual(events.amount, 350)
        self.assertTrue(events.is_system)
        with self.assertRaises(UserError):
            promise.write({"note": "rewritten"})  # a settled promise is the record
        with freeze_time(self.today + timedelta(days=7)):
            self.run_monitoring()  # decided once
        self.assertEqual(
            self.env["customer.credit.event"]
            .sudo()
            .search_count(  # sudo: test reads
                [("partner_id", "=", self.customer.id), ("event_type", "=", "broken_promise")]
            ),
            1,
        )
        Indicator = self.env["customer.credit.indicator"].with_company(self.company)
        with freeze_time(self.today + timedelta(days=7)):
            figures = Indicator._figures_for(self.customer)[self.customer.id]
        self.assertEqual(figures["broken_promises"], 1)
        indicator = Indicator.sudo().new(  # sudo: test builds a scorecard line
            {"computation": "broken_promises", "kind": "computed", "full_score_value": 4, "weight": 10}
        )
        self.assertEqual(indicator._score_of(figures["broken_promises"]), 75.0)

    def test_salespeople_read_the_log_of_their_own_customers_only(self):
        Log = self.env["customer.credit.collection.log"]
        own = Log.with_user(self.credit_officer).create(
            {"partner_id": self.customer.id, "kind": "call", "note": "ok"}
        )
        other = Log.with_user(self.credit_officer).create({"partner_id": self.other.id, "kind": "visit"})
        seen = Log.with_user(self.credit_user).search([("id", "in", (own | other).ids)])
        self.assertEqual(seen, own)
        self.assertEqual(self.customer.with_user(self.credit_user).credit_collection_log_ids, own)
        with self.assertRaises(AccessError):
            Log.with_user(self.credit_user).create({"partner_id": self.customer.id, "kind": "call"})
        with self.assertRaises(AccessError):
            own.with_user(self.credit_user).write({"note": "changed"})
        with self.assertRaises(AccessError):
            other.with_user(self.credit_user).read(["note"])
        with self.assertRaises(UserError):
            own.with_user(self.credit_manager).unlink()
        # A log entry about a contact belongs to its company.
        contact = self.env["res.partner"].create({"name": "Accountant Wu", "parent_id": self.customer.id})
        log = Log.with_user(self.credit_officer).create({"partner_id": contact.id, "kind": "call"})
        self.assertEqual(log.partner_id, self.customer)

    def test_a_company_with_levels_of_its_own_uses_them(self):
        Level = self.env["customer.credit.collection.level"]
        with self.assertRaises(AccessError):
            Level.with_user(self.credit_officer).create({"name": "Own", "days_overdue": 15})
        with self.assertRaises(ValidationError):
            Level.with_user(self.credit_manager).create({"name": "Bad", "days_overdue": 0})
        own = Level.with_user(self.credit_manager).create(
            {"name": "Own reminder", "days_overdue": 15, "company_id": self.company.id, "send_letter": False}
        )
        with freeze_time(self.today + timedelta(days=2)):  # 7 days: the shared first level does not apply
            self.run_monitoring()
        self.assertFalse(self.level(self.customer))
        with freeze_time(self.today + timedelta(days=10)):  # 15 days
            self.run_monitoring()
        self.assertEqual(self.level(self.customer), own)
        self.assertFalse(self.logs(self.customer, "letter"))  # the level sends no letter
        self.assertFalse(self.letters_mailed(self.customer))
        self.assertTrue(self.collection_tasks(self.customer))  # but the salesperson follows up

    def test_the_monitoring_queues_the_letters_and_their_action_sends_them(self):
        Monitoring = self.env["customer.credit.monitoring"].sudo()  # sudo: as the cron
        cron = self.env.ref("customer_credit.ir_cron_credit_collection_letters")
        Trigger = self.env["ir.cron.trigger"].sudo()  # sudo: test reads the cron's triggers
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        with freeze_time(self.today + timedelta(days=2)):  # 7 days overdue
            Monitoring._cron_credit_monitoring()
        letter = self.logs(self.customer, "letter")
        self.assertEqual(letter.letter_state, "queued")
        self.assertFalse(self.letters_mailed(self.customer))  # not printed inside the monitoring
        self.assertGreater(Trigger.search_count([("cron_id", "=", cron.id)]), triggers)  # started at once
        with freeze_time(self.today + timedelta(days=2)):
            done, remaining = Monitoring._cron_collection_letters()  # the demo's customers' too
        self.assertGreaterEqual(done, 2)  # this customer's and the other customer's
        self.assertEqual(remaining, 0)
        self.assertEqual(letter.letter_state, "sent")
        self.assertIn("finance@huanan.example.com", letter.note)
        self.assertEqual(len(self.letters_mailed(self.customer)), 1)
        with freeze_time(self.today + timedelta(days=2)):
            self.assertEqual(Monitoring._cron_collection_letters(), (0, 0))  # sent once
        self.assertEqual(len(self.letters_mailed(self.customer)), 1)

    def test_a_queued_letter_is_not_sent_to_a_customer_who_paid_or_has_no_address(self):
        Monitoring = self.env["customer.credit.monitoring"].sudo()  # sudo: as the cron
        self.other.email = False
        with freeze_time(self.today + timedelta(days=2)):
            Monitoring._cron_credit_monitoring()
            self.pay_on(self.late, 900, self.today + timedelta(days=2))  # paid before the letter went
            Monitoring._cron_collection_letters()
        paid, no_address = self.logs(self.customer, "letter"), self.logs(self.other, "letter")
        self.assertEqual((paid.letter_state, no_address.letter_state), ("not_sent", "not_sent"))
        self.assertIn("nothing is overdue", paid.note)
        self.assertIn("no e-mail address", no_address.note)
        self.assertFalse(self.letters_mailed(self.customer) | self.letters_mailed(self.other))

    def test_the_letters_go_in_bounded_batches(self):
        Monitoring = self.env["customer.credit.monitoring"].sudo()  # sudo: as the cron
        late = self.env["res.partner"]
        for n in range(3):
            partner = self.env["res.partner"].create(
                {"name": f"Late {n}", "is_company": True, "email": f"late{n}@example.com"}
            )
            self.invoice(partner, 50, days_ago=20, due_days=5)  # 15 days overdue
            late |= partner
        Monitoring._cron_credit_monitoring()
        Log = self.env["customer.credit.collection.log"].sudo()  # sudo: test reads the queue
        queued = Log.search_count([("letter_state", "=", "queued")])
        self.assertGreaterEqual(queued, 4)  # the three, the other customer's (and the demo's)
        runs = []
        for _run in range(queued):
            runs.append(Monitoring._cron_collection_letters(batch_size=2))
            if not runs[-1][1]:
                break
        # two a batch, and what remains counted down to nothing
        self.assertTrue(all(done <= 2 for done, _remaining in runs))
        self.assertEqual([remaining for _done, remaining in runs], list(range(queued - 2, -1, -2)) or [0])
        self.assertEqual(Monitoring._cron_collection_letters(batch_size=2), (0, 0))
        self.assertEqual([len(self.letters_mailed(partner)) for partner in late], [1, 1, 1])

    def test_a_queued_letter_waits_for_nothing_that_changed_since(self):
        """Queued, then the collection paused by a credit manager, or the level no longer sending
        letters: not sent, and why. A letter that fails to print does not stop the others."""
        Monitoring = self.env["customer.credit.monitoring"].sudo()  # sudo: as the cron
        third = self.env["res.partner"].create(
            {"name": "Third customer", "is_company": True, "email": "third@example.com"}
        )
        self.invoice(third, 70, days_ago=15, due_days=5)  # the first level, as the customer's
        self.other.email = "other@example.com"
        with freeze_time(self.today + timedelta(days=2)):
            Monitoring._cron_credit_monitoring()
            self.env["customer.credit.collection"].with_user(self.credit_manager)._set_pause(
                self.customer, True, "Dispute on the delivery"
            )
            level_30 = self.logs(self.other, "letter").level_id
            level_30.send_letter = False
            template = self.env.ref("customer_credit.mail_template_collection_letter")
            send_mail = type(template).send_mail

            def failing(template, res_id, **kwargs):
                if res_id == third.id:
                    raise ValueError("the printer is on fire")
                return send_mail(template, res_id, **kwargs)

            with (
                patch.object(type(template), "send_mail", failing),
                mute_logger("odoo.addons.customer_credit.models.customer_credit_monitoring"),
            ):
                Monitoring._cron_collection_letters()
        paused, level_off, failed = (self.logs(p, "letter") for p in (self.customer, self.other, third))
        self.assertEqual({paused.letter_state, level_off.letter_state, failed.letter_state}, {"not_sent"})
        self.assertIn("paused", paused.note)
        self.assertIn("no letter any more", level_off.note)
        self.assertIn("the printer is on fire", failed.note)
        self.assertFalse(self.letters_mailed(self.customer) | self.letters_mailed(self.other))

    def test_the_letter_status_is_the_monitorings_to_write(self):
        Log = self.env["customer.credit.collection.log"].with_user(self.credit_officer)
        with freeze_time(self.today + timedelta(days=2)):
            self.env["customer.credit.monitoring"].sudo()._cron_credit_monitoring()  # sudo: as the cron
        letter = self.logs(self.customer, "letter").with_user(self.credit_officer)
        # An officer does not mark a queued letter as sent (nor change its note), nor queue one.
        with self.assertRaises(UserError):
            letter.write({"letter_state": "sent"})
        with self.assertRaises(UserError):
            letter.write({"note": "Sent by hand."})
        with self.assertRaises(UserError):
            Log.create({"partner_id": self.customer.id, "kind": "letter", "letter_state": "queued"})
        self.assertEqual(letter.letter_state, "queued")
        # Nor through the context's defaults, which Odoo applies after the checks of the values.
        forged = Log.with_context(
            default_letter_state="queued",
            default_is_system=True,
            default_level_id=self.env.ref("customer_credit.collection_level_60").id,
        ).create({"partner_id": self.customer.id, "kind": "letter", "note": "Final demand"})
        self.assertFalse(forged.letter_state or forged.is_system or forged.level_id)
        Default = self.env["ir.default"].with_user(self.credit_officer)
        Default.set("customer.credit.collection.log", "is_system", True, user_id=True)
        Default.set("customer.credit.collection.log", "letter_state", "queued", user_id=True)
        forged = Log.create({"partner_id": self.customer.id, "kind": "call", "note": "x"})
        self.assertFalse(forged.letter_state or forged.is_system)
        # Beside it, what the officer may: record a letter of their own, without a status.
        own = Log.create({"partner_id": self.customer.id, "kind": "letter", "note": "Posted by hand."})
        self.assertFalse(own.letter_state)
        # and find the letters still to send.
        queued = Log.search([("letter_state", "=", "queued"), ("partner_id", "=", self.customer.id)])
        self.assertEqual(queued, letter)

    def test_letter_prints_as_pdf(self):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.credit_officer)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(LETTER, self.customer.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_bounded_batches_resume_where_they_stopped(self):
        late = self.env["res.partner"]
        for n in range(3):
            partner = self.env["res.partner"].create({"name": f"Late {n}", "is_company": True})
            self.invoice(partner, 50, days_ago=20, due_days=5)  # 15 days overdue
            late |= partner
        Monitoring = self.env["customer.credit.monitoring"].sudo()  # sudo: as the cron
        runs = []
        for _run in range(10):
            done, remaining = Monitoring._credit_monitor_collection(self.company, batch_size=1)
            runs.append(done)
            if not remaining:
                break
        self.assertTrue(all(done <= 1 for done in runs))
        self.assertEqual([len(self.logs(partner, "letter")) for partner in late], [1, 1, 1])
        self.assertEqual(Monitoring._credit_monitor_collection(self.company, batch_size=1), (0, 0))

    def test_salespeople_see_their_customers_log_through_every_read_path(self):
        Log = self.env["customer.credit.collection.log"].with_user(self.credit_officer)
        own = Log.create({"partner_id": self.customer.id, "kind": "call", "note": "own"})
        Log.create({"partner_id": self.other.id, "kind": "call", "note": "other"})
        Sales = self.env["customer.credit.collection.log"].with_user(self.credit_user)
        groups = Sales.read_group([], ["partner_id"], ["partner_id"])
        self.assertEqual([group["partner_id"][0] for group in groups], [self.customer.id])
        records = Sales.web_search_read([], {"note": {}})["records"]
        self.assertEqual([record["id"] for record in records], own.ids)
        self.assertFalse(
            self.env["res.partner"]
            .with_user(self.credit_user)
            .search(
                [("id", "=", self.other.id), ("credit_collection_log_ids", "any", [("note", "=", "other")])]
            )
        )
