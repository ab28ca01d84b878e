"""The archive list's first page for each role, beside the superuser and one plain SQL query.

Builds, inside a transaction that is rolled back: CUSTOMERS customers (one in SHARE of them the
benchmark salesperson's), ARCHIVES archives spread over them (70 % ordinary, 20 % secret, 8 %
confidential, 2 % top secret) and DOCUMENTS documents per archive, and one user per role: the
salesperson (cleared for ordinary), an archive officer (secret), an archive office manager
(confidential) and an executive (top secret). Then, for each role and for the superuser, prints the
wall time (best of three runs, each on cold records) and queries of:
- the list's first page as the web client asks for it: ``web_search_read`` with the fields of the
  list view as that user gets it, the model's default order, 80 rows, and the count the pager
  shows (``count_limit`` 10,001, Odoo's web client default);
- ``search_count`` of every archive the user sees (the full count);
- the same page filtered *Incomplete* and *Stale* (searches on computed fields, in SQL);
- one plain SQL query giving the same page and the pager's count (the rules written by hand);
and the ratios of the page to the superuser's and to the SQL query.
Run through ./scripts/benchmark_archive_lists.sh [database] [--archives N].
"""

import argparse
import time

from lxml import etree

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--config", required=True)
parser.add_argument("--database", required=True)
parser.add_argument("--archives", type=int, default=100_000)
parser.add_argument("--documents", type=int, default=2, help="documents per archive")
parser.add_argument("--customers", type=int, default=5000)
parser.add_argument("--share", type=int, default=20, help="one customer in SHARE is the salesperson's")
parser.add_argument("--runs", type=int, default=3)
args = parser.parse_args()
odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
PAGE = 80
GROUP = "base.group_user,customer_archive.group_archive_%s"
ROLES = [
    # (label, login, group, clearance)
    ("salesperson", "bench_sales", "user", "ordinary"),
    ("archive officer", "bench_officer", "officer", "secret"),
    ("archive manager", "bench_manager", "manager", "confidential"),
    ("executive", "bench_executive", "executive", "top_secret"),
]
RANKS = {"ordinary": 1, "secret": 2, "confidential": 3, "top_secret": 4}

# The same page and pager count in one statement: the rules of customer_archive_security.xml written
# by hand (company; own customers for the salesperson; up to the clearance), the list's columns with
# the names of the records they point to, the default order, the count up to the web client's limit.
RULE = """
    a.company_id = ANY(%(companies)s) AND a.confidentiality_rank <= %(rank)s
    AND (%(salesperson)s::int IS NULL OR a.salesperson_id = %(salesperson)s)
"""
PLAIN = f"""
    SELECT a.id, a.number, p.name, a.name, c.name->>'en_US', u.login, a.confidentiality, a.date_opened,
           a.formalisation_deadline, a.state,
           (SELECT count(*) FROM (SELECT 1 FROM customer_archive a WHERE {RULE} LIMIT %(count_limit)s) n)
      FROM customer_archive a
      JOIN res_partner p ON p.id = a.partner_id
      JOIN customer_archive_category c ON c.id = a.category_id
      JOIN res_users u ON u.id = a.user_id
     WHERE {RULE}
     ORDER BY a.date_opened DESC, a.id DESC
     LIMIT %(limit)s
"""
COUNT_LIMIT = 10001  # what Odoo's web client asks web_search_read to count up to


def measure(env, label, function):
    """Once to warm the caches (users, groups, rules, views), then the best of a few runs, each on
    cold records. Returns (seconds, queries of one run)."""
    function()
    best = None
    for _run in range(args.runs):
        env.invalidate_all()
        before = env.cr.sql_log_count
        started = time.perf_counter()
        function()
        elapsed = time.perf_counter() - started
        queries = env.cr.sql_log_count - before
        best = elapsed if best is None else min(best, elapsed)
    print(f"  {label:<46} {best:8.4f} s {queries:5d} queries", flush=True)
    return best, queries


def list_specification(Archive):
    """The fields of the archive list view as ``Archive``'s user gets it (groups applied), as the
    web client asks for them: many2one fields with their display name."""
    arch = Archive.get_views([(False, "list")])["views"]["list"]["arch"]
    specification = {}
    for node in etree.fromstring(arch).iter("field"):
        field = Archive._fields[node.get("name")]
        specification[field.name] = {"fields": {"display_name": {}}} if field.type == "many2one" else {}
    return specification


