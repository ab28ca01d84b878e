import importlib.util
import os
import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.modules.module import get_module_path
from odoo.tests import new_test_user

from .credit_common import CreditCase

WARNING = "customer_credit.mail_activity_type_credit_warning"
HOLD = "customer_credit.mail_activity_type_credit_hold"
COLLECTION = "customer_credit.mail_activity_type_credit_collection"
REVIEW = "customer_credit.mail_activity_type_credit_review"
CREDIT_TYPES = (WARNING, HOLD, COLLECTION, REVIEW)


class StatusCase(CreditCase):
    """A customer of a salesperson (``credit_user``) warned, held and in collection by the
    monitoring, its letter sent; another salesperson with a customer of their own."""

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
            # Contact creation too, as the demo's salespeople: they make and edit contacts.
            groups="sales_team.group_sale_salesman,customer_credit.group_credit_user,base.group_allow_export,"
            "base.group_partner_manager",
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

    def letter_message(self):
        return (
            self.env["mail.message"]
            .sudo()  # sudo: every message, as stored
            .search([("model", "=", "customer.credit.collection"), ("res_id", "=", self.status.id)])
            .filtered("attachment_ids")
        )


class TestCreditStatusIsTheCreditReaders(StatusCase):
    """What the credit department tells about a customer (utilisation warnings with the exposure,
    hold reasons, collection tasks, reminder letters with their PDF) is filed on the customer's
    credit status, read by those who see its credit: its salesperson, the credit department, the
    general management. Every salesperson reads every customer, and Odoo lets whoever reads a
    record read, search and group its activities and messages: on the customer, all of it leaked
    to any salesperson over RPC."""

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
        held = self.customer.sudo()._message_log(body="<p>冻结信用</p>")  # sudo: as the 1.5 hold noted it
        # The tracking of the hold, as 1.5 made it (its value hidden, the message not).
        hold_field = self.env["ir.model.fields"]._get("res.partner", "credit_on_hold")
        tracked = self.customer.sudo()._message_log(  # sudo: as Odoo tracked it
            body="",
            tracking_value_ids=[
                (0, 0, {"field_id": hold_field.id, "old_value_integer": 0, "new_value_integer": 1})
            ],
        )
        moved = migration.move_to_credit_status(self.env)
        self.assertGreaterEqual(moved, 5)  # and what a database with the earlier demo had
        self.assertEqual(held.model, "customer.credit.collection")
        self.assertEqual(tracked.model, "customer.credit.collection")
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


