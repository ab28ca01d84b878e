"""Archive records a reader opens have a name, and the permanent destruction register names the
category in the company's language when nobody's language is set (a data import, the demo):
issue 14 item 8, issue 15 item 9."""

import re

from freezegun import freeze_time

from odoo.tools import format_datetime

from .test_governance import LATER, GovernanceCase

# A word of Latin letters (cabinet codes such as TA1 are upper case and allowed).
ENGLISH = re.compile(r"(?<![A-Za-z])[A-Za-z][a-z]{2,}(?![A-Za-z])")


class TestArchiveNames(GovernanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["customer_archive"], ["zh_CN"], overwrite=True)
        cls.company.partner_id.lang = "zh_CN"

    def test_a_key_log_entry_is_named_by_cabinet_key_and_time(self):
        # The archive officer, the lowest role keeping the key log, logs a use and reads it back.
        log = (
            self.env["customer.archive.cabinet.key.log"]
            .with_user(self.officer)
            .create({"cabinet_id": self.cabinet.id, "key": "office", "purpose": "取合同原件"})
        )
        english = log.with_context(lang="en_US")
        self.assertEqual(
            english.display_name, f"TA1 · Archive Office Key · {format_datetime(english.env, log.date)}"
        )
        chinese = log.with_context(lang="zh_CN").display_name
        self.assertNotIn("customer.archive", chinese)
        self.assertFalse(ENGLISH.findall(chinese), chinese)
        # Not readable below the archive office: no name to leak either.
        self.assertFalse(
            self.env["customer.archive.cabinet.key.log"]
            .with_user(self.sales_user)
            .browse()
            .has_access("read")
        )

    def destroy(self, archive, lang):
        destruction = self.destruction(archive)
        destruction.with_user(self.officer).action_submit()
        destruction.with_user(self.manager).action_approve()
        destruction.with_user(self.officer).write(
            {"supervisor_id": self.manager.id, "date_planned": "2037-06-01", "method": "shredding"}
        )
        destruction.with_user(self.officer).with_context(lang=lang).action_destroy()
        return destruction.register_ids

    @freeze_time(LATER)
    def test_the_register_names_the_category_in_the_companys_language_when_no_one_reads(self):
        category = self.old.category_id
        english_name = category.with_context(lang="en_US").name
        chinese_name = category.with_context(lang="zh_CN").name
        self.assertNotEqual(english_name, chinese_name)
        # As the demo and data imports run: no language in the context.
        self.assertEqual(self.destroy(self.old, None).category_name, chinese_name)
        # An officer working in English writes it in English.
        other = self.formal_archive(name="other old file")
        self.assertEqual(self.destroy(other, "en_US").category_name, english_name)

    def test_an_access_log_entry_reads_as_what_was_done_and_when(self):
        entry = (
            self.env["customer.archive.access.log"]
            .sudo()  # sudo: the system writes the log
            .create(
                {
                    "logged_at": "2026-11-30 01:12:00",
                    "user_id": self.officer.id,
                    "action": "print",
                    "archive_id": self.old.id,
                    "company_id": self.company.id,
                }
            )
        )
        # Read by an archive office manager, the only role reading the log.
        seen = entry.with_user(self.manager).with_context(lang="en_US", tz="Asia/Shanghai")
        when = format_datetime(seen.env, entry.logged_at, tz="Asia/Shanghai")
        self.assertEqual(seen.display_name, f"Print · {when}")
        self.assertIn("9:12", when)  # the reader's time zone (UTC+8), not UTC
        chinese = entry.with_user(self.manager).with_context(lang="zh_CN").display_name
        self.assertFalse(ENGLISH.findall(chinese), chinese)