def build(env):
    """Customers, archives and documents in SQL (the ORM would take an hour), and the users."""
    cr = env.cr
    company = env.company
    users = {
        login: env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "login": login,
                "name": label.title(),
                "groups_id": [(6, 0, [env.ref(xmlid).id for xmlid in (GROUP % group).split(",")])],
                "archive_clearance": clearance,
            }
        )
        for label, login, group, clearance in ROLES
    }
    salesperson = users["bench_sales"]
    department = env["customer.archive.department"].create({"name": "Benchmark", "code": "BENCH"})
    category = env.ref("customer_archive.category_basic")
    types = env["customer.archive.document.type"].search([], limit=max(args.documents, 1))
    env.flush_all()
    cr.execute(
        """
        INSERT INTO res_partner (name, is_company, active, type, company_id, user_id, create_date, write_date,
                                 autopost_bills)
        SELECT 'Archive customer ' || n, TRUE, TRUE, 'contact', NULL,
               CASE WHEN n %% %(share)s = 0 THEN %(salesperson)s ELSE %(other)s END, now(), now(), 'ask'
          FROM generate_series(1, %(customers)s) n
        RETURNING id
        """,
        {
            "customers": args.customers,
            "share": args.share,
            "salesperson": salesperson.id,
            "other": SUPERUSER_ID,
        },
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [partner_ids])
    cr.execute(
        """
        INSERT INTO customer_archive (number, name, partner_id, salesperson_id, category_id, department_id,
                                      user_id, company_id, state, confidentiality, confidentiality_rank,
                                      date_opened, formalisation_deadline, lent_count, is_lent, legal_hold,
                                      create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH-' || n, 'Benchmark archive ' || n, p.id, p.user_id, %(category)s, %(department)s,
               %(user)s, %(company)s,
               CASE WHEN n %% 3 = 0 THEN 'temporary' WHEN n %% 3 = 1 THEN 'formal' ELSE 'filed' END,
               l.level, l.rank, CURRENT_DATE - (n %% 3650), CURRENT_DATE - (n %% 3650) + 30, 0, FALSE, FALSE,
               %(user)s, %(user)s, now(), now()
          FROM generate_series(1, %(archives)s) n
          JOIN res_partner p ON p.id = (%(partners)s)[1 + n %% array_length(%(partners)s, 1)]
          JOIN LATERAL (
              SELECT CASE WHEN n %% 50 = 0 THEN 'top_secret' WHEN n %% 50 < 5 THEN 'confidential'
                          WHEN n %% 5 = 0 THEN 'secret' ELSE 'ordinary' END AS level
          ) c ON TRUE
          JOIN LATERAL (
              SELECT c.level, CASE c.level WHEN 'ordinary' THEN 1 WHEN 'secret' THEN 2
                                           WHEN 'confidential' THEN 3 ELSE 4 END AS rank
          ) l ON TRUE
        """,
        {
            "category": category.id,
            "department": department.id,
            "user": SUPERUSER_ID,
            "company": company.id,
            "archives": args.archives,
            "partners": partner_ids,
        },
    )
    if types and args.documents:
        cr.execute(
            """
            INSERT INTO customer_archive_document (
                archive_id, sequence, type_id, page_count, partner_id, salesperson_id, company_id,
                confidentiality, confidentiality_rank, name, condition, archive_date_opened, is_original,
                create_uid, write_uid, create_date, write_date
            )
            SELECT a.id, k, (%(types)s)[1 + k %% array_length(%(types)s, 1)], 2, a.partner_id,
                   a.salesperson_id, a.company_id, a.confidentiality, a.confidentiality_rank,
                   'Document ' || k, 'good', a.date_opened, TRUE, %(user)s, %(user)s, now(), now()
              FROM customer_archive a
              CROSS JOIN generate_series(1, %(documents)s) k
             WHERE a.number LIKE 'BENCH-%%'
            """,
            {"types": types.ids, "documents": args.documents, "user": SUPERUSER_ID},
        )
    cr.execute("ANALYZE res_partner; ANALYZE customer_archive; ANALYZE customer_archive_document")
    return users


def main():
    with Registry(args.database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        started = time.perf_counter()
        users = build(env)
        print(
            f"built {args.archives:,} archives ({args.documents} documents each) over "
            f"{args.customers:,} customers in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        company_ids = env.company.ids
        rows = []
        roles = [(label, users[login], clearance) for label, login, _group, clearance in ROLES]
        roles.append(("superuser", env.user, "top_secret"))
        for label, user, clearance in roles:
            su = label == "superuser"
            Archive = env["customer.archive"].with_user(user) if not su else env["customer.archive"]
            specification = list_specification(Archive)
            print(f"{label} ({Archive.search_count([]):,} archives visible)", flush=True)
            page = measure(
                env,
                "list page: web_search_read (80 rows + pager)",
                lambda Archive=Archive, specification=specification: Archive.web_search_read(
                    [], specification, limit=PAGE, count_limit=COUNT_LIMIT
                ),
            )
            count = measure(
                env, "search_count (every visible archive)", lambda Archive=Archive: Archive.search_count([])
            )
            for name, domain in (
                ("Incomplete", [("is_complete", "=", False)]),
                ("Stale", [("is_stale", "=", True)]),
            ):
                measure(
                    env,
                    f"list page filtered {name} (80 rows + pager)",
                    lambda Archive=Archive,
                    specification=specification,
                    domain=domain: Archive.web_search_read(
                        domain, specification, limit=PAGE, count_limit=COUNT_LIMIT
                    ),
                )
            params = {
                "companies": company_ids,
                "rank": RANKS[clearance],
                "salesperson": user.id if label == "salesperson" else None,
                "limit": PAGE,
                "count_limit": COUNT_LIMIT,
            }
            plain = measure(
                env, "one plain SQL query (page + count)", lambda params=params: cr.execute(PLAIN, params)
            )
            rows.append((label, page, count, plain))
        cr.rollback()

    superuser = rows[-1][1][0]
    print("\n| Role | Page (web_search_read) | × superuser | × SQL | search_count | SQL (page + count) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, page, count, plain in rows:
        print(
            f"| {label} | {page[0]:.3f} s, {page[1]} q | {page[0] / superuser:.1f}× "
            f"| {page[0] / plain[0]:.1f}× | {count[0]:.3f} s, {count[1]} q | {plain[0]:.3f} s |"
        )


main()
