"""Issue 11, 1: the archive card (客户档案卡) obeys the archives' scope. Sales staff read and edit
the cards of the customers whose salesperson they are, the archive office all of them, anybody
else none; portal and public users nothing, through the partner neither. Each forbidden path is
called as an RPC client would, beside the allowed one."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user
from odoo.tools import SQL

from .common import CustomerArchiveCase

CARD = "customer_archive.action_report_archive_card"
ID_NUMBER = "310101198001011234"
SPEC = {"archive_card_ids": {"fields": {"owner_notes": {}, "legal_representative": {}}}}


class CardScopeCase(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.card = cls.card_of(cls.customer)
        cls.card.write({"legal_representative": "王建国", "owner_notes": "Prefers green tea"})
        cls.other_card = cls.card_of(cls.other_customer)
        cls.other_card.write({"legal_representative": "陈立", "owner_notes": "Plays golf on Sundays"})
        cls.env.flush_all()
        cls.env.cr.precommit.clear()

    def Card(self, user):
        return self.env["customer.archive.card"].with_user(user)


class TestSalespersonScope(CardScopeCase):
    def test_salesperson_reads_and_edits_own_customers_card(self):
        Card = self.Card(self.sales_user)
        self.assertEqual(Card.search([]), self.card)
        self.assertEqual(
            Card.search_read([], ["owner_notes"]), [{"id": self.card.id, "owner_notes": "Prefers green tea"}]
        )
        self.assertEqual(
            self.card.with_user(self.sales_user).web_read({"owner_notes": {}})[0]["owner_notes"],
            "Prefers green tea",
        )
        self.card.with_user(self.sales_user).write({"owner_notes": "Prefers oolong"})
        self.assertEqual(self.card.owner_notes, "Prefers oolong")
        # Through the customer: the card's own rules give it.
        partner = self.customer.with_user(self.sales_user).web_read(SPEC)[0]
        self.assertEqual(partner["archive_card_ids"][0]["owner_notes"], "Prefers oolong")

    def test_another_salespersons_card_is_out_of_reach(self):
        Card = self.Card(self.sales_user)
        other = self.other_card.with_user(self.sales_user)
        self.assertFalse(Card.search([("id", "=", self.other_card.id)]))
        self.assertFalse(Card.search([("owner_notes", "ilike", "golf")]))
        self.assertFalse(Card.search_read([("id", "=", self.other_card.id)], ["owner_notes"]))
        self.assertFalse(
            Card.web_search_read([("id", "=", self.other_card.id)], {"owner_notes": {}})["records"]
        )
        self.assertFalse(Card.name_search("岭南"))
        groups = Card.read_group([], ["__count"], ["partner_id"])
        self.assertEqual([group["partner_id"][0] for group in groups], [self.customer.id])
        for call in (
            lambda: other.read(["owner_notes"]),
            lambda: other.web_read({"owner_notes": {}}),
            lambda: other.export_data(["owner_notes"]),
            lambda: other.write({"owner_notes": "overwritten"}),
            lambda: other.message_post(body="note"),
            lambda: other.copy(),
        ):
            with self.subTest(call=call), self.assertRaises(AccessError):
                call()
        self.assertEqual(self.other_card.owner_notes, "Plays golf on Sundays")
        # Nested from the customer: the card is not among what the partner gives.
        partner = self.other_customer.with_user(self.sales_user).web_read(SPEC)[0]
        self.assertEqual(partner["archive_card_ids"], [])
        Partner = self.env["res.partner"].with_user(self.sales_user)
        self.assertFalse(Partner.search([("archive_card_ids.owner_notes", "ilike", "golf")]))
        # Nor can they make a second card, open it from the customer or take the customer over.
        with self.assertRaises(AccessError):
            self.other_customer.with_user(self.sales_user).action_view_archive_card()
        with self.assertRaises(AccessError):
            self.other_customer.with_user(self.sales_user).write({"user_id": self.sales_user.id})
        self.assertEqual(self.other_card.salesperson_id, self.other_sales_user)

    def test_a_card_is_made_by_the_salesperson_or_the_archive_office(self):
        mine = self.env["res.partner"].create(
            {"name": "新客户", "is_company": True, "user_id": self.sales_user.id}
        )
        theirs = self.env["res.partner"].create(
            {"name": "别人的客户", "is_company": True, "user_id": self.other_sales_user.id}
        )
        with self.assertRaises(AccessError):
            self.Card(self.sales_user).create({"partner_id": theirs.id})
        self.assertFalse(self.env["customer.archive.card"].search([("partner_id", "=", theirs.id)]))
        action = mine.with_user(self.sales_user).action_view_archive_card()
        card = self.env["customer.archive.card"].browse(action["res_id"])
        self.assertEqual((card.partner_id, card.salesperson_id), (mine, self.sales_user))
        # Opened again, the same card; from a contact, the company's card.
        contact = self.env["res.partner"].create({"name": "联系人", "parent_id": mine.id})
        self.assertEqual(contact.with_user(self.sales_user).action_view_archive_card()["res_id"], card.id)
        officer_card = self.Card(self.officer).create({"partner_id": theirs.id})
        self.assertEqual(officer_card.salesperson_id, self.other_sales_user)

    def test_opening_an_archive_makes_the_customers_card(self):
        customer = self.env["res.partner"].create(
            {"name": "档案客户", "is_company": True, "user_id": self.sales_user.id}
        )
        self.create_archive(partner=customer)
        card = self.Card(self.sales_user).search([("partner_id", "=", customer.id)])
        self.assertEqual(len(card), 1)
        self.create_archive(partner=customer)
        self.assertEqual(
            self.env["customer.archive.card"].search_count([("partner_id", "=", customer.id)]), 1
        )

    def test_a_card_is_never_deleted(self):
        with self.assertRaises(AccessError):
            self.card.with_user(self.officer).unlink()
        with self.assertRaises(UserError):
            self.card.unlink()
        self.assertTrue(self.card.exists())


class TestOtherRoles(CardScopeCase):
    def test_archive_office_reads_and_edits_every_card(self):
        Card = self.Card(self.officer)
        self.assertLessEqual(self.card | self.other_card, Card.search([]))
        self.assertEqual(
            self.other_card.with_user(self.officer).read(["owner_notes"])[0]["owner_notes"],
            "Plays golf on Sundays",
        )
        self.other_card.with_user(self.officer).write({"reputation": "good"})
        self.assertEqual(self.other_card.reputation, "good")

    def test_internal_user_without_archive_rights_reads_nothing(self):
        Card = self.Card(self.plain_user)
        for call in (
            lambda: Card.search([]),
            lambda: Card.search_read([], ["owner_notes"]),
            lambda: Card.read_group([], ["__count"], ["partner_id"]),
            lambda: Card.name_search(""),
            lambda: self.card.with_user(self.plain_user).read(["owner_notes"]),
            lambda: self.customer.with_user(self.plain_user).read(["archive_card_ids"]),
            lambda: self.customer.with_user(self.plain_user).web_read(SPEC),
            lambda: self.env["res.partner"]
            .with_user(self.plain_user)
            .search([("archive_card_ids.owner_notes", "ilike", "tea")]),
        ):
            with self.subTest(call=call), self.assertRaises(AccessError):
                call()
        # They still read the customer itself.
        self.assertEqual(self.customer.with_user(self.plain_user).read(["name"])[0]["name"], "华东机电")

    def test_portal_user_reads_nothing_of_the_card(self):
        contact = self.env["res.partner"].create({"name": "王经理", "parent_id": self.customer.id})
        portal = new_test_user(self.env, "ca_card_portal", groups="base.group_portal", partner_id=contact.id)
        for call in (
            lambda: self.Card(portal).search([]),
            lambda: self.card.with_user(portal).read(["owner_notes"]),
            lambda: self.customer.with_user(portal).read(["archive_card_ids"]),
            lambda: self.customer.with_user(portal).web_read(SPEC),
        ):
            with self.subTest(call=call), self.assertRaises(AccessError):
                call()


class TestCardFeatures(CardScopeCase):
    def test_encrypted_number_search_still_works_for_officers(self):
        self.card.with_user(self.officer).write({"legal_representative_id_number": ID_NUMBER})
        self.assertEqual(
            self.Card(self.officer).search([("legal_representative_id_number", "=", ID_NUMBER)]), self.card
        )
        with self.assertRaises(AccessError):
            self.Card(self.sales_user).search([("legal_representative_id_number", "=", ID_NUMBER)])
        self.assertEqual(
            self.card.with_user(self.sales_user).legal_representative_id_number, "3101**********1234"
        )

    def test_change_history_records_card_text_changes(self):
        self.card.with_user(self.sales_user).write({"competitor_relations": "Buys from 华南 too"})
        self.flush_tracking()
        value = self.card.message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "competitor_relations"
        )
        self.assertEqual(value.new_value_char or value.new_value_text, "Buys from 华南 too")
        self.assertEqual(value.mail_message_id.author_id, self.sales_user.partner_id)
        # The history is read by those who read the card only.
        messages = (
            self.env["mail.message"]
            .with_user(self.other_sales_user)
            .search([("model", "=", "customer.archive.card"), ("res_id", "=", self.card.id)])
        )
        self.assertFalse(messages)

    def test_the_card_prints_for_whoever_reads_it_only(self):
        self.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:1")
        Report = self.env["ir.actions.report"]
        html, _type = Report.with_user(self.sales_user)._render_qweb_html(CARD, self.card.ids)
        self.assertIn("Prefers green tea", html.decode())
        log = self.env["customer.archive.access.log"]
        for user in (self.other_sales_user, self.plain_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Report.with_user(user)._render_qweb_html(CARD, self.card.ids)
            self.assertFalse(log.search([("user_id", "=", user.id), ("action", "=", "print")]))


class TestCardFollowsTheSalesperson(CardScopeCase):
    def test_after_a_handover_the_successor_sees_the_card(self):
        successor = new_test_user(self.env, "ca_card_successor", groups="customer_archive.group_archive_user")
        wizard = (
            self.env["customer.archive.handover.wizard"]
            .with_user(self.manager)
            .create({"from_user_id": self.sales_user.id, "to_user_id": successor.id})
        )
        wizard.action_confirm()
        self.assertEqual(self.Card(successor).search([]), self.card)
        self.assertFalse(self.Card(self.sales_user).search([]))

    def test_after_a_merge_the_kept_customers_salesperson_sees_the_card(self):
        """Both customers had a card: one card remains, with the values of both."""
        self.card.write({"staff_count": 180})
        self.other_card.write({"staff_count": 0, "trade_terms": "月结30天"})
        self.flush_tracking()
        self.card.write({"manager_name": "李明"})  # some history to move
        self.flush_tracking()
        history = self.card.message_ids
        self.assertTrue(history)
        Merge = self.env["base.partner.merge.automatic.wizard"]
        # A salesperson cannot merge another's customer into theirs to take its card.
        with self.assertRaises(AccessError):
            Merge.with_user(self.sales_user)._merge((self.customer | self.other_customer).ids, self.customer)
        Merge._merge((self.customer | self.other_customer).ids, self.other_customer)
        self.env.invalidate_all()
        self.assertFalse(self.card.exists())
        card = self.other_card
        self.assertEqual(card.salesperson_id, self.other_sales_user)
        self.assertEqual((card.staff_count, card.trade_terms, card.manager_name), (180, "月结30天", "李明"))
        self.assertIn("Plays golf on Sundays", card.owner_notes)
        self.assertIn("Prefers green tea", card.owner_notes)
        self.assertLessEqual(history, card.message_ids)
        self.assertEqual(self.Card(self.other_sales_user).search([]), card)
        self.assertFalse(self.Card(self.sales_user).search([]))

    def test_contacts_without_cards_merge_as_before(self):
        """The card step of a merge asks for no right on cards when no card is involved."""
        contacts_manager = new_test_user(
            self.env, "ca_card_contacts", groups="base.group_user,base.group_partner_manager"
        )
        first, second = self.env["res.partner"].create([{"name": "甲"}, {"name": "甲 (copy)"}])
        Card = self.env["customer.archive.card"].with_user(contacts_manager)
        self.assertFalse(Card._merge_into(second, first))
        with self.assertRaises(AccessError):
            Card._merge_into(second, self.customer)

    def test_a_merge_moves_the_only_card_to_the_kept_customer(self):
        kept = self.env["res.partner"].create(
            {"name": "保留客户", "is_company": True, "user_id": self.other_sales_user.id}
        )
        self.env["base.partner.merge.automatic.wizard"]._merge((self.customer | kept).ids, kept)
        self.env.invalidate_all()
        self.assertEqual((self.card.partner_id, self.card.salesperson_id), (kept, self.other_sales_user))
        self.assertEqual(self.Card(self.other_sales_user).search([("partner_id", "=", kept.id)]), self.card)
        self.assertFalse(self.Card(self.sales_user).search([]))


class TestMigration(CustomerArchiveCase):
    def add_column(self, name, sql_type, values):
        cr = self.env.cr
        cr.execute(SQL("ALTER TABLE res_partner ADD COLUMN %s %s", SQL.identifier(name), SQL(sql_type)))
        for partner, value in values.items():
            cr.execute(
                SQL("UPDATE res_partner SET %s = %s WHERE id = %s", SQL.identifier(name), value, partner.id)
            )

    def test_upgrade_makes_the_cards_from_the_partners_columns(self):
        """18.0.1.3.0: the old res_partner columns become cards, tokens copied as stored."""
        contact = self.env["res.partner"].create({"name": "王经理", "parent_id": self.customer.id})
        empty = self.env["res.partner"].create({"name": "无卡客户", "is_company": True})
        crypto = self.env["customer.archive.encryption"]
        token, index = crypto._encrypt(ID_NUMBER), crypto._blind_index(ID_NUMBER)
        self.add_column("owner_notes", "text", {self.customer: "Prefers green tea", contact: "Likes golf"})
        self.add_column("staff_count", "integer", {self.customer: 180, empty: 0})
        self.add_column("legal_representative_id_number_token", "varchar", {self.customer: token})
        self.add_column("legal_representative_id_number_index", "varchar", {self.customer: index})
        # The change history of a card field, on the customer's chatter.
        cr = self.env.cr
        cr.execute(
            SQL(
                "INSERT INTO ir_model_fields"
                " (model, model_id, name, ttype, state, field_description, store)"
                " VALUES ('res.partner', %s, 'owner_notes', 'text', 'base', %s, true) RETURNING id",
                self.env["ir.model"]._get_id("res.partner"),
                '{"en_US": "Owner notes"}',
            )
        )
        old_field_id = cr.fetchone()[0]
        message = self.customer.message_post(body="")
        cr.execute(
            SQL(
                "INSERT INTO mail_tracking_value (field_id, mail_message_id, new_value_char)"
                " VALUES (%s, %s, %s)",
                old_field_id,
                message.id,
                "Prefers green tea",
            )
        )
        self.assertEqual(self.env["customer.archive.card"]._migrate_partner_columns(), 1)
        card = self.env["customer.archive.card"].search(
            [("partner_id", "in", (self.customer | contact | empty).ids)]
        )
        self.assertEqual(card.partner_id, self.customer, "one card per customer with values")
        self.assertEqual(card.staff_count, 180)
        self.assertEqual(card.owner_notes, "Prefers green tea\n\n王经理: Likes golf")
        self.assertEqual(
            (card.legal_representative_id_number_token, card.legal_representative_id_number_index),
            (token, index),
        )
        self.assertEqual(card.with_user(self.officer).legal_representative_id_number, ID_NUMBER)
        self.assertEqual((message.model, message.res_id), ("customer.archive.card", card.id))
        self.assertEqual(message.tracking_value_ids.field_id.name, "owner_notes")
        self.assertEqual(message.tracking_value_ids.field_id.model, "customer.archive.card")
        cr.execute(
            SQL(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'res_partner'"
                " AND column_name IN ('owner_notes', 'staff_count', 'legal_representative_id_number_token')"
            )
        )
        self.assertFalse(cr.fetchall(), "the old columns are dropped")
        self.assertEqual(self.env["customer.archive.card"]._migrate_partner_columns(), 0)
