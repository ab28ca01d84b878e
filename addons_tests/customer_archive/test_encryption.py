"""A16 encrypted identity and bank numbers: encrypted at rest with the configuration's key, masked
for users outside the archive office, found by exact value, re-encrypted by key rotation, and a
wrong key stops the database from loading."""

import subprocess
import sys
import tempfile
from pathlib import Path
from unittest.mock import patch

from cryptography.fernet import Fernet

from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, config

from .common import CustomerArchiveCase

KEY_OPTION = "customer_archive_encryption_key"
ID_NUMBER = "310101198001011234"
PERSON_ID = "11010519491231002X"
ACCOUNT = "6222021001115678901"


class EncryptionCase(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.crypto = cls.env["customer.archive.encryption"]
        cls.person = cls.env["res.partner"].create(
            {"name": "张伟", "is_company": False, "user_id": cls.sales_user.id}
        )
        cls.card = cls.card_of(cls.customer)
        cls.person_card = cls.card_of(cls.person)
        cls.other_card = cls.card_of(cls.other_customer)

    def fill_numbers(self):
        self.card.with_user(self.officer).write(
            {"legal_representative_id_number": ID_NUMBER, "archive_bank_account_number": ACCOUNT}
        )
        self.person_card.with_user(self.officer).write({"identity_number": PERSON_ID.lower()})
        self.env.flush_all()


class TestEncryptedNumbers(EncryptionCase):
    def test_the_archive_office_sees_numbers_others_see_them_masked(self):
        self.fill_numbers()
        officer_view = self.card.with_user(self.officer)
        self.assertEqual(officer_view.legal_representative_id_number, ID_NUMBER)
        self.assertEqual(officer_view.archive_bank_account_number, ACCOUNT)
        self.assertEqual(self.person_card.with_user(self.officer).identity_number, PERSON_ID)
        sales_view = self.card.with_user(self.sales_user)
        self.assertEqual(sales_view.legal_representative_id_number, "3101**********1234")
        self.assertEqual(sales_view.archive_bank_account_number, "6222***********8901")
        row = self.person_card.with_user(self.sales_user).read(["identity_number"])[0]
        self.assertEqual(row["identity_number"], "1101**********002X")

    def test_only_the_archive_office_enters_numbers(self):
        self.fill_numbers()
        with self.assertRaises(AccessError):
            self.card.with_user(self.sales_user).write({"legal_representative_id_number": "1"})
        self.assertEqual(self.card.with_user(self.officer).legal_representative_id_number, ID_NUMBER)
        # Nor can anyone but the system read the stored form.
        with self.assertRaises(AccessError):
            self.card.with_user(self.officer).read(["legal_representative_id_number_token"])

    def test_exact_search_through_the_keyed_index(self):
        self.fill_numbers()
        with self.assertRaises(AccessError):
            self.env["customer.archive.card"].with_user(self.sales_user).search(
                [("legal_representative_id_number", "in", [ID_NUMBER, PERSON_ID])]
            )
        Card = self.env["customer.archive.card"].with_user(self.officer)
        self.assertEqual(Card.search([("legal_representative_id_number", "=", ID_NUMBER)]), self.card)
        # Spaces and the case of the final X do not matter.
        self.assertEqual(Card.search([("identity_number", "=", " 110105 19491231002x ")]), self.person_card)
        self.assertFalse(Card.search([("archive_bank_account_number", "=", ACCOUNT[:-1])]))
        self.assertIn(self.other_card, Card.search([("identity_number", "=", False)]))
        with self.assertRaises(UserError):
            Card.search([("legal_representative_id_number", "ilike", "3101")])

    def test_the_database_holds_no_plaintext(self):
        """Every text column of every table: a dump without the key reveals none of the numbers."""
        self.fill_numbers()
        self.flush_tracking()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT table_name, array_agg(column_name::text) FROM information_schema.columns"
                " JOIN information_schema.tables USING (table_schema, table_name)"
                " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                " AND data_type IN ('character varying', 'text', 'jsonb')"
                " GROUP BY table_name"
            )
        )
        tables = cr.fetchall()
        self.assertGreater(len(tables), 100)
        found = []
        for table, columns in tables:
            for needle in (ID_NUMBER, PERSON_ID, ACCOUNT, "19491231"):
                cr.execute(
                    SQL(
                        "SELECT 1 FROM %s WHERE concat_ws('|', %s) ILIKE %s LIMIT 1",
                        SQL.identifier(table),
                        SQL(", ").join(SQL.identifier(column) for column in columns),
                        f"%{needle}%",
                    )
                )
                if cr.fetchone():
                    found.append((table, needle))
        self.assertEqual(found, [])
        # …while the values are there, encrypted.
        self.assertTrue(self.card.legal_representative_id_number_token.startswith("gAAAA"))

    def test_one_damaged_value_does_not_make_the_card_unreadable(self):
        self.fill_numbers()
        other_key = Fernet.generate_key().decode()
        self.card.legal_representative_id_number_token = Fernet(other_key.encode()).encrypt(b"123").decode()
        self.env.invalidate_all()
        card = self.card.with_user(self.officer)
        self.assertEqual(card.legal_representative_id_number, "(cannot be decrypted)")
        self.assertEqual(card.archive_bank_account_number, ACCOUNT)

    def test_without_a_key_nothing_is_written(self):
        with patch.dict(config.options, {KEY_OPTION: ""}), self.assertRaises(UserError):
            self.card.with_user(self.officer).write({"legal_representative_id_number": ID_NUMBER})
        self.assertFalse(self.card.legal_representative_id_number_token)


