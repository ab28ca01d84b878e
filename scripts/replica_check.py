"""Drive the main reads of each role over JSON-RPC against an Odoo that has a read replica, and
report where each request ran and which access-log entries it wrote.

Run through ./scripts/replica_check.sh, which builds the primary, the standby and the Odoo server.
Each request carries a marker in its URL (``rc-N``); Odoo's access log line of the request ends
with the cursor it ran on (``ro``: the replica; ``rw``: the primary; ``ro->rw``: retried on the
primary). The access-log entries are read on the primary after each request. Exits non-zero when a
read did not run on the replica, a request was retried, or an entry was written twice.
"""

import argparse
import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.request
from collections import Counter

import psycopg2

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--url", required=True)
parser.add_argument("--database", required=True)
parser.add_argument("--primary", required=True, help="libpq connection string of the primary")
parser.add_argument("--standby", required=True, help="libpq connection string of the standby")
parser.add_argument("--odoo-log", required=True)
args = parser.parse_args()

# (login, what the role is) — the demo users of customer_archive.
ROLES = [("zhaomin", "archive officer"), ("wangfang", "salesperson"), ("sunli", "archive manager")]
# Who sees the customers' credit figures (customer_credit): salespeople, the credit department.
CREDIT_ROLES = ("salesperson",)
CARD = "customer_archive.report_archive_card"


