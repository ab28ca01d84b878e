"""Upgrading a database made by the previous release: both addons of the commit named in
previous_release.txt are installed with demo data, records are added, the current code upgrades
the database, and every row, the encrypted numbers, the demo users' logins and their menus are
checked (issue 13: upgrades). Manifests get a version bump and a migration whenever stored data
changes shape; this test is what proves the migration.

It runs Odoo in subprocesses on a database of its own, so it takes a few minutes."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from subprocess_odoo import ADDONS, DROP, ROOT, OdooSubprocessMixin

from odoo.tests.common import BaseCase, get_db_name

PREVIOUS_RELEASE = (ROOT / "addons_tests" / "previous_release.txt").read_text().split()[0]
MARK = "@@SNAPSHOT@@"

# Run in `odoo shell` on the old code: records a user would add after the demo, then a snapshot.
ADD_RECORDS = """
partner = env["res.partner"].create({"name": "升级测试客户", "is_company": True,
    "user_id": env.ref("customer_archive.user_wangfang_demo").id})
category = env["customer.archive.category"].search([], limit=1)
department = env["customer.archive.department"].search([], limit=1)
env["customer.archive"].create({"partner_id": partner.id, "category_id": category.id,
    "department_id": department.id})
numbers = {"identity_number": "110101199003071234", "archive_bank_account_number": "6222020200112233"}
# Releases before 18.0.1.3.0 kept the numbers on the customer, later ones on its archive card.
Card = env.get("customer.archive.card")
if Card is not None and "identity_number" in Card._fields:
    Card._ensure_for_partners(partner).write(numbers)
else:
    partner.write(numbers)
# A day of the old monitoring: its reminder letters (sent in the same run before 18.0.1.5.0).
env["customer.credit.monitoring"].sudo()._cron_credit_monitoring()  # sudo: as its scheduled action
env.cr.commit()
"""

# Run in `odoo shell` before and after the upgrade: what must not change.
SNAPSHOT = """
import json
from odoo.tools import SQL
rows = {}
for model in env["ir.model"].search([("model", "=like", "customer.%"), ("transient", "=", False)]):
    Model = env.get(model.model)
    if Model is None or Model._abstract or not Model._auto or Model._table_query:
        continue
    env.cr.execute("SELECT to_regclass(%s)", [Model._table])
    if env.cr.fetchone()[0]:
        env.cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(Model._table)))
        rows[model.model] = env.cr.fetchone()[0]
env.cr.execute("SELECT count(*) FROM res_partner")
rows["res.partner"] = env.cr.fetchone()[0]
numbers = {}
Card = env.get("customer.archive.card")
for name in ("identity_number", "legal_representative_id_number", "archive_bank_account_number"):
    if Card is not None and name in Card._fields:
        holders = Card.search([(name, "!=", False)])
        values = {str(card.partner_id.id): card[name] for card in holders}
    else:
        holders = env["res.partner"].with_context(active_test=False).search([(name, "!=", False)])
        values = {str(partner.id): partner[name] for partner in holders}
    numbers[name] = values
# Notes of credit decisions on the customers' chatter that tell the figures (every salesperson
# reads the chatter): the 1.4 migration rewrites them without.
env.cr.execute(
    "SELECT count(*) FROM mail_message WHERE model = 'res.partner'"
    " AND (body LIKE %s OR body LIKE %s OR body LIKE %s)",
    ["%Credit limit % → %", "%信用额度 % → %", "<p>Put on credit hold by %: %"],
)
figure_notes = env.cr.fetchone()[0]
# Reminder letters the monitoring sent: from 1.5 on each has a status (the 1.5 migration sets it).
has_state = "letter_state" in env["customer.credit.collection.log"]._fields
state = SQL.identifier("letter_state") if has_state else SQL("NULL")
env.cr.execute(SQL("SELECT %s, count(*) FROM customer_credit_collection_log"
                   " WHERE kind = 'letter' AND is_system GROUP BY 1", state))
letters = {str(state): count for state, count in env.cr.fetchall()}
# What the credit department told on the customers, which every salesperson reads: from 1.6 on
# it is on the customers' credit status (the 1.6 migration moves it there).
credit_types = [env.ref("customer_credit.mail_activity_type_credit_" + kind).id
                for kind in ("warning", "review", "hold", "collection")]
env.cr.execute("SELECT count(*) FROM mail_activity WHERE res_model = 'res.partner'"
               " AND activity_type_id = ANY(%s)", [credit_types])
credit_activities = env.cr.fetchone()[0]
env.cr.execute("SELECT count(*) FROM mail_message m WHERE m.model = 'res.partner' AND EXISTS"
               " (SELECT FROM ir_attachment f WHERE f.res_model = 'mail.message' AND f.res_id = m.id"
               " AND f.name LIKE %s)", ["Payment reminder - %"])
