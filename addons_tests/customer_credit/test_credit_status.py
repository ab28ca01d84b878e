import importlib.util
import os
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.modules.module import get_module_path
from odoo.tests import new_test_user

from .credit_common import CreditCase

WARNING = "customer_credit.mail_activity_type_credit_warning"
HOLD = "customer_credit.mail_activity_type_credit_hold"
COLLECTION = "customer_credit.mail_activity_type_credit_collection"
REVIEW = "customer_credit.mail_activity_type_credit_review"
CREDIT_TYPES = (WARNING, HOLD, COLLECTION, REVIEW)


class TestCreditStatusIsTheCreditReaders(CreditCase):
    """What the credit department tells about a customer (utilisation warnings with the exposure,
    hold reasons, collection tasks, reminder letters with their PDF) is filed on the customer's
    credit status, read by those who see its credit: its salesperson, the credit department, the
    general management. Every salesperson reads every customer, and Odoo lets whoever reads a
    record read, search and group its activities and messages: on the customer, all of it leaked
    to any salesperson over RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"credit_hold_overdue_days": 30, "credit_warning_threshold": 80})
        cls.customer.write({"email": "finance@huanan.example.com", "user_id": cls.credit_user.id})
        cls.customer.with_user(cls.credit_manager)._apply_credit_decision(1000, 30, reason="Initial limit")
        cls.invoice(cls.customer, 900, days_ago=80, due_days=30)  # 50 days overdue, 90% of the limit
        cls.other_sales = new_test_user(
            cls.env,
            "cs_other_sales",
            groups="sales_team.group_sale_salesman,customer_credit.group_credit_user,base.group_allow_export",
            name="Sales Qian",
        )
        cls.own = cls.env["res.partner"].create(
            {"name": "Qian's customer", "is_company": True, "user_id": cls.other_sales.id}
        )
        cls.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:1")  # sudo: a setting
        Monitoring = cls.env["customer.credit.monitoring"].sudo()  # sudo: as the scheduled actions
        Monitoring._cron_credit_monitoring()
        Monitoring._cron_collection_letters()
        cls.status = (
            cls.env["customer.credit.collection"].sudo().search([("partner_id", "=", cls.customer.id)])
        )

    def test_the_monitoring_files_its_activities_and_letter_on_the_status(self):
        self.assertEqual(len(self.status), 1)
        for xmlid in (WARNING, HOLD, COLLECTION):
            with self.subTest(xmlid):
                activities = self.credit_activities(self.customer, xmlid)
                self.assertTrue(activities)
                self.assertEqual(set(activities.mapped("res_id")), {self.status.id})
        Activity = self.env["mail.activity"].sudo()  # sudo: every activity, as stored
        self.assertFalse(
            Activity.search_count(
                [
                    ("res_model", "=", "res.partner"),
                    ("activity_type_id", "in", [self.env.ref(x).id for x in CREDIT_TYPES]),
                ]
            )
        )
        letter = self.letter_message()
        self.assertTrue(letter.attachment_ids)
        # The customer's thread has no letter.
        self.assertFalse(
            self.env["mail.message"]
            .sudo()  # sudo: every message, as stored
            .search(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "=", self.customer.id),
                    ("subject", "ilike", "reminder"),
                ]
            )
        )

    def letter_message(self):
        return (
            self.env["mail.message"]
            .sudo()  # sudo: every message, as stored
            .search([("model", "=", "customer.credit.collection"), ("res_id", "=", self.status.id)])
            .filtered("attachment_ids")
        )

    def test_another_salesperson_learns_nothing_over_rpc(self):
        user = self.other_sales
        Activity = self.env["mail.activity"].with_user(user)
        type_ids = [self.env.ref(x).id for x in CREDIT_TYPES]
        # The activities, searched, read, counted and grouped.
        self.assertFalse(Activity.search_read([("activity_type_id", "in", type_ids)], ["note", "summary"]))
        self.assertEqual(Activity.search_count([("note", "ilike", "900")]), 0)
        groups = Activity.read_group([], ["activity_type_id"], ["activity_type_id"])
        self.assertFalse({g["activity_type_id"][0] for g in groups if g["activity_type_id"]} & set(type_ids))
        with self.assertRaises(AccessError):
            self.credit_activities(self.customer, WARNING).with_user(user).read(["note"])
        # Through the customer, which the salesperson reads: nothing of the credit department's.
        Partner = self.env["res.partner"].with_user(user)
        [row] = Partner.browse(self.customer.id).web_read(
            {
                "activity_ids": {"fields": {"summary": {}, "note": {}}},
                "activity_summary": {},
                "activity_type_id": {"fields": {"display_name": {}}},
                "message_ids": {"fields": {"body": {}, "attachment_ids": {"fields": {"name": {}}}}},
            }
        )
        self.assertFalse(row["activity_ids"])
        self.assertFalse(row["activity_summary"])
        self.assertFalse(row["activity_type_id"])
        self.assertFalse([m for m in row["message_ids"] if m["attachment_ids"]])
        for domain in (
            [("activity_ids.note", "ilike", "900")],
            [("activity_ids.activity_type_id", "in", type_ids)],
            [("activity_summary", "ilike", "warning")],
            [("activity_type_id", "in", type_ids)],
        ):
            with self.subTest(domain=domain):
                self.assertFalse(Partner.search_count([*domain, ("id", "=", self.customer.id)]))
        # The status itself, its messages and the letter's file.
        Status = self.env["customer.credit.collection"].with_user(user)
        self.assertFalse(Status.search([("partner_id", "=", self.customer.id)]))
        self.assertFalse(Status.search_count([("activity_ids.note", "ilike", "900")]))
        with self.assertRaises(AccessError):
            Status.browse(self.status.id).read(["level_id", "pause_reason"])
        with self.assertRaises(AccessError):
            Status.browse(self.status.id).message_post(body="Hello")
        Message = self.env["mail.message"].with_user(user)
        self.assertFalse(Message.search([("model", "=", "customer.credit.collection")]))
        letter = self.letter_message()
        with self.assertRaises(AccessError):
            letter.attachment_ids.with_user(user).read(["datas"])
        self.assertFalse(
            self.env["ir.attachment"].with_user(user).search([("id", "in", letter.attachment_ids.ids)])
        )
        with self.assertRaises(AccessError):
            letter.attachment_ids.with_user(user).generate_access_token()
        self.assertEqual(letter.attachment_ids.sudo().mapped("access_token"), [False])  # sudo: as stored

    def test_the_customers_salesperson_reads_acts_and_is_answered_on_the_status(self):
        user = self.credit_user
        Status = self.env["customer.credit.collection"].with_user(user)
        self.assertEqual(Status.search([]), self.status)  # its own customers' only
        action = self.customer.with_user(user).action_view_credit_status()
        self.assertEqual(action["res_id"], self.status.id)
        warning = self.credit_activities(self.customer, WARNING).filtered(lambda a: a.user_id == user)
        [row] = Status.browse(self.status.id).web_read(
            {"level_id": {"fields": {"display_name": {}}}, "activity_ids": {"fields": {"note": {}}}}
        )
        self.assertIn(warning.id, [a["id"] for a in row["activity_ids"]])
        self.assertIn("900", str(warning.with_user(user).note))
        # Done: Odoo's message goes on the status, not on the customer.
        warning.with_user(user).action_feedback(feedback="Called the customer")
        done = (
            self.env["mail.message"]
            .sudo()
            .search(  # sudo: every message, as stored
                [("mail_activity_type_id", "=", self.env.ref(WARNING).id)]
            )
        )
        self.assertEqual((done.model, done.res_id), ("customer.credit.collection", self.status.id))
        # The letter and its file.
        letter = self.letter_message()
        self.assertTrue(letter.with_user(user).read(["body"]))
        self.assertTrue(letter.attachment_ids.with_user(user).read(["raw"])[0]["raw"])
        # A note of the salesperson's on the status.
        Status.browse(self.status.id).message_post(body="Promised to pay on Friday", message_type="comment")
        # The credit department reads every status; the other salesperson's customer has none yet.
        Officer = self.env["customer.credit.collection"].with_user(self.credit_officer)
        self.assertIn(self.status, Officer.search([]))
        self.assertFalse(Officer.search([("partner_id", "=", self.own.id)]))

    def test_the_statuss_fields_stay_the_workflows(self):
        for user in (self.credit_user, self.credit_officer):
            status = self.status.with_user(user)
            with self.subTest(user=user.login), self.assertRaises(UserError):
                status.write({"paused": True})
            with self.subTest(user=user.login), self.assertRaises(UserError):
                status.create({"partner_id": self.own.id, "company_id": self.company.id})
        self.assertFalse(self.status.paused)
        self.assertFalse(self.status.search([("partner_id", "=", self.own.id)]))

    def test_a_review_goes_on_the_status_too(self):
        evaluation = (
            self.env["customer.credit.evaluation"]
            .with_user(self.credit_officer)
            .create(
                {
                    "partner_id": self.customer.id,
                    "scorecard_id": self.scorecard.id,
                    "risk_plan": "plan",
                    "risk_plan_review_date": self.today,
                }
            )
        )
        evaluation.action_submit()
        evaluation.with_user(self.credit_manager).action_approve()
        months = evaluation.grade_id.review_interval_months
        Monitoring = self.env["customer.credit.monitoring"].sudo()  # sudo: as the scheduled action
        with freeze_time(self.today + timedelta(days=31 * months + 1)):
            Monitoring._credit_monitor_reviews(self.company, 100)
        reviews = self.credit_activities(self.customer, REVIEW)
        self.assertTrue(reviews)
        self.assertEqual(set(reviews.mapped("res_model")), {"customer.credit.collection"})
        self.assertFalse(
            self.env["mail.activity"].with_user(self.other_sales).search([("id", "in", reviews.ids)])
        )


class TestCreditStatusMigration(CreditCase):
    """The upgrade to 18.0.1.6.0 moves what the credit department told on customers to their
    credit status: open activities, the messages of those done, the reminder letters."""

    def test_activities_done_messages_and_letters_move(self):
        path = os.path.join(get_module_path("customer_credit"), "migrations/18.0.1.6.0/post-credit_status.py")
        spec = importlib.util.spec_from_file_location("post_credit_status", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        self.customer.user_id = self.credit_user
        partner_model = self.env["ir.model"]._get_id("res.partner")
        Activity = self.env["mail.activity"].sudo()  # sudo: as the old monitoring made them
        old = Activity.with_context(mail_activity_quick_update=True).create(
            {
                "activity_type_id": self.env.ref(WARNING).id,
                "res_model_id": partner_model,
                "res_id": self.customer.id,
                "user_id": self.credit_user.id,
                "summary": "Credit utilisation warning",
                "note": "Credit used: 900 of 1,000.",
            }
        )
        done = self.customer.sudo().message_post(  # sudo: as Odoo posted it when done
            body="Credit used: 900 of 1,000.", mail_activity_type_id=self.env.ref(HOLD).id
        )
        # As a mail template e-mailed it: the PDF is the message's.
        letter = self.customer.sudo().message_post(
            body="Payment reminder"
        )  # sudo: as the letter was e-mailed
        letter.attachment_ids = self.env["ir.attachment"].create(
            {
                "name": "Payment reminder - 华南电子.pdf",
                "raw": b"%PDF-1.4 letter",
                "res_model": "mail.message",
                "res_id": letter.id,
            }
        )
        other = self.customer.sudo().message_post(body="Visited the customer")  # sudo: a plain note
        moved = migration.move_to_credit_status(self.env)
        self.assertEqual(moved, 3)
        Status = self.env["customer.credit.collection"].sudo()  # sudo: the statuses, as stored
        # The activity in its assignee's company; the messages in the customer's (none: the main one).
        status = Status.search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", self.credit_user.company_id.id)]
        )
        self.assertEqual((old.res_model, old.res_id), ("customer.credit.collection", status.id))
        status = Status.search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", self.env.ref("base.main_company").id)]
        )
        for message in done | letter:
            self.assertEqual((message.model, message.res_id), ("customer.credit.collection", status.id))
        self.assertEqual(letter.attachment_ids.res_model, "mail.message")
        self.assertEqual((other.model, other.res_id), ("res.partner", self.customer.id))
        self.assertEqual(migration.move_to_credit_status(self.env), 0)  # once
        for xmlid in CREDIT_TYPES:
            self.assertEqual(self.env.ref(xmlid).res_model, "customer.credit.collection")