class Session:
    def __init__(self, login):
        self.login = login
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.calls = 0

    def post(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}).encode()
        request = urllib.request.Request(
            args.url + path, data=body, headers={"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=120) as response:
            answer = json.loads(response.read())
        if "error" in answer:
            raise RuntimeError(f"{path}: {answer['error']['data'].get('message')}")
        return answer["result"]

    def get(self, path):
        with self.opener.open(args.url + path, timeout=300) as response:
            return response.status, response.read()

    def call_kw(self, model, method, call_args, marker, **kwargs):
        return self.post(
            f"/web/dataset/call_kw/{model}/{method}/{marker}",
            {"model": model, "method": method, "args": call_args, "kwargs": kwargs},
        )


def wait_for_odoo():
    deadline = time.time() + 180
    while True:
        try:
            Session("-").post("/web/webclient/version_info", {})
            return
        except (urllib.error.URLError, ConnectionError, RuntimeError):
            if time.time() > deadline:
                sys.exit("Odoo did not answer in 3 minutes; see its log")
            time.sleep(2)


def standby_transactions(cr):
    cr.execute("SELECT pg_stat_clear_snapshot()")
    cr.execute("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s", [args.database])
    return cr.fetchone()[0]


def last_entry_id(cr):
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM customer_archive_access_log")
    return cr.fetchone()[0]


def entries_since(cr, entry_id):
    cr.execute(
        "SELECT action, archive_id, document_id, res_model, res_id FROM customer_archive_access_log"
        " WHERE id > %s ORDER BY id",
        [entry_id],
    )
    return cr.fetchall()


wait_for_odoo()
primary = psycopg2.connect(args.primary)
primary.autocommit = True
pcr = primary.cursor()
standby = psycopg2.connect(args.standby)
standby.autocommit = True
scr = standby.cursor()
scr.execute("SELECT pg_is_in_recovery()")
assert scr.fetchone()[0], "the standby is not in recovery"
pcr.execute("SELECT application_name, state FROM pg_stat_replication")
print("streaming replication:", pcr.fetchall())

# Set-up, on the primary (write requests): wkhtmltopdf fetches the report styles from Odoo itself;
# a scan is attached to a document of a secret archive of the salesperson's customer.
admin = Session("admin")
admin.post("/web/session/authenticate", {"db": args.database, "login": "admin", "password": "admin"})
admin.call_kw("ir.config_parameter", "set_param", ["report.url", args.url], "setup")
sessions = {}
for login, _role in ROLES:
    sessions[login] = Session(login)
    sessions[login].post(
        "/web/session/authenticate", {"db": args.database, "login": login, "password": login}
    )
sales = sessions["wangfang"]
archive = sales.call_kw(
    "customer.archive",
    "search_read",
    [[("confidentiality", "=", "secret")], ["partner_id"]],
    "setup",
    limit=1,
)[0]
document = sales.call_kw(
    "customer.archive.document",
    "search_read",
    [[("archive_id", "=", archive["id"])], ["name"]],
    "setup",
    limit=1,
)[0]
scan_id = sessions["zhaomin"].call_kw(
    "ir.attachment",
    "create",
    [
        {
            "name": "scan.pdf",
            "raw": "%PDF-1.4 scan",
            "res_model": "customer.archive.document",
            "res_id": document["id"],
        }
    ],
    "setup",
)
scan_id = scan_id[0] if isinstance(scan_id, list) else scan_id
partner_id = archive["partner_id"][0]
# The archive card (customer.archive.card) of that customer: what the card report prints.
card_id = sales.call_kw(
    "customer.archive.card", "search", [[("partner_id", "=", partner_id)]], "setup", limit=1
)[0]
one = [("id", "=", archive["id"])]
credit_spec = {"name": {}, "credit_exposure": {}, "credit_available": {}, "credit_over_limit": {}}
customer_spec = {"name": {}, "email": {}, "user_id": {"fields": {"display_name": {}}}}

# label, how to call it (session, marker), entries expected (None: as many as the list shows), read
READS = [
    ("read", lambda s, m: s.call_kw("customer.archive", "read", [[archive["id"]], ["number", "name"]], m), 1),
    ("search_read", lambda s, m: s.call_kw("customer.archive", "search_read", [one, ["number"]], m), 1),
    (
        "web_read",
        lambda s, m: s.call_kw(
            "customer.archive",
            "web_read",
            [[archive["id"]]],
            m,
            specification={"number": {}, "name": {}, "document_ids": {"fields": {"name": {}}}},
        ),
        1,
    ),
    (
        "web_search_read (one)",
        lambda s, m: s.call_kw("customer.archive", "web_search_read", [one], m, specification={"number": {}}),
        1,
    ),
    (
        "web_search_read (page)",
        lambda s, m: s.call_kw(
            "customer.archive", "web_search_read", [[]], m, specification={"number": {}, "name": {}}, limit=80
        ),
        None,
    ),
    (
        "read_group",
        lambda s, m: s.call_kw("customer.archive", "read_group", [[], ["id:count"], ["confidentiality"]], m),
        0,
    ),
    (
        "web_read_group",
        lambda s, m: s.call_kw("customer.archive", "web_read_group", [[], ["id:count"], ["category_id"]], m),
        0,
    ),
    (
        "documents list",
        lambda s, m: s.call_kw(
            "customer.archive.document",
            "web_search_read",
            [[("archive_id", "=", archive["id"])]],
            m,
            specification={"name": {}},
        ),
        None,
    ),
    (
        "customers",
        lambda s, m: s.call_kw(
            "res.partner",
            "web_search_read",
            [[("is_company", "=", True)]],
            m,
            specification=customer_spec,
            limit=80,
        ),
        0,
    ),
    (
        "customers with credit",
        lambda s, m: s.call_kw(
            "res.partner",
            "web_search_read",
            [[("is_company", "=", True)]],
            m,
            specification=credit_spec,
            limit=40,
        ),
        0,
    ),
    ("/web/content (scan)", lambda s, m: s.get(f"/web/content/{scan_id}?{m}"), 1),
    # One entry per archive the card shows.
    ("/report/pdf (archive card)", lambda s, m: s.get(f"/report/pdf/{CARD}/{card_id}?{m}"), None),
]

results = []
marker_no = 0
before_standby = standby_transactions(scr)
for login, role in ROLES:
    for label, call, expected in READS:
        if label == "customers with credit" and role not in CREDIT_ROLES:
            continue
        marker_no += 1
        marker = f"rc-{marker_no}"
        since = last_entry_id(pcr)
        try:
            call(sessions[login], marker)
            error = None
        except (RuntimeError, urllib.error.HTTPError) as exc:
            error = str(exc)[:80]
        written = entries_since(pcr, since)
        results.append((role, label, marker, expected, written, error))
time.sleep(1.5)  # the standby publishes its statistics once a second
after_standby = standby_transactions(scr)

# Where each request ran: the last word of its line in Odoo's log.
with open(args.odoo_log, encoding="utf-8", errors="replace") as log_file:
    log = log_file.read()
modes = {}
for line in log.splitlines():
    found = re.search(r"[/?&](rc-\d+)[ /?&\"].*\s(ro|rw|ro->rw)\s*$", line)
    if found:
        modes[found.group(1)] = found.group(2)
retries = log.count("retrying with a read/write cursor")

failures = []
print(f"\n{'role':<17} {'request':<27} {'ran on':<8} entries written")
for role, label, marker, expected, written, error in results:
    mode = modes.get(marker, "?")
    where = {"ro": "replica", "rw": "primary", "ro->rw": "RETRIED"}.get(mode, "?")
    counted = Counter((row[0], row[1], row[2], row[3], row[4]) for row in written)
    twice = [key for key, count in counted.items() if count > 1]
    summary = (
        ", ".join(f"{action} ×{n}" for action, n in Counter(row[0] for row in written).items()) or "none"
    )
    print(f"{role:<17} {label:<27} {where:<8} {summary}{'  ERROR ' + error if error else ''}")
    is_print = label.startswith("/report")
    if error:
        failures.append(f"{role} {label}: {error}")
    if mode != "ro":
        failures.append(f"{role} {label}: ran on {where}")
    if twice:
        failures.append(f"{role} {label}: entries written twice {twice}")
    if expected is not None and len(written) != expected:
        failures.append(f"{role} {label}: {len(written)} entries, expected {expected}")
    if is_print and not written:
        failures.append(f"{role} {label}: the print was not logged")

on_replica = sum(1 for r in results if modes.get(r[2]) == "ro")
print(f"\nread requests on the replica: {on_replica} of {len(results)}")
print(f"transactions on the standby during the run: {after_standby - before_standby}")
print(f"requests retried on the primary ('retrying with a read/write cursor'): {retries}")
total = sum(len(r[4]) for r in results)
print(f"access-log entries written: {total}, none twice" if not any("twice" in f for f in failures) else "")
if retries:
    failures.append(f"{retries} requests retried on the primary")
if failures:
    print("\nFAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("OK: every read ran on the replica, without a retry; every entry was written once.")
