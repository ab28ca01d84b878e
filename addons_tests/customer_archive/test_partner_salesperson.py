"""``res.partner.write`` (customer_archive): the salesperson of a customer with archives decides
who sees them, so only the archive office changes it (README: upgrade checklist)."""

from odoo.exceptions import AccessError

from .common import CustomerArchiveCase


class TestCustomerSalesperson(CustomerArchiveCase):
    def test_only_the_archive_office_reassigns_a_customer_with_archives(self):
        self.create_archive()
        self.customer.user_id = self.sales_user
        customer = self.customer.with_user(self.sales_user)
        with self.assertRaises(AccessError):
            customer.write({"user_id": self.other_sales_user.id})
        self.assertEqual(self.customer.user_id, self.sales_user)
        self.customer.with_user(self.officer).write({"user_id": self.other_sales_user.id})
        self.assertEqual(self.customer.user_id, self.other_sales_user)
