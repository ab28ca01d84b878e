"""The demo reads Chinese in a Chinese database (issue 12: server-made output speaks the reader's
language): a database made as ./scripts/run.sh makes it (both addons with demo data and the zh_CN
language) has no English in the chatter, notes and activities its users see on the addons' records
or that the demo's people left elsewhere (credit decisions on customers, holds on orders).

It runs Odoo in subprocesses on a database of its own, so it takes a few minutes."""

import json
import re
import subprocess
import sys
import tempfile

from subprocess_odoo import ADDONS, DROP, ROOT, OdooSubprocessMixin

from odoo.tests.common import BaseCase, get_db_name

MARK = "@@TEXTS@@"

# Run in `odoo shell`: every text of the chatter and the activities the demo's users see.
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
texts = env.cr.fetchall()
names = set(" ".join(env["res.partner"].with_context(active_test=False).search([]).mapped("name")).split())
print(__MARK__ + json.dumps({"texts": texts, "names": sorted(names)}))
"""

TAG = re.compile(r"<[^>]+>|&\w+;")
# Words of Latin letters: codes of numbers and cabinets (SAL, S1) are upper case and allowed.
WORD = re.compile(r"(?<![A-Za-z])[A-Za-z][a-z]{2,}(?![A-Za-z])")


class TestDemoInChinese(OdooSubprocessMixin, BaseCase):
    def test_demo_chatter_and_activities_read_chinese(self):
        db = f"{get_db_name()}_zh"
        with tempfile.TemporaryDirectory() as folder:
            conf = self.write_conf(folder, ROOT)
            try:
                self.run_odoo(
                    conf, "-d", db, "--db-template", "template0", "-i", ADDONS,
                    "--load-language=zh_CN", "--stop-after-init",
                )  # fmt: skip
                out = self.run_odoo(
                    conf, "shell", "-d", db, "--no-http", stdin=TEXTS.replace("__MARK__", repr(MARK))
                )
            finally:
                subprocess.run([sys.executable, "-c", DROP, db], check=False, capture_output=True)
        found = json.loads(next(line for line in out.splitlines() if line.startswith(MARK))[len(MARK) :])
        # People's names (Mitchell Admin, the assignment e-mails' "Dear ...") are no English.
        names = set(found["names"]) | {"OdooBot"}
        self.assertGreater(len(found["texts"]), 100, "the demo leaves chatter and activities")
        english = [
            (model, res_id, text)
            for model, res_id, text in found["texts"]
            if set(WORD.findall(TAG.sub(" ", text))) - names
        ]
        self.assertFalse(english, f"English in the demo's chatter: {english[:10]}")
