"""Every user-visible string of both addons has a Simplified Chinese translation."""

import re
from pathlib import Path

import polib

from odoo.tests.common import TransactionCase
from odoo.tools.translate import TranslationModuleReader

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
LATIN = re.compile(r"[A-Za-z]")
# Terms written the same in Chinese; the PO linter empties a translation equal to its source.
SAME_IN_CHINESE = {"ID", "object._analysis_title()"}  # the second: a print name computed in Python


class TestChineseTranslations(TransactionCase):
    def _check_addon(self, addon):
        po = polib.pofile(str(ROOT / addon / "i18n" / "zh_CN.po"))
        translated = {
            entry.msgid: entry.msgstr for entry in po if entry.msgstr and "fuzzy" not in entry.flags
        }
        # A term already written in Chinese (a demo company's name) is its own translation.
        translated.update(
            {
                entry.msgid: entry.msgid
                for entry in po
                if not LATIN.search(entry.msgid) or entry.msgid in SAME_IN_CHINESE
            }
        )
        exported = {
            source
            for module, _type, _name, _res_id, source, *_rest in TranslationModuleReader(self.env.cr, [addon])
            if module == addon and source and source.strip()
        }
        self.assertGreater(len(exported), 5)
        missing = sorted(exported - translated.keys())
        self.assertFalse(missing, f"{addon}: terms without a zh_CN translation: {missing[:20]}")
        for msgid in exported:
            self.assertEqual(
                sorted(PLACEHOLDER.findall(msgid)),
                sorted(PLACEHOLDER.findall(translated[msgid])),
                f"{addon}: placeholders differ in the translation of {msgid!r}",
            )

    def test_customer_archive_fully_translated(self):
        self._check_addon("customer_archive")

    def test_customer_credit_fully_translated(self):
        self._check_addon("customer_credit")

    def test_messages_are_shown_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "customer_archive")])._update_translations(
            ["zh_CN"]
        )
        category = self.env.ref("customer_archive.category_contract").with_context(lang="zh_CN")
        self.assertEqual(category.name, "合同")
        archive_model = self.env["customer.archive"].with_context(lang="zh_CN")
        with self.assertRaisesRegex(Exception, "档案"):
            archive_model.browse().create({"number": "X"})
