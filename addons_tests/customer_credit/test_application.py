from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .credit_common import CreditCase


class TestCreditApplication(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.credit_user  # sales staff apply for credit for their own customers

    def apply(self, **values):
        return (
            self.env["customer.credit.application"]
            .with_user(self.credit_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "requested_limit": 80000,
                    "requested_term_days": 45,
                    "reason": "New distribution contract",
                    "guarantee_type": "guarantor",
                    "guarantee_details": "Parent company guarantee",
                    **values,
                }
            )
        )

    def test_what_the_workflow_records_cannot_come_from_the_context(self):
        """An RPC caller passes ``default_<field>`` in the context: Odoo fills the values with
        them after the model's checks. A salesperson's application is a draft all the same,
        with nothing granted and no reviewer; the values they may fill in still come through."""
        Application = self.env["customer.credit.application"].with_user(self.credit_user)
        application = Application.with_context(
            default_state="approved",
            default_granted_limit=9999999,
            default_reviewer_id=self.env.ref("base.user_admin").id,
            default_requested_term_days=45,
        ).create({"partner_id": self.customer.id, "requested_limit": 80000, "reason": "x"})
        self.assertEqual(application.state, "draft")
        self.assertFalse(application.granted_limit)
        self.assertFalse(application.reviewer_id)
        self.assertEqual(application.requested_term_days, 45)  # a field the requester fills in
        # Nor through personal defaults (ir.default), which any user may set for themselves.
        Default = self.env["ir.default"].with_user(self.credit_user)
        Default.set("customer.credit.application", "state", "approved", user_id=True)
        Default.set("customer.credit.application", "granted_limit", 999999, user_id=True)
        Default.set("customer.credit.application", "requested_term_days", 60, user_id=True)
        application = Application.create(
            {"partner_id": self.customer.id, "requested_limit": 10, "reason": "x"}
        )
        self.assertEqual((application.state, application.granted_limit), ("draft", 0))
        self.assertEqual(application.requested_term_days, 60)  # theirs to fill in: their default holds

    def test_apply_review_decide_notify(self):
        application = self.apply()
        self.assertTrue(application.name.startswith("SX/"))
        application.with_user(self.credit_user).action_submit()
        with self.assertRaises(AccessError):
            application.with_user(self.credit_user).action_review("looks fine")
        application.with_user(self.credit_officer).action_review("Two years of timely payments")
        self.assertEqual((application.state, application.reviewer_id), ("reviewed", self.credit_officer))
        with self.assertRaises(AccessError):
            application.with_user(self.credit_officer).action_approve(
                60000, 30, self.today, self.today + timedelta(days=365)
            )
        application.with_user(self.credit_manager).action_approve(
            60000, 30, self.today, self.today + timedelta(days=365), "Open account"
        )
        self.assertEqual((application.state, application.granted_limit), ("approved", 60000))
        partner = self.customer.with_company(self.company).sudo()  # sudo: no credit rights in the test env
        self.assertEqual((partner.credit_limit, partner.credit_term_days), (60000, 30))
        self.assertEqual(partner.credit_limit_history_ids.approver_id, self.credit_manager)
        self.assertTrue(self.customer._credit_is_managed(self.company))
        mail = (
            self.env["mail.mail"]
            .sudo()  # sudo: the accounting test user has no credit rights
            .search(
                [
                    ("model", "=", application._name),
                    ("res_id", "=", application.id),
                    ("subject", "like", "Your credit"),
                ]
            )
        )
        self.assertIn(self.customer, mail.recipient_ids)
        self.assertIn("60", mail.body_html)

    def test_each_step_asks_the_next_one_and_keeps_own_to_dos(self):
        approval = self.env.ref("customer_archive.mail_activity_type_approval")
        application = self.apply()
        application.with_user(self.credit_user).action_submit()

        def asked():
            return application.sudo().activity_ids.filtered(  # sudo: every approver's activity
                lambda activity: activity.activity_type_id == approval
            )

        self.assertEqual(asked().user_id, self.credit_officer)
        self.assertNotIn(self.env.ref("base.user_admin"), asked().user_id)
        own = application.with_user(self.credit_officer).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.credit_officer.id, summary="Call the bank"
        )
        application.with_user(self.credit_officer).action_review("Two years of timely payments")
        # The review closes the reviewers' activities and asks the credit manager to decide.
        self.assertEqual(asked().user_id, self.credit_manager)
        self.assertTrue(own.exists())
        application.with_user(self.credit_manager).action_approve(
            60000, 30, self.today, self.today + timedelta(days=365)
        )
        self.assertFalse(asked())
        self.assertTrue(own.exists())
        # The requester is told of the decision.
        told = application.sudo().message_ids.filtered(  # sudo: reads the chatter as stored
            lambda message: self.credit_user.partner_id in message.partner_ids
        )
        self.assertTrue(told)

    def test_a_refusal_is_told_and_steps_are_guarded(self):
        application = self.apply()
        with self.assertRaises(UserError):
            application.with_user(self.credit_officer).action_review("Too early")
        with self.assertRaises(UserError):
            application.with_user(self.credit_manager).action_approve(
                60000, 30, self.today, self.today + timedelta(days=365)
            )
        self.assertEqual(application.state, "draft")
        application.with_user(self.credit_user).action_submit()
        # A credit manager may review too, but only the review step comes now.
        with self.assertRaises(UserError):
            application.with_user(self.credit_manager).action_reject("No guarantee")
        application.with_user(self.credit_officer).action_review("Guarantee missing")
        # The reviewer is not asked to decide, and cannot.
        self.assertNotIn(self.credit_officer, application.sudo().activity_ids.user_id)  # sudo: all
        with self.assertRaises(AccessError):
            application.with_user(self.credit_officer).action_reject("No guarantee")
        application.with_user(self.credit_manager).action_reject("No guarantee")
        told = application.sudo().message_ids.filtered(  # sudo: the chatter as stored
            lambda message: self.credit_user.partner_id in message.partner_ids
        )
        self.assertIn("No guarantee", str(told.body))
        self.assertFalse(application.sudo().activity_ids)  # sudo: every approver's activity

    def test_bad_applications(self):
        with self.assertRaises(ValidationError):
            self.apply(requested_limit=-1)
        application = self.apply()
        application.with_user(self.credit_user).action_submit()
        with self.assertRaises(UserError):
            application.with_user(self.credit_user).write({"requested_limit": 1})
        application.with_user(self.credit_officer).action_review("ok")
        for args in ((-5, 30), (5000, -1)):
            with self.subTest(args=args), self.assertRaises(ValidationError):
                application.with_user(self.credit_manager).action_approve(
                    *args, self.today, self.today + timedelta(days=1)
                )
        with self.assertRaises(ValidationError):
            application.with_user(self.credit_manager).action_approve(5000, 30, self.today, self.today)
        self.assertEqual(application.state, "reviewed")
        own = (
            self.env["customer.credit.application"]
            .with_user(self.credit_manager)
            .create({"partner_id": self.customer.id, "requested_limit": 10, "reason": "x"})
        )
        own.with_user(self.credit_manager).action_submit()
        own.with_user(self.credit_officer).action_review("ok")
        with self.assertRaises(AccessError):
            own.with_user(self.credit_manager).action_approve(
                10, 0, self.today, self.today + timedelta(days=5)
            )
        application.with_user(self.credit_manager).action_reject("Guarantee not signed")
        self.assertEqual(application.state, "rejected")

    def test_sales_staff_see_only_their_applications(self):
        mine = self.apply()
        other_user = self.credit_officer
        other = (
            self.env["customer.credit.application"]
            .with_user(other_user)
            .create({"partner_id": self.customer.id, "requested_limit": 10, "reason": "x"})
        )
        visible = self.env["customer.credit.application"].with_user(self.credit_user).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(other, visible)


