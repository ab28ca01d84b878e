"""Issue 13 (3): list pages of archives and documents are read from indexes, for their default
order and for the salesperson's rule, what approved shares open included."""

from datetime import date, timedelta

from odoo.tools.sql import index_exists

from .common import CustomerArchiveCase

SHARE = "customer.archive.share"


class TestListPages(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Wang's customer's archive, shared with Li by an approved share; another one not shared.
        cls.shared = cls.create_archive(partner=cls.other_customer, name="Framework contract")
        cls.shared_documents = cls.add_documents(cls.shared)
        cls.unshared = cls.create_archive(partner=cls.other_customer, name="Tender")
        cls.add_documents(cls.unshared)
        share = (
            cls.env[SHARE]
            .with_user(cls.other_sales_user)
            .create(
                {
                    "archive_id": cls.shared.id,
                    "grantee_user_ids": [(6, 0, cls.sales_user.ids)],
                    "purpose": "Joint tender",
                    "date_end": date.today() + timedelta(days=1),
                }
            )
        )
        share.action_submit()
        share.with_user(cls.manager).action_approve()
        cls.share = share
        cls.own = cls.create_archive(name="Own contract")
        cls.own_documents = cls.add_documents(cls.own)

    def test_shared_with_me_is_what_approved_shares_open(self):
        for model, shared in (
            ("customer.archive", self.shared),
            ("customer.archive.document", self.shared_documents),
        ):
            Model = self.env[model].with_user(self.sales_user)
            with self.subTest(model=model):
                self.assertEqual(Model.search([("shared_with_me", "=", True)]), shared)
                self.assertEqual(
                    shared.with_user(self.sales_user).mapped("shared_with_me"), [True] * len(shared)
                )
                everything = self.env[model].search([])
                # sudo: every record, the rules aside, that the share does not open to Li
                not_shared = (
                    self.env[model].with_user(self.sales_user).sudo().search([("shared_with_me", "!=", True)])
                )
                self.assertEqual(set(not_shared), set(everything - shared))
                # The salesperson sees their own customers' records and what the share opens.
                own = self.own if model == "customer.archive" else self.own_documents
                self.assertEqual(set(Model.search([("id", "in", everything.ids)])), set(own | shared))
        self.share.with_user(self.other_sales_user).action_revoke("Tender withdrawn")
        Archive = self.env["customer.archive"].with_user(self.sales_user)
        self.assertFalse(Archive.search([("shared_with_me", "=", True)]))
        self.assertEqual(Archive.search([("id", "in", (self.shared | self.own).ids)]), self.own)

    def test_list_queries_can_be_read_from_indexes(self):
        for index in ("customer_archive_order_idx", "customer_archive_document_order_idx"):
            self.assertTrue(index_exists(self.env.cr, index), index)
        for model in ("customer.archive", "customer.archive.document"):
            Model = self.env[model].with_user(self.sales_user)
            sql = Model._search([], limit=80, order=Model._order).select()
            code = self.env.cr.mogrify(sql.code, sql.params).decode()
            with self.subTest(model=model):
                # The default order is the model's own columns: no join of the archives.
                self.assertNotIn("JOIN", code.split(" WHERE ", 1)[0])
                self.assertNotIn("JOIN", code.split(" ORDER BY ", 1)[1])
                # The sharing rule is a condition on the ids, not a subquery PostgreSQL must
                # run for every row.
                self.assertIn("= ANY(ARRAY(", code)
                self.assertNotIn("IN (SELECT", code)

    def test_documents_keep_the_archives_order(self):
        older = self.create_archive(name="Older", date_opened=date.today() - timedelta(days=30))
        older_documents = self.add_documents(older)
        documents = self.env["customer.archive.document"].search(
            [("archive_id", "in", (older | self.own).ids)]
        )
        # Newest archive first (the archives' own order), each archive's documents in sequence.
        self.assertEqual(
            documents,
            self.own_documents.sorted(lambda d: (d.sequence, d.id))
            | older_documents.sorted(lambda d: (d.sequence, d.id)),
        )
        self.assertEqual(
            self.own_documents.mapped("archive_date_opened"), [self.own.date_opened] * len(self.own_documents)
        )
