"""What the review of issue 15 found, closed on the server and tested as an RPC caller at the lowest
role (a salesperson with credit rights): the forbidden path shows nothing or raises and changes
nothing, the allowed path beside it works."""

from odoo.exceptions import AccessError
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