class TestNothingLeaksAroundTheStatus(StatusCase):
    """The second attack on the credit status: Odoo's own paths around a record one may not read
    (a template's report printed as superuser in the composer, a search's limit applied before
    the access filter, an activity moved onto another record, followers, model-less e-mails)."""

    def test_the_composer_prints_no_letter_of_another_salespersons_customer(self):
        template = self.env.ref("customer_credit.mail_template_collection_letter")
        values = {
            "model": "res.partner",
            "res_ids": self.customer.ids,
            "template_id": template.id,
            "composition_mode": "comment",
        }
        plain = new_test_user(self.env, "cs_plain", groups="base.group_user", name="Plain Zhou")
        # A copy of the letter's template (the letter's own is refused in the composer, below):
        # Odoo prints its PDF as superuser, for the user composing.
        copied = template.sudo().copy()  # sudo: as a template editor made it
        for user in (self.other_sales, plain):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["mail.compose.message"].with_user(user).create(
                    dict(values, template_id=copied.id)
                ).attachment_ids.read(["raw"])
        # A template made to print the credit department's customer report, as superuser.
        crafted = template.sudo().copy(  # sudo: as a template editor made it
            {
                "report_template_ids": [
                    (6, 0, self.env.ref("customer_credit.action_report_credit_customer").ids)
                ]
            }
        )
        with self.assertRaises(AccessError):
            self.env["mail.compose.message"].with_user(self.credit_user).create(
                dict(values, template_id=crafted.id)
            ).attachment_ids.read(["raw"])
        # Nobody composes it on the customer, whose chatter every salesperson reads; the
        # customer's salesperson sends it by the template, filed on the credit status.
        with self.assertRaises(UserError):
            self.env["mail.compose.message"].with_user(self.credit_user).create(values)
        mails = (
            self.env["mail.mail"]
            .sudo()
            .browse(  # sudo: the mail queue
                template.with_user(self.credit_user).send_mail(self.customer.id)
            )
        )
        self.assertEqual((mails.model, mails.res_id), ("customer.credit.collection", self.status.id))
        self.assertTrue(mails.attachment_ids)
        # A file linked by id goes out by e-mail only to who reads it; an e-mail is filed only
        # where its sender may post.
        letter = self.letter_message().attachment_ids[:1]
        invite = self.env["mail.template"].create(
            {
                "name": "Hello",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "body_html": "<p>Hi</p>",
            }
        )
        for email_values in (
            {"attachment_ids": [(4, letter.id)], "email_to": "someone@example.com"},
            {"model": self.status._name, "res_id": self.status.id},
        ):
            with self.subTest(email_values=list(email_values)), self.assertRaises(AccessError):
                invite.with_user(self.other_sales).send_mail(self.own.id, email_values=email_values)

    def test_a_limited_search_tells_nothing_of_hidden_activities_and_digests(self):
        user = self.other_sales
        hidden = self.credit_activities(self.customer, WARNING)[:1]
        mine = self.own.with_user(user).activity_schedule(
            "mail.mail_activity_data_todo", summary="Call", user_id=user.id
        )
        self.assertGreater(mine.id, hidden.id)
        Activity = self.env["mail.activity"].with_user(user)
        found = Activity.search(["|", ("id", "=", mine.id), ("id", "=", hidden.id)], limit=1, order="id")
        self.assertEqual(found, mine)  # not empty: the hidden one was not taken then dropped
        # The digests are e-mails of no record, to their recipient only.
        digest = (
            self.env["mail.message"]
            .sudo()  # sudo: every message, as stored
            .search(
                [("model", "=", False), ("partner_ids", "in", self.credit_manager.partner_id.ids)], limit=1
            )
        )
        self.assertTrue(digest)
        note = self.own.with_user(user).message_post(body="Visited", message_type="comment")
        self.assertGreater(note.id, digest.id)
        Message = self.env["mail.message"].with_user(user)
        found = Message.search(["|", ("id", "=", note.id), ("id", "=", digest.id)], limit=1, order="id")
        self.assertEqual(found, note)
        self.assertTrue(Message.with_user(self.credit_manager).search([("id", "=", digest.id)]))
        # Nor who was told of it.
        Notification = self.env["mail.notification"]
        self.assertFalse(Notification.with_user(user).search([("mail_message_id", "=", digest.id)]))
        self.assertTrue(
            Notification.with_user(self.credit_manager).search([("mail_message_id", "=", digest.id)])
        )

    def test_an_activity_moves_only_where_its_user_may_post(self):
        user = self.other_sales
        mine = self.own.with_user(user).activity_schedule(
            "mail.mail_activity_data_todo", summary="Call", user_id=user.id
        )
        with self.assertRaises(AccessError):
            mine.with_user(user).write(
                {"res_model_id": self.env["ir.model"]._get_id(self.status._name), "res_id": self.status.id}
            )
        self.assertEqual((mine.res_model, mine.res_id), ("res.partner", self.own.id))
        # The holder of a credit warning does not move or copy it onto the customer.
        warning = self.credit_activities(self.customer, WARNING).filtered(
            lambda a: a.user_id == self.credit_user
        )
        partner_model = self.env["ir.model"]._get_id("res.partner")
        with self.assertRaises(UserError):
            warning.with_user(self.credit_user).write(
                {"res_model_id": partner_model, "res_id": self.customer.id}
            )
        with self.assertRaises(UserError):
            warning.with_user(self.credit_user).copy(
                {"res_model_id": partner_model, "res_id": self.customer.id}
            )
        self.assertEqual(warning.res_model, "customer.credit.collection")
        # Moving one's own activity between one's own records passes.
        other_own = self.env["res.partner"].create({"name": "Qian's second", "user_id": user.id})
        mine.with_user(user).write({"res_id": other_own.id})
        self.assertEqual(mine.res_id, other_own.id)

    def test_followers_of_a_status_are_its_readers(self):
        Followers = self.env["mail.followers"]
        domain = [("res_model", "=", "customer.credit.collection"), ("res_id", "=", self.status.id)]
        self.assertTrue(Followers.sudo().search(domain))  # sudo: as stored
        self.assertFalse(Followers.with_user(self.other_sales).search(domain))
        self.assertTrue(Followers.with_user(self.credit_user).search(domain))

    def test_detaching_a_contact_tells_nothing_of_credit_control(self):
        loose = self.env["res.partner"].create(
            {"name": "未管控客户", "is_company": True, "user_id": self.credit_user.id}
        )
        messages = []
        for customer in (self.customer, loose):
            probe = (
                self.env["res.partner"]
                .with_user(self.other_sales)
                .create({"name": "probe", "parent_id": customer.id})
            )
            with self.subTest(customer=customer.name), self.assertRaises(AccessError) as refused:
                probe.write({"parent_id": False})
            messages.append(str(refused.exception).replace(customer.name, "X"))
            self.assertEqual(probe.parent_id, customer)
        self.assertEqual(messages[0], messages[1])
        # The customer's own salesperson detaches from their uncontrolled customer.
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": loose.id})
        contact.with_user(self.credit_user).write({"parent_id": False})
        self.assertFalse(contact.parent_id)


