from odoo.exceptions import AccessError, UserError

from .common import CustomerArchiveCase


class TestArchiveCard(CustomerArchiveCase):
    def test_card_and_classification_are_searchable_and_groupable(self):
        region = self.env["customer.archive.region"].create({"name": "华东", "code": "TEC"})
        route = self.env["customer.archive.route"].create({"name": "浦东线", "region_id": region.id})
        card = self.card_of(self.customer)
        card.with_user(self.sales_user).write(
            {"legal_representative": "王建国", "founding_date": "2008-03-15", "organisation_form": "limited"}
        )
        self.customer.with_user(self.sales_user).write(
            {
                "customer_nature": "enterprise",
                "channel_type": "distributor",
                "archive_region_id": region.id,
                "archive_route_id": route.id,
                "archive_route_sequence": 2,
                "customer_importance": "key",
                "customer_lifecycle": "active",
            }
        )
        Partner = self.env["res.partner"].with_user(self.sales_user)
        self.assertEqual(Partner.search([("archive_region_id", "=", region.id)]), self.customer)
        Card = self.env["customer.archive.card"].with_user(self.sales_user)
        self.assertEqual(Card.search([("legal_representative", "ilike", "建国")]), card)
        groups = Partner.read_group(
            [("id", "in", (self.customer | self.other_customer).ids)],
            ["customer_nature"],
            ["customer_nature"],
        )
        self.assertEqual(
            {g["customer_nature"]: g["customer_nature_count"] for g in groups}, {"enterprise": 1, False: 1}
        )
        self.assertEqual(route.partner_ids, self.customer)

    def test_card_changes_are_tracked(self):
        card = self.card_of(self.customer)
        self.flush_tracking()
        card.with_user(self.sales_user).write({"legal_representative": "王建国", "staff_count": 180})
        self.flush_tracking()
        tracked = card.message_ids.tracking_value_ids
        self.assertIn("legal_representative", tracked.field_id.mapped("name"))
        self.assertIn("staff_count", tracked.field_id.mapped("name"))
        message = card.message_ids.filtered(lambda m: m.tracking_value_ids)[:1]
        self.assertEqual(message.author_id, self.sales_user.partner_id)

    def test_partner_smart_button_lists_its_archives(self):
        first, second = self.create_archive(), self.create_archive(category=self.category_contract)
        self.create_archive(partner=self.other_customer)
        contact = self.env["res.partner"].create({"name": "张三", "parent_id": self.customer.id})
        self.assertEqual(self.customer.customer_archive_count, 2)
        self.assertEqual(contact.customer_archive_count, 2)
        action = contact.action_view_customer_archives()
        self.assertEqual(self.env["customer.archive"].search(action["domain"]), first | second)
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)


class TestChangeHistory(CustomerArchiveCase):
    def test_archive_changes_are_tracked_with_author(self):
        archive = self.create_archive()
        self.flush_tracking()  # as if the archive had been created in an earlier transaction
        archive.with_user(self.officer).write({"name": "Plant contract", "confidentiality": "secret"})
        self.flush_tracking()
        values = archive.message_ids.tracking_value_ids
        self.assertLessEqual({"name", "confidentiality"}, set(values.field_id.mapped("name")))
        message = values.filtered(lambda v: v.field_id.name == "confidentiality").mail_message_id
        self.assertEqual(message.author_id, self.officer.partner_id)

    def test_document_lines_are_recorded_in_the_archive_chatter(self):
        archive = self.create_archive()
        document = self.add_documents(archive)[0]
        self.flush_tracking()
        self.assertTrue(any(document.display_name in message.body for message in archive.message_ids))
        document.with_user(self.officer).write({"page_count": 12, "condition": "damaged"})
        self.flush_tracking()
        note = archive.message_ids[0]
        self.assertEqual(note.author_id, self.officer.partner_id)
        self.assertIn("12", note.body)
        self.assertIn("Damaged", note.body)
        # The document keeps its own history too.
        self.assertIn("condition", document.message_ids.tracking_value_ids.field_id.mapped("name"))


class TestCabinetKeys(CustomerArchiveCase):
    def test_backup_key_use_notifies_the_archive_office_managers(self):
        Log = self.env["customer.archive.cabinet.key.log"].with_user(self.officer)
        Log.create({"cabinet_id": self.cabinet.id, "key": "office", "purpose": "File archives"})
        self.assertFalse(self.cabinet.activity_ids)
        Log.create({"cabinet_id": self.cabinet.id, "key": "backup", "purpose": "Office key holder away"})
        # The archive office managers of the company (not the executives: see test_office_notifications).
        managers = self.env["res.users"]._archive_office_managers(self.company)
        self.assertIn(self.manager, managers)
        self.assertEqual(set(self.cabinet.activity_ids.user_id.ids), set(managers.ids))
        self.assertIn("Office key holder away", self.cabinet.message_ids[0].body)
        self.assertEqual(len(self.cabinet.key_log_ids), 2)
        self.assertEqual(self.cabinet.key_log_ids.user_id, self.officer)

    def test_key_log_is_evidence(self):
        log = (
            self.env["customer.archive.cabinet.key.log"]
            .with_user(self.officer)
            .create({"cabinet_id": self.cabinet.id, "key": "office", "purpose": "File archives"})
        )
        with self.assertRaises(UserError):
            log.with_user(self.executive).write({"purpose": "changed"})
        with self.assertRaises(UserError):
            log.with_user(self.executive).unlink()
        self.assertEqual(log.purpose, "File archives")

    def test_sales_staff_cannot_use_or_edit_cabinets(self):
        with self.assertRaises(AccessError):
            self.env["customer.archive.cabinet.key.log"].with_user(self.sales_user).create(
                {"cabinet_id": self.cabinet.id, "key": "office", "purpose": "x"}
            )
        with self.assertRaises(AccessError):
            self.cabinet.with_user(self.officer).write({"capacity": 100})
        self.assertEqual(self.cabinet.capacity, 2)
