from .common import CustomerArchiveCase


class TestBatchedComputes(CustomerArchiveCase):
    """Reading the computed archive figures costs the same for one record as for many."""

    def _queries_to_read(self, records, field_names):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        records.read(field_names)
        return self.env.cr.sql_log_count - before

    def test_completeness_is_batched(self):
        archives = self.env["customer.archive"]
        for _index in range(6):
            archive = self.create_archive(category=self.category_contract)
            self.add_documents(archive, self.category_contract.required_document_type_ids[:5])
            archives |= archive
        fields = ["completeness", "completeness_rate", "missing_document_type_ids", "document_count"]
        as_officer = archives.with_user(self.officer)
        self._queries_to_read(as_officer, fields)  # warm the rule and group caches
        one = self._queries_to_read(as_officer[:1], fields)
        many = self._queries_to_read(as_officer, fields)
        self.assertEqual(one, many)
        self.assertEqual(set(archives.mapped("completeness")), {"5/11"})

    def test_partner_archive_count_is_batched(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Customer {n}", "is_company": True, "user_id": self.sales_user.id} for n in range(6)]
        )
        for partner in partners:
            self.create_archive(partner=partner)
        as_sales = partners.with_user(self.sales_user)
        self._queries_to_read(as_sales, ["customer_archive_count"])  # warm the rule and group caches
        one = self._queries_to_read(as_sales[:1], ["customer_archive_count"])
        many = self._queries_to_read(as_sales, ["customer_archive_count"])
        self.assertEqual(one, many)
        self.assertEqual(set(partners.mapped("customer_archive_count")), {1})