class TestTheCustomerTellsNothingOfItsCredit(StatusCase):
    """The third attack: a manual hold tracked on the customer, the credit notes of orders found
    by a limited search, and placing or merging companies under another's customer."""

    def test_a_managers_hold_leaves_nothing_on_the_customer(self):
        Message = self.env["mail.message"].sudo()  # sudo: every message, as stored
        domain = [("model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        before = Message.search(domain)
        self.customer.with_user(self.credit_manager)._credit_set_hold(False, "Paid up")
        self.customer.with_user(self.credit_manager)._credit_set_hold(True, "SECRET talks")
        self.assertEqual(Message.search(domain), before)
        noted = Message.search([("model", "=", self.status._name), ("res_id", "=", self.status.id)])
        self.assertIn("Credit hold lifted", " ".join(noted.mapped("body")))

    def test_a_limited_search_tells_nothing_of_an_orders_hidden_messages(self):
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "user_id": self.credit_user.id, "order_line": []}
        )
        hidden = order.sudo().message_post(body="Credit hold refused: 100,000 overdue")  # sudo: as noted
        visible = self.own.with_user(self.other_sales).message_post(body="Visited", message_type="comment")
        Message = self.env["mail.message"].with_user(self.other_sales)
        for guess in ("100,000", "999,999"):
            with self.subTest(guess=guess):
                found = Message.search(
                    ["|", ("id", "=", visible.id), "&", ("id", "=", hidden.id), ("body", "ilike", guess)],
                    limit=1,
                    order="id",
                )
                self.assertEqual(found, visible)
        self.assertTrue(Message.with_user(self.credit_user).search([("id", "=", hidden.id)]))

    def test_companies_placed_or_merged_under_anothers_customer_refuse_alike(self):
        loose = self.env["res.partner"].create(
            {"name": "未管控客户", "is_company": True, "user_id": self.credit_user.id}
        )
        Partner = self.env["res.partner"].with_user(self.other_sales)
        messages = []
        for customer in (self.customer, loose):
            with self.subTest(customer=customer.name), self.assertRaises(AccessError) as refused:
                Partner.create({"name": "探针公司", "is_company": True, "parent_id": customer.id})
            messages.append(str(refused.exception).replace(customer.name, "X"))
        self.assertEqual(messages[0], messages[1])
        self.assertNotIn("credit control", messages[0])
        # A merge out of another's customer, controlled or not.
        self.other_sales.groups_id = [(4, self.env.ref("base.group_partner_manager").id)]
        messages = []
        for customer in (self.customer, loose):
            contact = self.env["res.partner"].create(
                {"name": "采购", "parent_id": customer.id, "email": f"buy{customer.id}@example.com"}
            )
            mine = self.env["res.partner"].create(
                {
                    "name": "采购 副本",
                    "email": f"buy{customer.id}@example.com",
                    "user_id": self.other_sales.id,
                }
            )
            wizard = (
                self.env["base.partner.merge.automatic.wizard"]
                .with_user(self.other_sales)
                .create({"partner_ids": [(6, 0, (contact | mine).ids)], "dst_partner_id": mine.id})
            )
            with self.subTest(customer=customer.name), self.assertRaises(AccessError) as refused:
                wizard.action_merge()
            messages.append(str(refused.exception).replace(customer.name, "X").replace(str(customer.id), "N"))
            self.assertTrue(contact.exists())
        self.assertEqual(messages[0], messages[1])
        # Their own customer takes a company.
        Partner.create({"name": "子公司", "is_company": True, "parent_id": self.own.id})


