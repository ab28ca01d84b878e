"""What the review of issue 15 found, closed on the server and tested as an RPC caller at the lowest
role (a salesperson with credit rights): the forbidden path shows nothing or raises and changes
nothing, the allowed path beside it works."""

from datetime import timedelta

from odoo.exceptions import AccessError, ValidationError
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
        # Nor through the status itself or the pause, which stays as the manager set it.
        with self.assertRaises(AccessError):
            self.env["customer.credit.collection"].with_user(self.other_sales).search([])
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
