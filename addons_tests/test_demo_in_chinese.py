"""The demo is a Chinese company (issue 14 item 8, issue 15 item 9; issue 12: server-made output
speaks the reader's language). A database made as ./scripts/run.sh makes it (scripts/new_database.py:
the company in China before the accounting is installed, then both addons with demo data and the
zh_CN language):

- keeps its books in CNY on China's chart of accounts (l10n_cn), the demo's invoices and orders
  carrying the 13% sales VAT;
- has no English in the chatter, notes and activities its users see on the addons' records or that
  the demo's people left elsewhere (credit decisions on customers, holds on orders), in what the
  server recorded for everybody (credit events, hold and limit reasons, collection notes, the
  destruction register) nor in the names its records are shown by (credit events, collection steps,
  key log entries, scorecard indicators...);
- lets its credit department export lists.

It runs Odoo in subprocesses on a database of its own, so it takes a few minutes."""

import json
import re
import subprocess
import sys
import tempfile

from subprocess_odoo import DROP, ROOT, OdooSubprocessMixin

from odoo.tests.common import BaseCase, get_db_name

MARK = "@@TEXTS@@"

# Run in `odoo shell`: the company's accounting, the demo's documents, and every text the demo's
# users see.
TEXTS = """
import json
demo_users = env["ir.model.data"].search(
    [("module", "in", ["customer_archive", "customer_credit"]), ("model", "=", "res.users")]
).mapped("res_id")
env.cr.execute('''
    SELECT m.model, m.res_id, coalesce(m.subject, '') || ' ' || coalesce(m.body, '')
      FROM mail_message m
     WHERE m.model LIKE 'customer.%%' OR m.create_uid = ANY(%s)
    UNION ALL
    SELECT a.res_model, a.res_id, coalesce(a.summary, '') || ' ' || coalesce(a.note, '')
      FROM mail_activity a
     WHERE a.res_model LIKE 'customer.%%' OR a.create_uid = ANY(%s)
''', [demo_users, demo_users])
texts = [list(row) for row in env.cr.fetchall()]
zh = env(context={"lang": "zh_CN", "active_test": False})
# What the server recorded for everybody to read.
recorded = {
    "customer.credit.event": ["description"],
    "customer.credit.hold": ["reason", "release_reason"],
    "customer.credit.limit.history": ["reason"],
    "customer.credit.collection.log": ["note"],
    "customer.archive.destruction.register": ["category_name"],
}
for model, fields in recorded.items():
    for record in zh[model].search([]):
        texts.append([model, record.id, " ".join(str(record[f] or "") for f in fields)])
# The names records are shown by (a record without one reads "customer.credit.event,5").
named = [
    "customer.credit.event", "customer.credit.collection.log", "customer.credit.limit.history",
    "customer.archive.cabinet.key.log", "customer.archive.access.log", "customer.archive.review",
    "customer.credit.evaluation.line", "customer.credit.indicator", "customer.credit.scorecard",
    "customer.credit.grade", "customer.credit.hold", "customer.archive.category",
    "customer.archive.document.type", "customer.archive.cabinet",
]
for model in named:
    for record in zh[model].search([]):
        texts.append([model + " (name)", record.id, record.display_name])
names = set(" ".join(env["res.partner"].with_context(active_test=False).search([]).mapped("name")).split())

company = env.ref("base.main_company")
def demo(model):
    data = env["ir.model.data"].search([("module", "=", "customer_credit"), ("model", "=", model)])
    return env[model].browse(data.mapped("res_id"))
def taxes(lines, field):
    return sorted(set(lines[field].mapped("amount")))
documents = [
    [move.name, move.currency_id.name, taxes(move.invoice_line_ids, "tax_ids"), move.amount_tax]
    for move in demo("account.move")
] + [
    [order.name, order.currency_id.name, taxes(order.order_line, "tax_id"), order.amount_tax]
    for order in demo("sale.order")
]
cn_company = env.ref("base.demo_company_cn", raise_if_not_found=False)
accounting = {
    "currency": company.currency_id.name,
    "chart": company.chart_template,
    "l10n_cn": env["ir.module.module"].search([("name", "=", "l10n_cn")]).state,
    "sale_tax": [company.account_sale_tax_id.amount, company.account_sale_tax_id.type_tax_use],
    "documents": documents,
    "cn_company": cn_company.name if cn_company else None,
    "export": [
        env.ref(xmlid).has_group("base.group_allow_export")
        for xmlid in ("customer_credit.user_liuyang_demo", "customer_credit.user_huanglei_demo")
    ],
}
print(__MARK__ + json.dumps({"texts": texts, "names": sorted(names), "accounting": accounting}))
"""

TAG = re.compile(r"<[^>]+>|&\w+;")
# E-mail addresses and web addresses are no English either (a reminder letter "sent to ...").
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+|https?://\S+")
# Words of Latin letters: codes of numbers and cabinets (SAL, S1) are upper case and allowed.
WORD = re.compile(r"(?<![A-Za-z])[A-Za-z][a-z]{2,}(?![A-Za-z])")


class TestDemoInChinese(OdooSubprocessMixin, BaseCase):
    def test_demo_is_a_chinese_company_and_reads_chinese(self):
        db = f"{get_db_name()}_zh"
        with tempfile.TemporaryDirectory() as folder:
            conf = self.write_conf(folder, ROOT)
            try:
                # As ./scripts/run.sh creates its database.
                self.run_python(
                    conf, ROOT / "scripts" / "new_database.py", "-d", db, "--country", "CN", "--lang", "zh_CN"
                )
                out = self.run_odoo(
                    conf, "shell", "-d", db, "--no-http", stdin=TEXTS.replace("__MARK__", repr(MARK))
                )
            finally:
                subprocess.run([sys.executable, "-c", DROP, db], check=False, capture_output=True)
        found = json.loads(next(line for line in out.splitlines() if line.startswith(MARK))[len(MARK) :])

        accounting = found["accounting"]
        self.assertEqual(
            (accounting["currency"], accounting["chart"], accounting["l10n_cn"]), ("CNY", "cn", "installed")
        )
        self.assertEqual(accounting["sale_tax"], [13.0, "sale"])
        self.assertGreater(len(accounting["documents"]), 20, "the demo's invoices and orders")
        for name, currency, taxes, amount_tax in accounting["documents"]:
            self.assertEqual((currency, taxes), ("CNY", [13.0]), name)
            self.assertGreater(amount_tax, 0, name)
        self.assertEqual(accounting["cn_company"], "中国会计科目表演示公司")
        self.assertEqual(accounting["export"], [True, True], "the credit department exports its lists")

        # People's names (Mitchell Admin, the assignment e-mails' "Dear ...") are no English.
        names = set(found["names"]) | {"OdooBot"}
        self.assertGreater(len(found["texts"]), 100, "the demo leaves chatter and activities")
        english = [
            (model, res_id, text)
            for model, res_id, text in found["texts"]
            if set(WORD.findall(ADDRESS.sub(" ", TAG.sub(" ", text)))) - names
        ]
        self.assertFalse(english, f"English in what the demo's users see: {english[:10]}")
