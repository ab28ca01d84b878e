import base64

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import CustomerArchiveCase


class AccessCase(CustomerArchiveCase):
    @classmethod
    def officer_cleared_for_ordinary(cls):
        """An archive officer at the default clearance (the shared officer is cleared for secret)."""
        return new_test_user(
            cls.env,
            "ca_officer_low",
            groups="base.group_allow_export,customer_archive.group_archive_officer",
            name="Officer Low",
        )


class TestArchiveAccess(AccessCase):
    """Scope (own customers / all) and clearance, through every path a client can use."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ordinary_officer = cls.officer_cleared_for_ordinary()
        cls.own_ordinary = cls.create_archive(name="own ordinary")
        cls.own_secret = cls.create_archive(name="own secret", confidentiality="secret")
        cls.foreign_ordinary = cls.create_archive(partner=cls.other_customer, name="foreign ordinary")
        cls.mine = cls.own_ordinary | cls.own_secret | cls.foreign_ordinary
        cls.Archive = cls.env["customer.archive"]

    def visible(self, user):
        return self.Archive.with_user(user).search([("id", "in", self.mine.ids)])

    # ------------------------------------------------------------ scope
    def test_sales_user_sees_only_own_customers_within_clearance(self):
        self.assertEqual(self.visible(self.sales_user), self.own_ordinary)
        self.assertFalse(self.visible(self.other_sales_user) & (self.own_ordinary | self.own_secret))
        with self.assertRaises(AccessError):
            self.foreign_ordinary.with_user(self.sales_user).read(["number"])

    def test_officer_sees_all_customers_within_clearance(self):
        self.assertEqual(self.visible(self.ordinary_officer), self.own_ordinary | self.foreign_ordinary)
        self.assertEqual(self.visible(self.officer), self.mine)

    def test_users_without_archive_group_see_nothing(self):
        with self.assertRaises(AccessError):
            self.Archive.with_user(self.plain_user).search([])

    # ------------------------------------------------------------ clearance, every path
    def test_above_clearance_hidden_from_search_read_group_name_search(self):
        archive_as = self.Archive.with_user(self.sales_user)
        groups = archive_as.read_group(
            [("id", "in", self.mine.ids)], ["confidentiality"], ["confidentiality"]
        )
        self.assertEqual(
            [(g["confidentiality"], g["confidentiality_count"]) for g in groups], [("ordinary", 1)]
        )
        self.assertEqual(archive_as.search_count([("id", "in", self.mine.ids)]), 1)
        found = {record_id for record_id, _name in archive_as.name_search(self.own_secret.number)}
        self.assertNotIn(self.own_secret.id, found)

    def test_above_clearance_refused_to_read_and_export(self):
        secret_as = self.own_secret.with_user(self.sales_user)
        with self.assertRaises(AccessError):
            secret_as.read(["number", "name"])
        with self.assertRaises(AccessError):
            secret_as.export_data(["number", "name"])
        exported = self.own_ordinary.with_user(self.sales_user).export_data(["number"])
        self.assertEqual(exported["datas"], [[self.own_ordinary.number]])

    def test_related_partner_fields_do_not_reveal_hidden_archives(self):
        customer = self.customer.with_user(self.sales_user)
        self.assertEqual(customer.customer_archive_count, 1)
        self.assertEqual(customer.customer_archive_ids, self.own_ordinary)
        action = customer.action_view_customer_archives()
        self.assertEqual(self.Archive.with_user(self.sales_user).search(action["domain"]), self.own_ordinary)

    def test_clearance_change_applies_at_once(self):
        self.assertNotIn(self.own_secret, self.visible(self.ordinary_officer))
        self.ordinary_officer.archive_clearance = "secret"
        self.assertIn(self.own_secret, self.visible(self.ordinary_officer))

    def test_only_administrators_set_clearances(self):
        with self.assertRaises(AccessError):
            self.officer.with_user(self.officer).write({"archive_clearance": "top_secret"})
        with self.assertRaises(AccessError):
            self.sales_user.with_user(self.executive).write({"archive_clearance": "top_secret"})
        self.assertEqual(self.officer.archive_clearance, "secret")
        self.assertEqual(self.sales_user.archive_clearance, "ordinary")

    # ------------------------------------------------------------ writes
    def test_sales_user_cannot_create_or_edit_archives(self):
        with self.assertRaises(AccessError):
            self.Archive.with_user(self.sales_user).create(
                {
                    "partner_id": self.customer.id,
                    "category_id": self.category_basic.id,
                    "department_id": self.department.id,
                }
            )
        with self.assertRaises(AccessError):
            self.own_ordinary.with_user(self.sales_user).write({"name": "changed"})
        self.assertEqual(self.own_ordinary.name, "own ordinary")

    def test_officer_cannot_edit_above_clearance(self):
        with self.assertRaises(AccessError):
            self.own_secret.with_user(self.ordinary_officer).write({"name": "changed"})
        self.assertEqual(self.own_secret.name, "own secret")

    def test_other_company_archives_are_hidden(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        department = self.env["customer.archive.department"].create(
            {"name": "Other", "code": "OTH", "company_id": other_company.id}
        )
        partner = self.env["res.partner"].create({"name": "Other customer", "company_id": other_company.id})
        archive = self.Archive.with_company(other_company).create(
            {
                "partner_id": partner.id,
                "category_id": self.category_basic.id,
                "department_id": department.id,
                "company_id": other_company.id,
            }
        )
        self.assertFalse(self.Archive.with_user(self.executive).search([("id", "=", archive.id)]))


class TestDocumentAccess(AccessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ordinary_officer = cls.officer_cleared_for_ordinary()
        cls.archive = cls.create_archive()
        types = cls.category_basic.required_document_type_ids
        cls.ordinary_document = cls.add_documents(cls.archive, types[:1])
        cls.secret_document = cls.add_documents(cls.archive, types[1:2], confidentiality="secret")
        cls.attachment = cls.env["ir.attachment"].create(
            {"name": "licence.pdf", "datas": base64.b64encode(b"%PDF secret licence")}
        )
        cls.secret_document.attachment_ids = cls.attachment

    def test_attachments_are_bound_to_their_document(self):
        self.assertEqual(self.attachment.res_model, "customer.archive.document")
        self.assertEqual(self.attachment.res_id, self.secret_document.id)
        self.assertFalse(self.attachment.public)

    def test_documents_above_clearance_are_hidden_by_every_path(self):
        Document = self.env["customer.archive.document"]
        for user in (self.sales_user, self.ordinary_officer):
            with self.subTest(user=user.login):
                as_user = Document.with_user(user)
                self.assertEqual(
                    as_user.search([("archive_id", "=", self.archive.id)]), self.ordinary_document
                )
                self.assertEqual(self.archive.with_user(user).document_ids, self.ordinary_document)
                groups = as_user.read_group([("archive_id", "=", self.archive.id)], ["type_id"], ["type_id"])
                self.assertEqual(sum(g["type_id_count"] for g in groups), 1)
                with self.assertRaises(AccessError):
                    self.secret_document.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self.secret_document.with_user(user).export_data(["name", "attachment_ids/name"])

    def test_name_search_and_archive_chatter_do_not_reveal_hidden_documents(self):
        self.secret_document.name = "Bank guarantee of Huadong"
        self.flush_tracking()
        Document = self.env["customer.archive.document"].with_user(self.sales_user)
        self.assertFalse(Document.name_search("Bank guarantee"))
        self.secret_document.write({"name": "Bank guarantee (renewed)", "page_count": 3})
        self.flush_tracking()
        bodies = " ".join(self.archive.with_user(self.sales_user).message_ids.mapped("body"))
        self.assertNotIn("Bank guarantee", bodies)
        self.assertIn("Secret", bodies)
        # Those cleared for it read the details in the document's own history.
        history = self.secret_document.with_user(self.officer).message_ids
        self.assertTrue(history)
        values = history.sudo().tracking_value_ids  # sudo: tracking values are system data
        self.assertIn("name", values.field_id.mapped("name"))

    def test_attachments_of_hidden_documents_are_refused(self):
        Attachment = self.env["ir.attachment"].with_user(self.ordinary_officer)
        self.assertFalse(Attachment.search([("id", "=", self.attachment.id)]))
        with self.assertRaises(AccessError):
            self.attachment.with_user(self.ordinary_officer).read(["datas"])
        # Cleared for it, the officer reads it.
        self.assertTrue(self.attachment.with_user(self.officer).read(["datas"])[0]["datas"])

    def test_an_attachment_cannot_be_stolen_into_a_visible_document(self):
        with self.assertRaises(AccessError):
            self.ordinary_document.with_user(self.ordinary_officer).write(
                {"attachment_ids": [(4, self.attachment.id)]}
            )
        self.assertEqual(self.attachment.res_id, self.secret_document.id)

    def test_document_never_below_its_archive(self):
        from odoo.exceptions import ValidationError

        secret_archive = self.create_archive(confidentiality="secret")
        with self.assertRaises(ValidationError):
            self.add_documents(
                secret_archive, self.category_basic.required_document_type_ids[:1], confidentiality="ordinary"
            )
        document = self.add_documents(secret_archive, self.category_basic.required_document_type_ids[:1])
        self.assertEqual(document.confidentiality, "secret")
        # Raising an archive raises its documents with it.
        self.archive.confidentiality = "confidential"
        self.assertEqual(self.ordinary_document.confidentiality, "confidential")
        self.assertEqual(self.secret_document.confidentiality, "confidential")

    def test_sales_user_cannot_add_documents(self):
        with self.assertRaises(AccessError):
            self.env["customer.archive.document"].with_user(self.sales_user).create(
                {
                    "archive_id": self.archive.id,
                    "type_id": self.category_basic.required_document_type_ids[0].id,
                }
            )


class TestSensitiveCardFields(CustomerArchiveCase):
    def test_financial_and_identity_fields_need_the_archive_office(self):
        card = self.card_of(self.customer)
        card.write({"registered_capital": 5000000, "legal_representative_id_number": "310101198001011234"})
        customer_as_sales = card.with_user(self.sales_user)
        for field in ("registered_capital", "annual_revenue", "total_assets"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                customer_as_sales.read([field])
        # Identity numbers are shown masked (see test_encryption.py).
        self.assertEqual(customer_as_sales.legal_representative_id_number, "3101**********1234")
        with self.assertRaises(AccessError):
            customer_as_sales.write({"registered_capital": 1})
        self.assertEqual(card.with_user(self.officer).registered_capital, 5000000)
        # The non-sensitive card is open to sales staff.
        customer_as_sales.write({"legal_representative": "王建国"})
        self.assertEqual(card.legal_representative, "王建国")

    def test_users_without_the_group_still_copy_customers(self):
        """The card is not copied with the customer, so copying a customer never needs it."""
        contact_manager = new_test_user(
            self.env, "ca_contacts", groups="base.group_user,base.group_partner_manager"
        )
        self.card_of(self.customer).write(
            {"registered_capital": 100, "legal_representative_id_number": "310101198001011234"}
        )
        copy = self.customer.with_user(contact_manager).copy()
        self.assertFalse(copy.sudo().archive_card_ids)  # sudo: what was stored