class TestKeys(EncryptionCase):
    def test_rotation_re_encrypts_everything(self):
        self.fill_numbers()
        old_token = self.card.legal_representative_id_number_token
        old_key = config.get(KEY_OPTION)
        new_key = Fernet.generate_key().decode()
        with self.assertRaises(UserError):
            self.crypto._rotate_key(old_key)
        with self.assertRaises(UserError):
            self.crypto._rotate_key("not a key")
        self.assertGreaterEqual(self.crypto._rotate_key(new_key), 3)
        self.env.invalidate_all()
        self.assertNotEqual(self.card.legal_representative_id_number_token, old_token)
        with patch.dict(config.options, {KEY_OPTION: new_key}):
            self.assertTrue(self.crypto._check_key())
            officer_view = self.card.with_user(self.officer)
            self.assertEqual(officer_view.legal_representative_id_number, ID_NUMBER)
            self.assertEqual(
                self.env["customer.archive.card"].search([("archive_bank_account_number", "=", ACCOUNT)]),
                self.card,
            )
        # The old key no longer opens the database.
        with self.assertRaises(UserError):
            self.crypto._check_key(old_key)

    def test_a_wrong_key_stops_the_database_from_loading(self):
        wrong_key = Fernet.generate_key().decode()
        with patch.dict(config.options, {KEY_OPTION: wrong_key}), self.assertRaises(UserError):
            self.crypto._register_hook()
        with patch.dict(config.options, {KEY_OPTION: ""}), self.assertRaises(UserError):
            self.crypto._register_hook()

    def test_the_server_refuses_to_start_with_a_wrong_key(self):
        """A real server process on this database with another key exits with an error."""
        self.assertTrue(self.env["ir.config_parameter"].get_param("customer_archive.encryption_key_check"))
        text = Path(config.rcfile).read_text()
        wrong = f"{KEY_OPTION} = {Fernet.generate_key().decode()}"
        text = "\n".join(wrong if line.startswith(KEY_OPTION) else line for line in text.splitlines())
        with tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
            conf.write(text + "\n")
            conf.flush()
            odoo_bin = Path(sys.executable).with_name("odoo")
            process = subprocess.run(
                [str(odoo_bin), "-c", conf.name, "-d", self.env.cr.dbname, "--stop-after-init", "--no-http"],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        self.assertNotEqual(process.returncode, 0)
        self.assertIn("not the key this database was encrypted with", process.stdout + process.stderr)

    def test_upgrade_encrypts_numbers_kept_in_clear(self):
        cr = self.env.cr
        cr.execute(SQL("ALTER TABLE res_partner ADD COLUMN legal_representative_id_number varchar"))
        cr.execute(
            SQL(
                "UPDATE res_partner SET legal_representative_id_number = %s WHERE id = %s",
                ID_NUMBER,
                self.customer.id,
            )
        )
        self.assertEqual(self.env["res.partner"]._encrypt_legacy_plaintext(), 1)
        cr.execute(
            SQL(
                "SELECT 1 FROM information_schema.columns"
                " WHERE table_name = 'res_partner' AND column_name = 'legal_representative_id_number'"
            )
        )
        self.assertFalse(cr.fetchone())
        # The upgrade to 18.0.1.3.0 then moves the encrypted number to the customer's card.
        self.assertEqual(self.env["customer.archive.card"]._migrate_partner_columns(), 1)
        self.assertEqual(self.card.with_user(self.officer).legal_representative_id_number, ID_NUMBER)
        self.assertEqual(self.env["res.partner"]._encrypt_legacy_plaintext(), 0)
