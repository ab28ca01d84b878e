"""What the review of issue 15 found, closed on the server and tested as an RPC caller at the lowest
role (a salesperson with credit rights): the forbidden path shows nothing or raises and changes
nothing, the allowed path beside it works."""

from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .credit_common import CreditCase

COLLECTION = ["credit_collection_level_id", "credit_collection_paused", "credit_collection_pause_reason"]


class TestCollectionOfOtherSalespeoplesCustomers(CreditCase):
    """The collection status of a customer (its level, whether it is paused and why) is credit:
    sales staff read it for their own customers only (C9), as the exposure and the grade."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.credit_user
        cls.other_sales = new_test_user(
            cls.env,
            "cc_review_sales2",
            groups="sales_team.group_sale_salesman,customer_archive.group_archive_user,"
            "customer_credit.group_credit_user",
            name="Sales Qian",
        )
        cls.env["customer.credit.collection"].with_user(cls.credit_manager)._set_pause(
            cls.customer, True, "Restructuring talks"
        )

    def test_another_salesperson_reads_no_collection_status(self):
        partner = self.customer.with_user(self.other_sales)
        values = partner.read(COLLECTION)[0]
        self.assertFalse(values["credit_collection_level_id"])
        self.assertFalse(values["credit_collection_paused"])
        self.assertFalse(values["credit_collection_pause_reason"])
        # Nor through the status itself (read by its customer's salesperson and the credit
        # department only) or the pause, which stays as the manager set it.
        Status = self.env["customer.credit.collection"].with_user(self.other_sales)
        self.assertFalse(Status.search([]))
        status = Status.sudo().search([("partner_id", "=", self.customer.id)])  # sudo: the stored one
        with self.assertRaises(AccessError):
            status.with_user(self.other_sales).read(["paused", "pause_reason"])
        with self.assertRaises(AccessError):
            self.env["customer.credit.collection"].with_user(self.other_sales)._set_pause(
                self.customer, False, "Paid"
            )
        self.assertTrue(self.customer.with_user(self.credit_officer).credit_collection_paused)

    def test_the_own_salesperson_and_the_credit_department_read_it(self):
        for user in (self.credit_user, self.credit_officer):
            with self.subTest(user=user.name):
                values = self.customer.with_user(user).read(COLLECTION)[0]
                self.assertTrue(values["credit_collection_paused"])
                self.assertEqual(values["credit_collection_pause_reason"], "Restructuring talks")


class TestNoPromiseBrokenBeforeItIsMade(CreditCase):
    """A promise to pay is recorded before its date: one "made" with a date already passed would be
    settled as broken by the next monitoring, a credit event against the customer (C9)."""

    def setUp(self):
        super().setUp()
        self.Log = self.env["customer.credit.collection.log"].with_user(self.credit_officer)
        self.promise = {"partner_id": self.customer.id, "kind": "promise", "promised_amount": 1_000_000}

    def count(self):
        return (
            self.env["customer.credit.collection.log"]
            .sudo()  # sudo: the test counts, whoever runs it
            .search_count([("partner_id", "=", self.customer.id), ("kind", "=", "promise")])
        )

    def test_a_promise_dated_in_the_past_is_refused(self):
        for values in (
            {"promised_date": self.today - timedelta(days=3)},
            {"date": self.today + timedelta(days=9), "promised_date": self.today + timedelta(days=5)},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.Log.create(dict(self.promise, **values))
        self.assertEqual(self.count(), 0)
        # Nor moved into the past once recorded.
        promise = self.Log.create(dict(self.promise, promised_date=self.today + timedelta(days=5)))
        with self.assertRaises(ValidationError):
            promise.write({"promised_date": self.today - timedelta(days=3)})
        self.assertEqual(promise.promised_date, self.today + timedelta(days=5))
        # A salesperson records no promise at all.
        with self.assertRaises(AccessError):
            self.env["customer.credit.collection.log"].with_user(self.credit_user).create(
                dict(self.promise, promised_date=self.today + timedelta(days=5))
            )

    def test_a_promise_for_a_coming_day_is_recorded(self):
        promise = self.Log.create(dict(self.promise, promised_date=self.today + timedelta(days=5)))
        self.assertFalse(promise.promise_state)
        self.assertEqual(self.count(), 1)


class TestCustomerChatterTellsNoCreditFigures(CreditCase):
    """The customer's chatter is read by everyone who reads the customer, every salesperson among
    them: a credit decision or a customer hold is noted on the customer's credit status instead,
    without its figures or reason, which stay in the limit history and the credit event, read by
    the credit file's readers (C9)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.credit_user
        cls.other_sales = new_test_user(
            cls.env,
            "cc_review_sales3",
            groups="sales_team.group_sale_salesman,customer_archive.group_archive_user,"
            "customer_credit.group_credit_user",
            name="Sales Sun",
        )

    def chatter(self, user):
        """The customer's messages as the web client fetches them for ``user``."""
        messages = (
            self.env["mail.message"]
            .with_user(user)
            .search([("model", "=", "res.partner"), ("res_id", "=", self.customer.id)])
        )
        return " ".join(messages.mapped("body"))

    def test_a_limit_change_and_a_hold_leave_no_figure_in_the_chatter(self):
        before = self.chatter(self.other_sales)
        self.customer.with_user(self.credit_manager)._apply_credit_decision(
            123456, 47, reason="Audited accounts 2025"
        )
        (
            self.env["customer.credit.partner.hold.wizard"]
            .with_user(self.credit_manager)
            .with_context(active_model="res.partner", active_ids=self.customer.ids)
            .create({"action": "hold", "reason": "Disputed debt of 98765"})
            .action_confirm()
        )
        after = self.chatter(self.other_sales)
        # Not even that a decision was made or the customer held (its hold field is not theirs):
        # both are noted on the customer's credit status, which its salesperson reads.
        self.assertEqual(after, before)
        noted = " ".join(
            self.env["mail.message"]
            .with_user(self.credit_user)
            .search([("model", "=", "customer.credit.collection")])
            .mapped("body")
        )
        self.assertIn("credit decision", noted)
        self.assertIn("Put on credit hold", noted)
        for secret in ("123", "47", "Audited", "98765", "Disputed"):
            with self.subTest(secret=secret):
                self.assertNotIn(secret, after)
                self.assertNotIn(secret, noted)
        # The figures and reasons are where the credit file's readers read them.
        history = (
            self.env["customer.credit.limit.history"]
            .with_user(self.credit_officer)
            .search([("partner_id", "=", self.customer.id)], order="id desc", limit=1)
        )
        self.assertEqual((history.new_limit, history.new_term_days), (123456, 47))
        self.assertEqual(history.reason, "Audited accounts 2025")
        events = (
            self.env["customer.credit.event"]
            .with_user(self.credit_officer)
            .search([("partner_id", "=", self.customer.id), ("event_type", "=", "credit_hold")])
        )
        self.assertIn("Disputed debt of 98765", events.description)
        # Another salesperson reads neither.
        with self.assertRaises(AccessError):
            self.env["customer.credit.limit.history"].with_user(self.other_sales).search_read(
                [("partner_id", "=", self.customer.id)], ["reason"]
            )
        with self.assertRaises(AccessError):
            self.env["customer.credit.event"].with_user(self.other_sales).search_read(
                [("partner_id", "=", self.customer.id)], ["description"]
            )


