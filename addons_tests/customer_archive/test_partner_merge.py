"""Issue 11: Odoo's partner merge moves archives and documents, and the scope follows them."""

from .common import CustomerArchiveCase


class TestPartnerMerge(CustomerArchiveCase):
    def test_merged_archives_follow_the_kept_partners_salesperson(self):
        archive = self.create_archive(name="to move")
        document = self.add_documents(archive)[:1]
        Archive = self.env["customer.archive"]
        self.assertEqual(Archive.with_user(self.sales_user).search([("id", "=", archive.id)]), archive)
        duplicate = self.customer
        kept = self.other_customer
        self.env["base.partner.merge.automatic.wizard"]._merge((duplicate | kept).ids, kept)
        self.env.invalidate_all()
        self.assertFalse(duplicate.exists())
        self.assertEqual((archive.partner_id, archive.salesperson_id), (kept, self.other_sales_user))
        self.assertEqual(document.salesperson_id, self.other_sales_user)
        self.assertEqual(Archive.with_user(self.other_sales_user).search([("id", "=", archive.id)]), archive)
        self.assertFalse(Archive.with_user(self.sales_user).search([("id", "=", archive.id)]))
        Document = self.env["customer.archive.document"]
        self.assertFalse(Document.with_user(self.sales_user).search([("id", "=", document.id)]))