class TestSmallCreditDepartment(CreditCase):
    """Item 1 of issue 12: when the requester (and the reviewer) are all the approvers there are,
    the approval engine asks the group's other members, the administrator last, never nobody."""

    def test_the_only_credit_officer_applies_and_someone_is_asked_at_each_step(self):
        # The test company's credit department: one officer (the requester) and one manager; the
        # administrator works in every company, as in a real database.
        admin = self.env.ref("base.user_admin")
        admin.company_ids |= self.company
        application = (
            self.env["customer.credit.application"]
            .with_user(self.credit_officer)
            .create({"partner_id": self.customer.id, "requested_limit": 1000, "reason": "New contract"})
        )
        application.action_submit()
        asked = application.sudo().activity_ids.user_id  # sudo: who holds the approval activities
        self.assertTrue(asked)
        self.assertNotIn(self.credit_officer, asked)
        reviewer = asked[:1]
        application.with_user(reviewer).action_review("Checked")
        deciders = application.sudo().activity_ids.user_id  # sudo: as above
        self.assertTrue(deciders, "the decision waits for somebody")
        self.assertFalse(deciders & (self.credit_officer | reviewer))
        self.assertEqual(deciders, admin)  # the last resort: the administrator manages credit by data


class TestApplicationsForOwnCustomers(CreditCase):
    """Sales staff apply for credit for their own customers: an application on another's customer
    (or on one without a salesperson) would show them the limit granted to a customer whose credit
    is hidden from them. Refused through create, write and copy, nothing written; the credit
    department applies for any customer."""

    def test_a_salesperson_applies_for_own_customers_only(self):
        own = self.env["res.partner"].create(
            {"name": "自己的客户", "is_company": True, "user_id": self.credit_user.id}
        )
        other_salesperson = new_test_user(
            self.env, "cc_other_sales", groups="customer_credit.group_credit_user"
        )
        theirs = self.env["res.partner"].create(
            {"name": "别人的客户", "is_company": True, "user_id": other_salesperson.id}
        )
        nobodys = self.env["res.partner"].create({"name": "无人负责的客户", "is_company": True})
        Application = self.env["customer.credit.application"].with_user(self.credit_user)
        Counted = self.env[
            "customer.credit.application"
        ].sudo()  # sudo: counted, the user reads own ones only
        before = Counted.search_count([])
        for partner in (theirs, nobodys):
            with self.subTest(partner=partner.name), self.assertRaises(UserError) as refused:
                Application.create({"partner_id": partner.id, "requested_limit": 900, "reason": "More"})
            self.assertIn(partner.name, str(refused.exception))
        self.assertEqual(Counted.search_count([]), before)
        application = Application.create({"partner_id": own.id, "requested_limit": 900, "reason": "More"})
        self.assertEqual(application.requester_id, self.credit_user)
        with self.assertRaises(UserError):
            application.write({"partner_id": theirs.id})
        self.assertEqual(application.partner_id, own)
        with self.assertRaises(UserError):
            application.copy({"partner_id": theirs.id})
        self.assertEqual(Counted.search_count([]), before + 1)
        # the credit department applies for any customer
        for partner in (theirs, nobodys):
            applied = (
                self.env["customer.credit.application"]
                .with_user(self.credit_officer)
                .create({"partner_id": partner.id, "requested_limit": 900, "reason": "Review"})
            )
            self.assertEqual(applied.partner_id, partner)

    def test_an_application_for_a_customer_given_to_another_is_no_longer_theirs(self):
        """Once its customer has another salesperson, the requester no longer reads an application,
        its granted limit or its chatter; nor does the new salesperson read another's application.
        The general management reads its own applications, whoever the salesperson is."""
        customer = self.env["res.partner"].create(
            {"name": "转交客户", "is_company": True, "user_id": self.credit_user.id}
        )
        application = (
            self.env["customer.credit.application"]
            .with_user(self.credit_user)
            .create({"partner_id": customer.id, "requested_limit": 20000, "reason": "More"})
        )
        # its creator follows it, as Odoo subscribes the author (the tests' context leaves it out);
        # the salesperson follows the customer's credit status too (the monitoring's activities)
        application.message_subscribe(partner_ids=self.credit_user.partner_id.ids)
        status = self.env["customer.credit.collection"]._status_of(customer, self.company)[customer.id]
        status.message_subscribe(partner_ids=self.credit_user.partner_id.ids)
        application.action_submit()
        successor = new_test_user(self.env, "cc_successor", groups="customer_credit.group_credit_user")
        customer.with_user(self.credit_officer).user_id = successor  # the credit department reassigns
        application.with_user(self.credit_officer).action_review("Checked")
        application.with_user(self.credit_manager).action_approve(
            12345, 30, self.today, self.today + timedelta(days=365)
        )
        for user in (self.credit_user, successor):
            with self.subTest(user=user.login):
                Application = self.env["customer.credit.application"].with_user(user)
                self.assertFalse(Application.search([("id", "=", application.id)]))
                with self.assertRaises(AccessError):
                    application.with_user(user).read(["granted_limit"])
                messages = (
                    self.env["mail.message"]
                    .with_user(user)
                    .search([("model", "=", application._name), ("res_id", "=", application.id)])
                )
                self.assertFalse(messages)  # the tracking of the granted limit with them
        # The former requester follows it no more, nor the customer's credit status: told nothing
        # posted on them.
        for record in (application.with_user(self.credit_officer), status.with_user(self.credit_officer)):
            with self.subTest(model=record._name):
                self.assertNotIn(self.credit_user.partner_id, record.message_partner_ids)
        self.assertFalse(status.with_user(self.credit_user).has_access("read"))
        application.with_user(self.credit_officer).message_post(
            body="Granted 12,345", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        told = self.env["mail.notification"].search([("res_partner_id", "=", self.credit_user.partner_id.id)])
        self.assertFalse(
            told.mail_message_id.filtered(
                lambda message: (message.model, message.res_id) == (application._name, application.id)
            )
        )
        # the customer theirs again: the application is theirs again
        customer.with_user(self.credit_officer).user_id = self.credit_user
        self.assertEqual(application.with_user(self.credit_user).granted_limit, 12345)
        # the general management: its own applications, whoever the customer's salesperson is
        executive = new_test_user(self.env, "cc_exec", groups="customer_archive.group_archive_executive")
        mine = (
            self.env["customer.credit.application"]
            .with_user(executive)
            .create({"partner_id": customer.id, "requested_limit": 1000, "reason": "Strategic"})
        )
        self.assertEqual(mine.with_user(executive).read(["requested_limit"])[0]["requested_limit"], 1000)

    def test_an_import_names_the_row_refused(self):
        own = self.env["res.partner"].create(
            {"name": "自己的客户", "is_company": True, "user_id": self.credit_user.id}
        )
        theirs = self.env["res.partner"].create({"name": "别人的客户", "is_company": True})
        Application = self.env["customer.credit.application"].with_user(self.credit_user)
        result = Application.load(
            ["partner_id/.id", "requested_limit", "reason"],
            [[own.id, "5", "own"], [theirs.id, "5", "theirs"]],
        )
        self.assertFalse(result["ids"])
        refusals = [message for message in result["messages"] if message["type"] == "error"]
        # The refused row is named (Odoo also reports a failed batch at the batch's first row),
        # and no row is refused for a name it never gave (the number the application makes).
        self.assertIn(1, [message["record"] for message in refusals])
        for message in refusals:
            with self.subTest(message=message["message"]):
                self.assertIn("别人的客户", message["message"])
        # alone, the first row is imported
        self.assertTrue(
            Application.load(["partner_id/.id", "requested_limit", "reason"], [[own.id, "5", "own"]])["ids"]
        )