letter_messages = env.cr.fetchone()[0]
logins, menus = {}, {}
Users = env.registry["res.users"]
for user in env["res.users"].search([("login", "in", __LOGINS__)]):
    try:
        Users.authenticate(env.cr.dbname, {"type": "password", "login": user.login,
                                           "password": user.login}, {"interactive": False})
        logins[user.login] = True
    except Exception:
        logins[user.login] = False
    tree = env["ir.ui.menu"].with_user(user).load_menus(debug=False)
    menus[user.login] = sorted(
        menu["xmlid"] for menu in tree.values()
        if isinstance(menu, dict) and (menu.get("xmlid") or "").startswith("customer_"))
print(__MARK__ + json.dumps({"rows": rows, "numbers": numbers, "logins": logins, "menus": menus,
                             "figure_notes": figure_notes, "letters": letters,
                             "credit_activities": credit_activities, "letter_messages": letter_messages}))
"""

DEMO_LOGINS = ["zhoujianhua", "sunli", "zhaomin", "wangfang", "chengang", "liqiang", "zhangwei"]


class TestUpgradeFromPreviousRelease(OdooSubprocessMixin, BaseCase):
    def snapshot(self, conf, db):
        script = SNAPSHOT.replace("__LOGINS__", repr(DEMO_LOGINS)).replace("__MARK__", repr(MARK))
        out = self.run_odoo(conf, "shell", "-d", db, "--no-http", stdin=script)
        line = next(line for line in out.splitlines() if line.startswith(MARK))
        return json.loads(line[len(MARK) :])

    def test_upgrade_keeps_rows_numbers_logins_and_menus(self):
        db = f"{get_db_name()}_upgrade"
        with tempfile.TemporaryDirectory() as folder:
            old = Path(folder) / "previous"
            old.mkdir()
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", PREVIOUS_RELEASE, "customer_archive", "customer_credit"],
                capture_output=True,
                check=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
            old_conf = self.write_conf(folder, old)
            new_conf = self.write_conf(folder, ROOT)
            self.run_odoo(old_conf, "-d", db, "--db-template", "template0", "-i", ADDONS, "--stop-after-init")
            try:
                self.run_odoo(old_conf, "shell", "-d", db, "--no-http", stdin=ADD_RECORDS)
                before = self.snapshot(old_conf, db)
                self.run_odoo(new_conf, "-d", db, "-u", ADDONS, "--stop-after-init")
                after = self.snapshot(new_conf, db)
            finally:
                subprocess.run([sys.executable, "-c", DROP, db], check=False, capture_output=True)

        # Every table of the previous release keeps its rows (new tables may appear), but the
        # number counters: one per year became one per number series (migration number_series).
        # The customers' credit statuses may be more: the 1.6 migration files on them what the
        # credit department had told on customers without one.
        for model, count in before["rows"].items():
            if model == "customer.archive.number.counter":
                continue
            if model == "customer.credit.collection":
                self.assertGreaterEqual(after["rows"].get(model), count, f"rows of {model}")
                continue
            self.assertEqual(after["rows"].get(model), count, f"rows of {model}")
        # The encrypted numbers still decrypt to the same values, wherever they are kept now.
        self.assertTrue(before["numbers"]["identity_number"], "the demo and the test have numbers")
        self.assertEqual(after["numbers"], before["numbers"])
        # The customers' chatter tells no credit figures any more (the demo's limits were noted).
        self.assertTrue(before["figure_notes"], "the previous release noted the demo's limits")
        self.assertEqual(after["figure_notes"], 0)
        # The letters sent before have a status now: sent, or not sent for want of an address.
        self.assertTrue(before["letters"].get("None"), "the previous release's demo sent letters")
        self.assertNotIn("None", after["letters"])
        self.assertEqual(sum(after["letters"].values()), before["letters"]["None"])
        self.assertTrue(after["letters"].get("sent"))
        # Their e-mails and the credit department's activities are on the credit status now.
        self.assertTrue(before["letter_messages"], "the previous release's letters were on the customers")
        self.assertEqual((after["credit_activities"], after["letter_messages"]), (0, 0))
        # Demo users still log in with their password, and see the same menus of the addons.
        self.assertEqual(set(before["logins"]), set(DEMO_LOGINS))
        self.assertTrue(all(before["logins"].values()), before["logins"])
        self.assertEqual(after["logins"], before["logins"])
        for login, menus in before["menus"].items():
            self.assertLessEqual(set(menus), set(after["menus"][login]), f"menus of {login}")
