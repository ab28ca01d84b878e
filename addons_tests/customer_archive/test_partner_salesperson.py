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

    def test_the_former_salesperson_follows_the_customers_archives_no_more(self):
        """Given to another salesperson, a customer's archive, documents and card are no longer
        followed by the former one (Odoo e-mails followers what is posted, and lets them post);
        the archives of their other customers are."""
        self.customer.user_id = self.sales_user
        archive = self.create_archive()
        document = self.add_documents(archive)[:1]
        card = self.card_of()
        kept = self.create_archive(partner=self.other_customer)
        self.other_customer.user_id = self.sales_user
        records = (archive, document, card, kept)
        for record in records:
            record.sudo().message_subscribe(partner_ids=self.sales_user.partner_id.ids)  # sudo: set-up
        self.customer.with_user(self.officer).write({"user_id": self.other_sales_user.id})
        for record in records:
            with self.subTest(model=record._name, id=record.id):
                followed = self.sales_user.partner_id in record.sudo().message_partner_ids  # sudo: followers
                self.assertEqual(followed, record is kept)