class TestReportsOfAnotherCompany(CreditCase):
    """The ageing and the credit analysis are asked for one of the user's companies: another one,
    named over RPC, is refused with a clear error (it made an untranslated error in the report, or
    the current company's rows under the other's name)."""

    def test_a_company_the_user_does_not_work_in_is_refused(self):
        other = self.env["res.company"].create({"name": "Not Ours Ltd"})
        for model, values in (
            ("customer.credit.ageing.wizard", {}),
            ("customer.credit.analysis.wizard", {"period": "year", "year": 2026}),
        ):
            Wizard = self.env[model].with_user(self.credit_officer)
            with self.subTest(model=model):
                with self.assertRaisesRegex(ValidationError, "Choose one of your companies"):
                    Wizard.create({**values, "company_id": other.id})
                wizard = Wizard.create({**values, "company_id": self.company.id})
                self.assertEqual(wizard.company_id, self.company)
                with self.assertRaises(ValidationError):
                    wizard.write({"company_id": other.id})
                self.assertEqual(wizard.company_id, self.company)


class TestDecisionsOnAnotherCompanysCustomer(CreditCase):
    """A credit evaluation or application is on a customer of its own company, or on one shared by
    every company: one of another company (a user working in both can read it) is refused, through
    create and write, and nothing is written."""

    def test_a_customer_of_another_company_is_refused(self):
        other = self.env["res.company"].create({"name": "上海分公司"})
        officer = new_test_user(
            self.env,
            "cc_two_companies",
            groups="customer_credit.group_credit_officer",
            company_id=self.company.id,
            company_ids=[(6, 0, (self.company | other).ids)],
        )
        theirs = self.env["res.partner"].create(
            {"name": "上海客户", "is_company": True, "company_id": other.id}
        )
        Evaluation = self.env["customer.credit.evaluation"].with_user(officer)
        Application = self.env["customer.credit.application"].with_user(officer)
        Counted = self.env["customer.credit.evaluation"].sudo()  # sudo: counted, whatever the test user reads
        counted = {
            model: Counted.env[model].search_count([]) for model in (Evaluation._name, Application._name)
        }
        with self.assertRaises(UserError) as refused:
            Evaluation.create({"partner_id": theirs.id, "scorecard_id": self.scorecard.id})
        self.assertIn("Incompatible companies", str(refused.exception))
        with self.assertRaises(UserError) as refused:
            Application.create({"partner_id": theirs.id, "requested_limit": 900, "reason": "More"})
        self.assertIn("Incompatible companies", str(refused.exception))
        self.assertEqual({model: Counted.env[model].search_count([]) for model in counted}, counted)
        # through write too: the record keeps its customer
        application = Application.create(
            {"partner_id": self.customer.id, "requested_limit": 900, "reason": "More"}
        )
        with self.assertRaises(UserError) as refused:
            application.write({"partner_id": theirs.id})
        self.assertIn("Incompatible companies", str(refused.exception))
        self.assertEqual(application.partner_id, self.customer)
        # in the customer's own company the same application is allowed
        Elsewhere = Application.with_company(other)
        allowed = Elsewhere.create({"partner_id": theirs.id, "requested_limit": 900, "reason": "More"})
        self.assertEqual((allowed.partner_id, allowed.company_id), (theirs, other))
