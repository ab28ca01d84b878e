"""Time the data gathering of the monthly lending report over a large volume of requests.

Creates COUNT lending requests (one in ten still out) inside a transaction that is rolled back,
then gathers the report's data and prints the time and the number of queries.
Run through ./scripts/benchmark_monthly_report.sh.
"""

import argparse
import sys
import time
from datetime import datetime

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--config", required=True)
parser.add_argument("--database", required=True)
parser.add_argument("--count", type=int, default=100_000)
args = parser.parse_args()
odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])

with Registry(args.database).cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    company = env.company
    department = env["customer.archive.department"].create({"name": "Benchmark", "code": "BENCH"})
    archive = env["customer.archive"].create(
        {
            "partner_id": env.ref("base.main_partner").id,
            "category_id": env.ref("customer_archive.category_basic").id,
            "department_id": department.id,
        }
    )
    env.flush_all()
    cr.execute(
        """
        INSERT INTO customer_archive_borrow
            (name, request_type, state, archive_id, partner_id, company_id, requester_id, content, purpose,
             date_start, date_due, date_lent, date_returned, confidentiality, confidentiality_rank,
             create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH/' || n, 'borrow', CASE WHEN n %% 10 = 0 THEN 'lent' ELSE 'done' END, %(archive)s,
               %(partner)s, %(company)s, %(user)s, 'benchmark', 'benchmark',
               TIMESTAMP '2026-01-01' + n * INTERVAL '1 minute',
               TIMESTAMP '2026-01-01' + n * INTERVAL '1 minute' + INTERVAL '4 hours',
               TIMESTAMP '2026-01-01' + n * INTERVAL '1 minute',
               CASE WHEN n %% 10 = 0 THEN NULL
                    ELSE TIMESTAMP '2026-01-01' + n * INTERVAL '1 minute' + INTERVAL '2 hours' END,
               'ordinary', 1, %(user)s, %(user)s, now(), now()
          FROM generate_series(1, %(count)s) AS n
        """,
        {
            "archive": archive.id,
            "partner": archive.partner_id.id,
            "company": company.id,
            "user": SUPERUSER_ID,
            "count": args.count,
        },
    )
    cr.execute("ANALYZE customer_archive_borrow")
    Report = env["customer.archive.monthly.report"]
    cutoff = datetime(2026, 12, 1)
    queries_before = cr.sql_log_count
    started = time.perf_counter()
    rows = Report._outstanding_rows(company, cutoff)
    elapsed = time.perf_counter() - started
    queries = cr.sql_log_count - queries_before
    cr.rollback()

print(f"requests: {args.count}, outstanding found: {len(rows)}, queries: {queries}, time: {elapsed:.3f} s")
sys.exit(0 if elapsed < 2.0 else 1)
