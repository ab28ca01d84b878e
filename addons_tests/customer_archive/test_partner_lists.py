"""What a customer's partner record tells of its archives: its archives list is read and searched
with the archives' record rules (Odoo searches a plain one2many without them), and its commercial
entity, which decides whose archives a contact shares, is Odoo's to compute."""

from odoo.exceptions import AccessError, UserError

from .common import CustomerArchiveCase


class TestArchivesOfACustomer(CustomerArchiveCase):
    def test_no_search_tells_which_customers_have_archives_one_may_not_read(self):
        archive = self.create_archive(self.other_customer, name="合同")
        Partner = self.env["res.partner"].with_user(self.sales_user)
        for domain in (
            [("customer_archive_ids", "!=", False)],
            [("customer_archive_ids", "in", archive.ids)],
            [("customer_archive_ids", "=", archive.id)],
            [("customer_archive_ids", "any", [("name", "=", "合同")])],
        ):
            with self.subTest(domain=domain):
                self.assertNotIn(self.other_customer, Partner.search(domain))
                self.assertIn(
                    self.other_customer,
                    self.env["res.partner"].with_user(self.other_sales_user).search(domain),
                )
        self.assertIn(self.other_customer, Partner.search([("customer_archive_ids", "=", False)]))
        with self.assertRaises(UserError):
            Partner.search([("customer_archive_ids", "ilike", "合同")])
        # Read as the rules let read, and up to date after a new archive.
        self.assertFalse(self.other_customer.with_user(self.sales_user).customer_archive_ids)
        self.assertEqual(self.other_customer.with_user(self.other_sales_user).customer_archive_ids, archive)
        second = self.create_archive(self.other_customer, name="补充协议")
        self.assertEqual(
            self.other_customer.with_user(self.other_sales_user).customer_archive_ids, archive | second
        )

    def test_no_search_tells_which_customers_have_an_archive_card_one_may_not_read(self):
        card = self.card_of(self.other_customer)
        Partner = self.env["res.partner"].with_user(self.sales_user)
        for domain in (
            [("archive_card_ids", "!=", False)],
            [("archive_card_ids", "in", card.ids)],
            [("archive_card_ids", "=", card.id)],
        ):
            with self.subTest(domain=domain):
                self.assertNotIn(self.other_customer, Partner.search(domain))
                self.assertIn(
                    self.other_customer,
                    self.env["res.partner"].with_user(self.other_sales_user).search(domain),
                )
        self.assertFalse(self.other_customer.with_user(self.sales_user).archive_card_ids)
        self.assertEqual(self.other_customer.with_user(self.other_sales_user).archive_card_ids, card)
        # A card made after the list was read is in it.
        self.assertFalse(self.customer.with_user(self.sales_user).archive_card_ids)
        mine = self.card_of(self.customer)
        self.assertEqual(self.customer.with_user(self.sales_user).archive_card_ids, mine)


class TestTheCommercialEntity(CustomerArchiveCase):
    def test_nobody_gives_a_contact_another_customers_archives(self):
        self.create_archive(self.other_customer, name="合同")
        Partner = self.env["res.partner"].with_user(self.sales_user)
        contact = Partner.create({"name": "采购 王", "parent_id": self.customer.id})
        for values in (
            {"commercial_partner_id": self.other_customer.id},
            {"commercial_partner_id": contact.id},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                contact.write(values)
        self.assertEqual(contact.commercial_partner_id, self.customer)
        with self.assertRaises(AccessError):
            Partner.create({"name": "新联系人", "commercial_partner_id": self.other_customer.id})
        self.assertEqual(contact.customer_archive_count, 0)
        # The supported path, the parent, moves it with its archives' rules.
        contact.write({"commercial_partner_id": self.customer.id})  # its own value: no change
        mine = Partner.create({"name": "新公司", "is_company": True, "user_id": self.sales_user.id})
        contact.write({"parent_id": mine.id})
        self.assertEqual(contact.commercial_partner_id, mine)