class TestFormsTellNothing(StatusCase):
    """The fourth attack: a form's answer (onchange) is given whatever the model's access rights
    and computes as superuser, and refusals that told whether another salesperson's customer is
    under credit control."""

    def test_a_forms_answer_tells_no_credit_of_anothers_customer(self):
        user = self.other_sales
        plain = new_test_user(self.env, "cs_plain4", groups="base.group_user", name="Plain Wu")
        spec = {"partner_id": {}, "current_limit": {}, "current_term_days": {}}
        Wizard = self.env["customer.credit.limit.change.wizard"]
        for reader in (user, plain):
            with self.subTest(user=reader.login):
                # a form of a model one may not read is not answered at all
                with self.assertRaises(AccessError):
                    Wizard.with_user(reader).onchange({"partner_id": self.customer.id}, ["partner_id"], spec)
                with self.assertRaises(AccessError):
                    self.env["customer.credit.evaluation"].with_user(reader).onchange(
                        {"partner_id": self.customer.id, "proposed_credit_limit": 1000},
                        ["proposed_credit_limit"],
                        {"proposal_summary": {}},
                    )
        officer = Wizard.with_user(self.credit_officer).onchange(
            {"partner_id": self.customer.id}, ["partner_id"], spec
        )
        self.assertEqual(officer["value"]["current_limit"], 1000)
        # Putting oneself in as salesperson in the form does not open the credit.
        customer = self.customer.with_user(user)
        value = customer.onchange(
            {"user_id": user.id, "credit_term_days": 0},
            ["credit_term_days"],
            {"credit_on_hold_shown": {}, "credit_term_days_shown": {}},
        )["value"]
        self.assertFalse(value.get("credit_on_hold_shown"))
        self.assertFalse(value.get("credit_term_days_shown"))
        # An invoice's partner credit is the accounting's: not for a salesperson (who makes
        # invoices of their orders); no invoice form at all for who may not read invoices.
        value = (
            self.env["account.move"]
            .with_user(user)
            .onchange(
                {"move_type": "out_invoice", "partner_id": self.customer.id},
                ["partner_id"],
                {"partner_credit": {}},
            )["value"]
        )
        self.assertFalse(value.get("partner_credit"))
        with self.assertRaises(AccessError):
            self.env["account.move"].with_user(plain).onchange(
                {"move_type": "out_invoice", "partner_id": self.customer.id},
                ["partner_id"],
                {"partner_credit": {}},
            )
        # The name of a record by its id: no form names a record its user may not read.
        with self.assertRaises(AccessError):
            self.env["mail.activity"].with_user(plain).onchange(
                {"res_model": self.status._name, "res_id": self.status.id}, ["res_id"], {"res_name": {}}
            )
        value = (
            self.env["mail.compose.message"]
            .with_user(plain)
            .onchange(
                {"model": self.status._name, "res_ids": f"[{self.status.id}]", "composition_mode": "comment"},
                [],
                {"record_name": {}, "subject": {}},
            )["value"]
        )
        self.assertFalse(value.get("record_name"))
        # Nor in the default subject (the record's name too), for a hold with its order and customer.
        self.assertFalse(value.get("subject"))

    def test_odoos_credit_warning_of_an_order_is_for_who_sees_the_credit(self):
        self.company.account_use_credit_limit = True
        values = {
            "partner_id": self.customer.id,
            "order_line": [
                (0, "v1", {"product_id": self.product_a.id, "product_uom_qty": 1, "price_unit": 1e6})
            ],
        }
        spec = {"partner_credit_warning": {}, "order_line": {"fields": {"price_unit": {}}}}
        Order = self.env["sale.order"]
        mine = Order.with_user(self.credit_user).onchange(values, ["partner_id", "order_line"], spec)["value"]
        theirs = Order.with_user(self.other_sales).onchange(values, ["partner_id", "order_line"], spec)[
            "value"
        ]
        self.assertTrue(mine.get("partner_credit_warning"))
        self.assertFalse(theirs.get("partner_credit_warning"))

    def test_refusals_about_anothers_customer_are_alike(self):
        loose = self.env["res.partner"].create(
            {"name": "未管控客户", "is_company": True, "user_id": self.credit_user.id}
        )
        Order = self.env["sale.order"].with_user(self.other_sales)
        messages = []
        for customer in (self.customer, loose):
            with self.subTest(customer=customer.name), self.assertRaises(UserError) as refused:
                Order.create(
                    {
                        "partner_id": customer.id,
                        "partner_invoice_id": self.own.id,
                        "user_id": self.other_sales.id,
                    }
                )
            messages.append(str(refused.exception).split(":", 1)[1])
        self.assertEqual(messages[0], messages[1])
        self.assertNotIn("credit control", messages[0])
        # Another salesperson's customer is not moved under one's own company, decision or not.
        for customer in (self.customer, loose):
            with self.subTest(customer=customer.name), self.assertRaises(AccessError):
                customer.with_user(self.other_sales).write({"parent_id": self.own.id})
            self.assertFalse(customer.parent_id)
        # The letter is not sent for another's customer, and no status is made for it.
        Status = self.env["customer.credit.collection"].sudo()  # sudo: the statuses, as stored
        before = Status.search_count([])
        template = self.env.ref("customer_credit.mail_template_collection_letter")
        with self.assertRaises(AccessError):
            template.with_user(self.other_sales).send_mail(loose.id)
        self.assertEqual(Status.search_count([]), before)

    def test_the_same_refusals_through_contacts_an_import_and_a_payers_change(self):
        """The other paths to the rules above, alike for another salesperson's customer controlled
        or not: ``child_ids`` commands on either side, an import (``load``) and the payer changed
        by an order's ``write``; each beside the same path on one's own customer."""
        loose = self.env["res.partner"].create(
            {"name": "未管控客户", "is_company": True, "user_id": self.credit_user.id}
        )
        rpc = self.rpc_env(self.other_sales)  # child_ids commands are checked as the request's user
        Partner = rpc["res.partner"]

        def refused_alike(refuse, error=AccessError):
            messages = []
            for customer in (self.customer, loose):
                with self.subTest(customer=customer.name), self.assertRaises(error) as refused:
                    refuse(customer)
                message = str(refused.exception).replace(customer.name, "X").replace(str(customer.id), "N")
                messages.append(re.sub(r"\bS\d+\b", "S", message))
            self.assertEqual(messages[0], messages[1])
            self.assertNotIn("credit control", messages[0])

        # A company placed under another's customer by a command on its contacts...
        refused_alike(
            lambda customer: customer.with_env(rpc).write(
                {"child_ids": [Command.create({"name": "探针公司", "is_company": True})]}
            )
        )
        self.assertFalse((self.customer | loose).child_ids.filtered("is_company"))
        # ... and one of its contacts taken under one's own company.
        contacts = {
            customer: self.env["res.partner"].create({"name": "采购", "parent_id": customer.id})
            for customer in (self.customer, loose)
        }
        refused_alike(
            lambda customer: self.own.with_env(rpc).write(
                {"child_ids": [Command.link(contacts[customer].id)]}
            )
        )
        self.assertEqual([contacts[c].parent_id for c in contacts], list(contacts))
        # An import of a company under it: no row imported, the same messages.
        messages = []
        for customer in (self.customer, loose):
            result = Partner.load(
                ["name", "is_company", "parent_id/.id"], [["探针公司", "1", str(customer.id)]]
            )
            self.assertFalse(result["ids"])
            messages.append(
                [message["message"].replace(customer.name, "X") for message in result["messages"]]
            )
        self.assertTrue(messages[0])
        self.assertEqual(messages[0], messages[1])
        self.assertFalse(Partner.search([("name", "=", "探针公司")]))
        # A quotation for another's customer, then invoiced to one's own customer.
        orders = {
            customer: rpc["sale.order"].create({"partner_id": customer.id, "user_id": self.other_sales.id})
            for customer in (self.customer, loose)
        }
        refused_alike(lambda customer: orders[customer].write({"partner_invoice_id": self.own.id}), UserError)
        self.assertEqual([orders[c].partner_invoice_id for c in orders], list(orders))
        # One's own customer: each path goes through.
        self.own.with_env(rpc).write({"child_ids": [Command.create({"name": "子公司", "is_company": True})]})
        result = Partner.load(["name", "is_company", "parent_id/.id"], [["分公司", "1", str(self.own.id)]])
        self.assertEqual(len(result["ids"]), 1, result["messages"])
        mine = Partner.create(
            {"name": "Qian's second customer", "is_company": True, "user_id": self.other_sales.id}
        )
        order = rpc["sale.order"].create({"partner_id": self.own.id, "user_id": self.other_sales.id})
        order.write({"partner_id": mine.id, "partner_invoice_id": mine.id})
        self.assertEqual(order.partner_invoice_id, mine)

    def test_a_holds_form_tells_nothing_of_anothers_order(self):
        """A new credit hold's form answer (onchange) computes the debtor and the name of the
        order it names as superuser: another salesperson's order is refused, one's own answered,
        and the credit manager, who has no sales rights, is answered on the hold they decide."""

        def order_of(user, customer):
            return (
                self.env["sale.order"]
                .with_user(user)
                .create(
                    {
                        "partner_id": customer.id,
                        "user_id": user.id,
                        "order_line": [
                            Command.create({"product_id": self.product_a.id, "price_unit": 500, "tax_id": []})
                        ],
                    }
                )
            )

        theirs, mine = order_of(self.credit_user, self.customer), order_of(self.other_sales, self.own)
        spec = {"order_id": {}, "partner_id": {"fields": {"display_name": {}}}, "display_name": {}}
        Hold = self.env["customer.credit.hold"]
        with self.assertRaises(AccessError):
            Hold.with_user(self.other_sales).onchange({"order_id": theirs.id}, ["order_id"], spec)
        value = Hold.with_user(self.other_sales).onchange({"order_id": mine.id}, ["order_id"], spec)["value"]
        self.assertEqual(value["partner_id"]["id"], self.own.id)
        # The customer is on hold (overdue): the order waits for the credit manager.
        theirs.with_user(self.credit_user).action_confirm()
        hold = Hold.sudo().search([("order_id", "=", theirs.id)])  # sudo: the hold, as stored
        self.assertTrue(hold)
        self.assertFalse(self.credit_manager.has_group("sales_team.group_sale_salesman"))
        value = hold.with_user(self.credit_manager).onchange(
            {"order_id": theirs.id, "release_reason": "Paid"}, ["release_reason"], spec
        )["value"]
        self.assertNotIn("order_id", value)
        with self.assertRaises(AccessError):
            Hold.with_user(self.other_sales).onchange({"order_id": theirs.id}, ["order_id"], spec)

    def test_an_orders_or_lines_form_names_only_what_its_user_reads(self):
        """An order line's form answer told another's order's state (on credit hold), customer
        and salesperson; an order's told the amounts of lines of another's order; a hold's form
        answered the debtor of a new order's values, the group structure of another's customer."""
        theirs = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.credit_user.id,
                "order_line": [
                    Command.create({"product_id": self.product_a.id, "price_unit": 45000, "tax_id": []})
                ],
            }
        )
        theirs.with_user(self.credit_user).action_confirm()
        self.assertEqual(theirs.state, "credit_hold")
        mine = (
            self.env["sale.order"]
            .with_user(self.other_sales)
            .create(
                {
                    "partner_id": self.own.id,
                    "user_id": self.other_sales.id,
                    "order_line": [
                        Command.create({"product_id": self.product_a.id, "price_unit": 10, "tax_id": []})
                    ],
                }
            )
        )
        Line = self.env["sale.order.line"].with_user(self.other_sales)
        line_spec = {"state": {}, "order_partner_id": {"fields": {"display_name": {}}}}
        with self.assertRaises(AccessError):
            Line.onchange({"order_id": theirs.id}, ["order_id"], line_spec)
        answer = Line.onchange({"order_id": mine.id}, ["order_id"], line_spec)["value"]
        self.assertEqual(answer["order_partner_id"]["id"], self.own.id)
        Order = self.env["sale.order"].with_user(self.other_sales)
        order_spec = {"amount_total": {}, "order_line": {"fields": {"price_unit": {}}}}
        for lines in (
            [Command.set(theirs.order_line.ids)],
            [Command.update(theirs.order_line.id, {"product_uom_qty": 1})],
        ):
            with self.subTest(lines=lines[0][0]), self.assertRaises(AccessError):
                Order.onchange({"partner_id": self.own.id, "order_line": lines}, ["order_line"], order_spec)
        answer = mine.onchange(
            {"order_line": [Command.update(mine.order_line.id, {"product_uom_qty": 2})]},
            ["order_line"],
            order_spec,
        )["value"]
        self.assertGreater(answer["amount_total"], 0)  # answered (Odoo reprices the quantity)
        Hold = self.env["customer.credit.hold"].with_user(self.other_sales)
        with self.assertRaises(UserError):
            Hold.onchange(
                {"order_id": {"partner_id": self.customer.id, "partner_invoice_id": self.customer.id}},
                ["order_id"],
                {"partner_id": {}},
            )

    def test_a_form_names_no_order_or_invoice_by_another_shape_of_id(self):
        """The second attack on forms: an id Odoo takes for a record though it is not an integer
        (a list in a many2one's values, a float in a command), an invoice named in any form
        (Odoo's sending wizard, an invoice line)."""
        theirs = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.credit_user.id,
                "order_line": [
                    Command.create({"product_id": self.product_a.id, "price_unit": 45000, "tax_id": []})
                ],
            }
        )
        line = theirs.order_line
        Line = self.env["sale.order.line"].with_user(self.other_sales)
        Order = self.env["sale.order"].with_user(self.other_sales)
        spec = {"state": {}, "order_partner_id": {}, "amount_total": {}, "order_line": {}}
        attempts = [
            (Line, {"order_id": {"id": [theirs.id]}}),
            (Line, {"order_id": {"id": theirs.id, "partner_id": self.own.id}}),
            (Order, {"partner_id": self.own.id, "order_line": [[4, float(line.id)]]}),
            (Order, {"partner_id": self.own.id, "order_line": [[1, float(line.id), {}]]}),
            (Order, {"partner_id": self.own.id, "order_line": [float(line.id)]}),
        ]
        for model, values in attempts:
            with self.subTest(values=values), self.assertRaises(AccessError):
                model.onchange(values, list(values), {k: v for k, v in spec.items() if k in model._fields})
        invoice = self.env["account.move"].search([("partner_id", "=", self.customer.id)], limit=1)
        self.assertFalse(
            self.env["account.move"].with_user(self.other_sales).search([("id", "=", invoice.id)])
        )
        for model, values, spec in (
            ("account.move.line", {"move_id": invoice.id}, {"move_name": {}, "parent_state": {}}),
            ("account.move.send.wizard", {"move_id": invoice.id}, {"mail_subject": {}}),
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.other_sales).onchange(values, list(values), spec)
        # Its own order line's form is answered, the order named as the web client does.
        mine = Order.create({"partner_id": self.own.id, "user_id": self.other_sales.id})
        answer = Line.onchange(
            {"order_id": {"id": mine.id, "partner_id": self.own.id}, "product_id": self.product_a.id},
            ["product_id"],
            {"price_unit": {}, "order_partner_id": {}},
        )["value"]
        self.assertTrue(answer["price_unit"])

    def test_a_new_forms_defaults_name_no_order_or_invoice_of_anothers(self):
        """The third attack on forms: a new form's defaults (the context's default_*, a wizard's
        active_ids) name records as its values do; Odoo filled them in after the check, and an
        order line's form told another's held order again, Odoo's sending wizard an invoice."""
        theirs = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "user_id": self.credit_user.id}
        )
        invoice = self.env["account.move"].search([("partner_id", "=", self.customer.id)], limit=1)
        attempts = [
            ("sale.order.line", {"default_order_id": theirs.id}, {"order_id": {}, "state": {}}),
            ("account.move.line", {"default_move_id": invoice.id}, {"move_id": {}, "parent_state": {}}),
            (
                "account.move.send.wizard",
                {"active_model": "account.move", "active_ids": invoice.ids},
                {"move_id": {}, "mail_subject": {}},
            ),
        ]
        for model, context, spec in attempts:
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.other_sales).with_context(**context).onchange({}, [], spec)
        mine = (
            self.env["sale.order"]
            .with_user(self.other_sales)
            .create({"partner_id": self.own.id, "user_id": self.other_sales.id})
        )
        Line = self.env["sale.order.line"].with_user(self.other_sales).with_context(default_order_id=mine.id)
        answer = Line.onchange({}, [], {"order_id": {}, "state": {}})["value"]
        self.assertEqual(
            answer["order_id"]["id"] if isinstance(answer["order_id"], dict) else answer["order_id"], mine.id
        )

    def test_a_new_forms_defaults_are_checked_on_every_answer(self):
        """The fourth attack on forms: a change named of a field the values lack made Odoo fill in
        the new form's defaults unchecked; a field left out of the values took its default when
        first read; a computed field's default (an invoice named in a message's form) was not
        checked; the user's own default (ir.default) named another's order."""
        theirs = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "user_id": self.credit_user.id}
        )
        invoice = self.env["account.move"].search([("partner_id", "=", self.customer.id)], limit=1)
        Line = self.env["sale.order.line"].with_user(self.other_sales)
        with self.assertRaises(AccessError):
            Line.with_context(default_order_id=theirs.id).onchange({}, ["zz"], {"order_id": {}, "state": {}})
        with self.assertRaises(AccessError):
            Line.with_context(default_order_id=theirs.id).onchange(
                {"name": "x"}, ["name"], {"order_id": {}, "state": {}}
            )
        Send = self.env["account.move.send.wizard"].with_user(self.other_sales)
        with self.assertRaises(AccessError):
            Send.with_context(active_model="account.move", active_ids=invoice.ids).onchange(
                {"mail_lang": "en_US"}, ["mail_lang"], {"mail_subject": {}}
            )
        with self.assertRaises(AccessError):
            self.env["mail.message"].with_user(self.other_sales).with_context(
                default_account_audit_log_move_id=invoice.id
            ).onchange({}, [], {"account_audit_log_move_id": {}})
        Default = self.env["ir.default"].sudo()  # sudo: set as the user's own default, by an administrator
        Default.set("sale.order.line", "order_id", theirs.id, user_id=self.other_sales.id)
        with self.assertRaises(AccessError):
            Line.onchange({}, [], {"order_id": {}, "state": {}})
