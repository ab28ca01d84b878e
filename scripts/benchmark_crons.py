"""Time, queries, mail and memory of the scheduled actions at scale: ours against the old style.

Builds, inside a transaction that is rolled back at the end, on the main company:
- CUSTOMERS credit customers, each with a decided limit and a salesperson: one in six overdue
  past the hold days and over the warning threshold, one in six overdue a few days, one in ten
  due for a credit review (the old style sends over 3,000 e-mails for 5,000 customers, as in
  issue 13);
- ARCHIVES archives due for their periodic review and as many past their formalisation deadline;
- LOANS loans overdue; LOG access-log entries, half of them past their retention;
- for the monthly report, OUT loans out at the start of the month, at each size given.

Each scheduled action is then run as Odoo's cron runner runs it (one bounded batch per call, until
nothing remains) and prints, per batch, the time and the queries, then the activities and e-mails it
made. The same first batch is also run the old way, one ``activity_schedule`` per record and person
(with Odoo's "assigned to you" e-mail; the overdue loans also one e-mail per person from a
template), as the code was before the batched pattern, and the ratio old / ours is printed. The
access-log purge is compared with its old batch (deleted by id, then every expired entry counted).
The reminder letters the credit monitoring queued are then printed and e-mailed by their own
scheduled action, batch after batch. The monthly report is made at each size: time, queries and
the Python memory peak (tracemalloc), which stays flat whatever is out.

Run through ./scripts/benchmark_crons.sh. Not part of the test suite.
"""

import argparse
import time
import tracemalloc
from datetime import date, datetime, timedelta
from unittest.mock import patch

import psycopg2

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tools import SQL

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--config", required=True)
parser.add_argument("--database", required=True)
parser.add_argument("--customers", type=int, default=5000)
parser.add_argument("--archives", type=int, default=3000)
parser.add_argument("--loans", type=int, default=2000)
parser.add_argument("--log", type=int, default=200_000)
parser.add_argument("--out", default="1000,10000", help="sizes of the monthly report, comma-separated")
parser.add_argument("--batch", type=int, default=200, help="batch of the review and overdue actions")
parser.add_argument("--credit-batch", type=int, default=500, help="batch of the credit monitoring")
parser.add_argument("--skip-old", action="store_true", help="do not run the old style")
args = parser.parse_args()
odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])

# The overdue-loan e-mail as it was, sent once per loan and person by the old style.
OLD_OVERDUE_BODY = """<div>
    <p>Hello,</p>
    <p>Archive <t t-out="object.archive_id.number"/> (request <t t-out="object.name"/>) was due back on
        <t t-out="format_datetime(object.date_due, tz=object.company_id.resource_calendar_id.tz or 'UTC')"/>
        and has not been returned.</p>
    <p>Please return it to the archive office today.</p>
</div>"""


def counter(cr, table):
    cr.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    return cr.fetchone()[0]


def made_since(cr, table, mark):
    cr.execute(f"SELECT count(*) FROM {table} WHERE id > %s", [mark])
    return cr.fetchone()[0]


def timed(env, function):
    env.flush_all()
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    result = function()
    env.flush_all()
    env.cr.precommit.run()  # what the commit after each batch does (tracking values)
    return time.perf_counter() - started, env.cr.sql_log_count - queries, result


class Runner:
    """Calls a cron method batch after batch as Odoo's cron runner does, reading what it reports."""

    def __init__(self, env, xmlid):
        self.env = env
        self.cron = env.ref(xmlid)

    def batch(self, call):
        progress = self.env["ir.cron.progress"].create({"cron_id": self.cron.id, "done": 0, "remaining": 0})
        elapsed, queries, _result = timed(self.env, lambda: call(progress.id))
        return elapsed, queries, progress.done, progress.remaining

    def run(self, label, call):
        cr = self.env.cr
        mails, activities = counter(cr, "mail_mail"), counter(cr, "mail_activity")
        total_time = total_queries = 0.0
        batches = []
        for number in range(1, 10_000):
            elapsed, queries, done, remaining = self.batch(call)
            batches.append((elapsed, queries, done))
            total_time += elapsed
            total_queries += queries
            print(
                f"  {label} batch {number:3d}: {done:6d} done {remaining:7d} left "
                f"{elapsed:8.3f} s {queries:7d} queries"
            )
            if not remaining:
                break
        made_activities = made_since(cr, "mail_activity", activities)
        made_mails = made_since(cr, "mail_mail", mails)
        print(
            f"  {label} all: {total_time:.3f} s, {int(total_queries)} queries, {len(batches)} batches, "
            f"{made_activities} activities, {made_mails} e-mails"
        )
        return batches, made_activities, made_mails


def compare(label, ours, old):
    """Print old / ours for one batch: ours is the median of our batches of the same size as the
    old one (the last batch of a run also sends the digests), to smooth out a shared machine."""
    old_time, old_queries, old_done = old
    same = sorted(batch for batch in ours if batch[2] == old_done) or sorted(ours)
    ours_time, ours_queries, ours_done = same[len(same) // 2]
    print(
        f"  {label}: one batch of {old_done}: old {old_time:.3f} s / {old_queries} queries, "
        f"ours (median of {len(same)}) {ours_time:.3f} s / {ours_queries} queries -> "
        f"{old_time / ours_time:.1f}x faster, {old_queries / max(ours_queries, 1):.1f}x fewer queries"
    )


def old_schedule(self, activity_type, targets, render, deadline=None, digest=None):
    """mail.activity._archive_schedule the old way: one activity_schedule per record and person,
    each with Odoo's "assigned to you" e-mail."""
    activities = self.browse()
    for record, users in targets:
        company = record.company_id if "company_id" in record._fields else self.env.company
        company = company[:1] or self.env.company
        for user in users:
            reader = company._archive_for_reader(record, user)
            summary, note = render(reader)
            activities |= record.activity_schedule(
                activity_type_id=activity_type.id,
                summary=summary,
                note=note,
                user_id=user.id,
                date_deadline=deadline(record) if deadline else company._archive_today(),
            )
    return activities


def old_reviews(env, batch_size):
    """customer.archive._cron_schedule_reviews before the batched pattern."""
    Archive = env["customer.archive"]
    activity_type = env.ref("customer_archive.mail_activity_type_archive_review")
    domain = [
        ("state", "!=", "destroyed"),
        ("date_next_review", "<=", env.company._archive_today()),
        ("activity_ids", "not any", [("activity_type_id", "=", activity_type.id)]),
    ]
    archives = Archive.search(domain, limit=batch_size)
    for archive in archives:
        reader = archive.company_id._archive_for_reader(archive, archive.user_id or None)
        reader.activity_schedule(
            activity_type_id=activity_type.id,
            user_id=archive.user_id.id,
            note=reader.env._("Review archive %(number)s.", number=archive.number),
            date_deadline=fields.Date.context_today(reader),
        )
    return len(archives)


def old_formalisation(env, batch_size):
    """customer.archive._cron_notify_overdue_formalisation before the batched pattern."""
    Archive = env["customer.archive"]
    activity_type = env.ref("customer_archive.mail_activity_type_formalisation_overdue")
    domain = [("is_formalisation_overdue", "=", True), ("formalisation_overdue_notified", "=", False)]
    archives = Archive.search(domain, limit=batch_size)
    for archive in archives:
        reader = archive.company_id._archive_for_reader(archive, archive.user_id or None)
        reader.activity_schedule(
            activity_type_id=activity_type.id,
            note=reader.env._(
                "Archive %(number)s had to be formal by %(deadline)s.",
                number=archive.number,
                deadline=odoo.tools.format_date(reader.env, archive.formalisation_deadline),
            ),
            user_id=archive.user_id.id,
            date_deadline=fields.Date.context_today(reader),
        )
    archives._workflow_write({"formalisation_overdue_notified": True})
    return len(archives)


def old_overdue_loans(env, batch_size, template):
    """customer.archive.borrow._cron_notify_overdue before the batched pattern."""
    Borrow = env["customer.archive.borrow"]
    activity_type = env.ref("customer_archive.mail_activity_type_borrow_overdue")
    requests = Borrow.search([("is_overdue", "=", True), ("overdue_notified", "=", False)], limit=batch_size)
    for request in requests:
        for user in request.requester_id | request.lent_by_id:
            reader = request.company_id._archive_for_reader(request, user)
            reader.activity_schedule(
                activity_type_id=activity_type.id,
                summary=reader.env._("Overdue: %(name)s", name=request.name),
                user_id=user.id,
                date_deadline=fields.Date.context_today(reader),
            )
            template.with_context(lang=reader.env.lang).send_mail(
                request.id, email_values={"recipient_ids": [fields.Command.set(user.partner_id.ids)]}
            )
    requests._workflow_write({"overdue_notified": True})
    return len(requests)


def build_people(env):
    groups = [
        env.ref("customer_archive.group_archive_officer").id,
        env.ref("customer_credit.group_credit_user").id,
        env.ref("sales_team.group_sale_salesman").id,
    ]
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Benchmark user {n}",
                    "login": f"bench_cron_{n}",
                    "email": f"bench_cron_{n}@example.com",
                    "groups_id": [(6, 0, groups)],
                }
                for n in range(5)
            ]
        )
    )
    users.write({"archive_clearance": "secret"})
    return users


def build_credit(env, users, count):
    cr, company = env.cr, env.company
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    receivable = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)], limit=1
    )
    currency = company.currency_id.id
    cr.execute(
        """
        INSERT INTO res_partner (name, is_company, active, type, company_id, create_date, write_date,
                                 commercial_partner_id, autopost_bills, credit_limit, user_id)
        SELECT 'Benchmark customer ' || n, TRUE, TRUE, 'contact', NULL, now(), now(), NULL, 'ask',
               jsonb_build_object(%(company)s::text, 1000), (%(users)s)[1 + n %% 5]
          FROM generate_series(1, %(count)s) n
        RETURNING id
        """,
        {"count": count, "company": company.id, "users": users.ids},
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [partner_ids])
    cr.execute(
        """
        INSERT INTO customer_credit_limit_history (partner_id, company_id, previous_limit, new_limit,
                                                   previous_term_days, new_term_days, reason, approver_id,
                                                   date, create_date, write_date)
        SELECT p, %(company)s, 0, 1000, 0, 30, 'Benchmark limit', %(uid)s, now(), now(), now()
          FROM unnest(%(partners)s) p
        """,
        {"company": company.id, "uid": SUPERUSER_ID, "partners": partner_ids},
    )
    cr.execute(
        """
        INSERT INTO account_move (journal_id, company_id, currency_id, state, move_type, auto_post, date,
                                  invoice_date, partner_id, commercial_partner_id, name,
                                  create_date, write_date)
        SELECT %(journal)s, %(company)s, %(currency)s, 'posted', 'out_invoice', 'no', CURRENT_DATE - 130,
               CURRENT_DATE - 130, p, p, 'BENCH-CRON/' || p, now(), now()
          FROM unnest(%(partners)s) p
        RETURNING id, partner_id
        """,
        {"journal": journal.id, "company": company.id, "currency": currency, "partners": partner_ids},
    )
    moves = cr.fetchall()
    # One in six 100 days overdue and at 90 % of the limit (a hold and a warning), one in six
    # 10 days overdue at 30 %, the others not yet due at 20 %: with one in ten due for a review, the
    # old style sends over 3,000 e-mails for 5,000 customers, as measured in issue 13.
    cr.execute(
        """
        INSERT INTO account_move_line (move_id, currency_id, display_type, account_id, partner_id, company_id,
                                       journal_id, date, date_maturity, parent_state, reconciled,
                                       balance, debit, credit, amount_currency, amount_residual,
                                       amount_residual_currency)
        SELECT m.id, %(currency)s, 'payment_term', %(account)s, m.partner_id, %(company)s, %(journal)s,
               CURRENT_DATE - 130,
               CURRENT_DATE - (ARRAY[100, 10, -20, -20, -20, -20])[1 + m.partner_id %% 6],
               'posted', FALSE, a.amount, a.amount, 0, a.amount, a.amount, a.amount
          FROM unnest(%(moves)s, %(partners)s) AS m(id, partner_id)
          JOIN LATERAL (SELECT (ARRAY[900, 300, 200, 200, 200, 200])[1 + m.partner_id %% 6] AS amount) a
            ON TRUE
        """,
        {
            "currency": currency,
            "account": receivable.id,
            "company": company.id,
            "journal": journal.id,
            "moves": [move for move, _partner in moves],
            "partners": [partner for _move, partner in moves],
        },
    )
    scorecard = env["customer.credit.scorecard"].search([("company_id", "in", (company.id, False))], limit=1)
    cr.execute(
        """
        INSERT INTO customer_credit_evaluation (requester_id, partner_id, scorecard_id, company_id, name,
                                                state, date, date_next_review, create_date, write_date)
        SELECT %(uid)s, p, %(scorecard)s, %(company)s, 'Benchmark evaluation', 'approved',
               CURRENT_DATE - 800, CURRENT_DATE - 70, now(), now()
          FROM unnest(%(partners)s) p
         WHERE p %% 10 = 0
        """,
        {"uid": SUPERUSER_ID, "scorecard": scorecard.id, "company": company.id, "partners": partner_ids},
    )
    cr.execute("ANALYZE res_partner; ANALYZE account_move_line; ANALYZE customer_credit_limit_history")
    env.invalidate_all()
    return partner_ids


def build_archives(env, users, count):
    cr, company = env.cr, env.company
    department = env["customer.archive.department"].create({"name": "Benchmark", "code": "BENCHC"})
    partner = env["res.partner"].create({"name": "Benchmark archive customer", "is_company": True})
    category = env.ref("customer_archive.category_basic")
    common = {
        "partner": partner.id,
        "category": category.id,
        "department": department.id,
        "company": company.id,
        "users": users.ids,
        "count": count,
    }
    cr.execute(
        """
        INSERT INTO customer_archive (number, name, partner_id, category_id, department_id, user_id,
                                      company_id, state, confidentiality, confidentiality_rank, date_opened,
                                      date_formalised, date_next_review, date_stale, lent_count, is_lent,
                                      create_date, write_date)
        SELECT 'BENCH-R-' || n, 'Review ' || n, %(partner)s, %(category)s, %(department)s,
               (%(users)s)[1 + n %% 5], %(company)s, 'formal', 'ordinary', 1, DATE '2020-01-06',
               DATE '2020-01-10', CURRENT_DATE - 30, CURRENT_DATE + 300, 0, FALSE, now(), now()
          FROM generate_series(1, %(count)s) n
        """,
        common,
    )
    cr.execute(
        """
        INSERT INTO customer_archive (number, name, partner_id, category_id, department_id, user_id,
                                      company_id, state, confidentiality, confidentiality_rank, date_opened,
                                      date_completion_received, formalisation_deadline,
                                      formalisation_overdue_notified, date_next_review, date_stale,
                                      lent_count, is_lent, create_date, write_date)
        SELECT 'BENCH-F-' || n, 'Formalise ' || n, %(partner)s, %(category)s, %(department)s,
               (%(users)s)[1 + n %% 5], %(company)s, 'temporary', 'ordinary', 1, CURRENT_DATE - 20,
               CURRENT_DATE - 15, CURRENT_DATE - 5, FALSE, CURRENT_DATE + 300, CURRENT_DATE + 600,
               0, FALSE, now(), now()
          FROM generate_series(1, %(count)s) n
        RETURNING id
        """,
        common,
    )
    cr.execute("ANALYZE customer_archive")
    env.invalidate_all()
    return env["customer.archive"].search([("number", "=like", "BENCH-R-%")], limit=1), partner


def build_loans(env, users, archive, count, state="lent", due="now() - INTERVAL '2 hours'", name="BENCH-L-"):
    env.cr.execute(
        f"""
        INSERT INTO customer_archive_borrow
            (name, request_type, state, archive_id, partner_id, company_id, requester_id, lent_by_id, content,
             purpose, date_start, date_due, date_lent, confidentiality, confidentiality_rank,
             overdue_notified, copies_out, create_uid, write_uid, create_date, write_date)
        SELECT %(name)s || n, 'borrow', %(state)s, %(archive)s, %(partner)s, %(company)s,
               (%(users)s)[1 + n %% 5], (%(users)s)[1 + (n + 1) %% 5], 'benchmark', 'benchmark',
               {due} - INTERVAL '4 hours', {due}, {due} - INTERVAL '4 hours', 'ordinary', 1, FALSE, FALSE,
               %(uid)s, %(uid)s, now(), now()
          FROM generate_series(1, %(count)s) AS n
        """,
        {
            "name": name,
            "state": state,
            "archive": archive.id,
            "partner": archive.partner_id.id,
            "company": env.company.id,
            "users": users.ids,
            "uid": SUPERUSER_ID,
            "count": count,
        },
    )
    env.cr.execute("ANALYZE customer_archive_borrow")
    env.invalidate_all()


def savepoint(env, name):
    env.flush_all()  # what was made before (a template's computed fields) is kept by the rollback
    env.cr.execute(SQL("SAVEPOINT %s", SQL.identifier(name)))


def rollback_to(env, name):
    env.cr.execute(SQL("ROLLBACK TO SAVEPOINT %s", SQL.identifier(name)))
    env.cr.precommit.clear()
    env.cr.postcommit.clear()
    env.invalidate_all()


def bench_cron(env, label, xmlid, method, batch_size, old=None, then=None):
    """Run the scheduled action ``xmlid`` batch after batch (``method(progress id)``), then
    ``then()`` on what it made, roll back; then one batch the old way (``old()``), roll back.
    Ours runs first: the old way's rolled-back rows would otherwise slow down its scans."""
    print(f"\n{label}")
    runner = Runner(env, xmlid)
    savepoint(env, "bench_cron")
    batches, _activities, _mails = runner.run("ours", method)
    if then:
        then()
    rollback_to(env, "bench_cron")
    if old and not args.skip_old:
        mails = counter(env.cr, "mail_mail")
        old_time, old_queries, old_done = timed(env, old)
        print(
            f"  old style batch: {old_done} done {old_time:.3f} s {old_queries} queries, "
            f"{made_since(env.cr, 'mail_mail', mails)} e-mails"
        )
        rollback_to(env, "bench_cron")
        compare(label, batches, (old_time, old_queries, old_done))
    return batches


def bench_purge(env, count):
    print(f"\naccess-log purge: {count} entries, half past their retention")
    Log = env["customer.archive.access.log"]
    retention = Log._setting("customer_archive.access_log_retention_days")
    env.cr.execute(
        """
        INSERT INTO customer_archive_access_log (user_id, action, logged_at)
        SELECT %(uid)s, 'read', now() AT TIME ZONE 'UTC' - (n %% 2) * %(days)s * INTERVAL '1 day'
                                                       - n * INTERVAL '1 second'
          FROM generate_series(1, %(count)s) n
        """,
        {"uid": SUPERUSER_ID, "days": retention + 10, "count": count},
    )
    env.cr.execute("ANALYZE customer_archive_access_log")
    limit = fields.Datetime.now() - timedelta(days=retention)
    savepoint(env, "bench_purge")

    def old_batch():
        env.cr.execute(
            "DELETE FROM customer_archive_access_log WHERE id IN ("
            " SELECT id FROM customer_archive_access_log WHERE logged_at < %s ORDER BY id LIMIT %s)",
            [limit, 10000],
        )
        done = env.cr.rowcount
        remaining = Log.search_count([("logged_at", "<", limit)])
        return done, remaining

    old_time, old_queries, (old_done, _left) = timed(env, old_batch)
    rollback_to(env, "bench_purge")
    runner = Runner(env, "customer_archive.ir_cron_purge_access_log")
    ours = runner.batch(lambda progress: Log.with_context(ir_cron_progress_id=progress)._cron_purge_expired())
    print(f"  old style batch: {old_done} done {old_time:.3f} s {old_queries} queries")
    print(f"  ours batch: {ours[2]} done, {ours[3]} left {ours[0]:.3f} s {ours[1]} queries")
    compare("access-log purge", [(ours[0], ours[1], ours[2])], (old_time, old_queries, old_done))
    rollback_to(env, "bench_purge")


def bench_monthly(env, users, archive, sizes):
    print("\nmonthly report: lines, summary per holder and PDF, at each size of what is out")
    Report = env["customer.archive.monthly.report"]
    month = date.today().replace(day=1) + timedelta(days=32)
    month = month.replace(day=1)
    cutoff = datetime.combine(month, datetime.min.time())
    for size in sizes:
        savepoint(env, "bench_monthly")
        build_loans(
            env,
            users,
            archive,
            size,
            due=f"TIMESTAMP '{cutoff:%Y-%m-%d}' - INTERVAL '3 days'",
            name=f"BENCH-M{size}-",
        )
        env.cr.execute("DELETE FROM customer_archive_monthly_report WHERE month = %s", [month])
        report, _created = Report._get_or_create(env.company, month)
        elapsed, queries, _result = timed(env, report._generate)
        env.invalidate_all()
        tracemalloc.start()
        report._generate()
        env.flush_all()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        pdf = len(report.report_attachment_id.raw or b"") / 1024
        print(
            f"  {size:7d} out: {report.line_count:7d} lines {elapsed:8.3f} s {queries:6d} queries, "
            f"Python peak {peak / 2**20:6.1f} MiB, PDF {pdf:8.0f} KiB"
        )
        rollback_to(env, "bench_monthly")


# Each run inserts and rolls back hundreds of thousands of rows: VACUUM first, so that a run does
# not scan the dead rows of the runs before it.
cnx = psycopg2.connect(dbname=args.database)
cnx.autocommit = True
with cnx.cursor() as vacuum_cr:
    vacuum_cr.execute("VACUUM ANALYZE")
cnx.close()

with Registry(args.database).cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    users = build_people(env)
    started = time.perf_counter()
    build_credit(env, users, args.customers)
    review_archive, _partner = build_archives(env, users, args.archives)
    build_loans(env, users, review_archive, args.loans)
    print(
        f"built {args.customers} credit customers, {args.archives} archives due for review and "
        f"{args.archives} past their formalisation deadline, {args.loans} overdue loans "
        f"in {time.perf_counter() - started:.1f} s"
    )

    Archive = env["customer.archive"]
    bench_cron(
        env,
        "periodic reviews",
        "customer_archive.ir_cron_schedule_reviews",
        lambda progress: Archive.with_context(ir_cron_progress_id=progress)._cron_schedule_reviews(
            args.batch
        ),
        args.batch,
        old=lambda: old_reviews(env, args.batch),
    )
    bench_cron(
        env,
        "overdue formalisation",
        "customer_archive.ir_cron_notify_overdue_formalisation",
        lambda progress: Archive.with_context(
            ir_cron_progress_id=progress
        )._cron_notify_overdue_formalisation(args.batch),
        args.batch,
        old=lambda: old_formalisation(env, args.batch),
    )
    Borrow = env["customer.archive.borrow"]
    template = env["mail.template"].create(
        {
            "name": "Old overdue loan e-mail (benchmark)",
            "model_id": env["ir.model"]._get_id(Borrow._name),
            "subject": "Archive loan {{ object.name }} is overdue",
            "body_html": OLD_OVERDUE_BODY,
            "auto_delete": False,
        }
    )
    bench_cron(
        env,
        "overdue loans",
        "customer_archive.ir_cron_borrow_overdue",
        lambda progress: Borrow.with_context(ir_cron_progress_id=progress)._cron_notify_overdue(args.batch),
        args.batch,
        old=lambda: old_overdue_loans(env, args.batch, template),
    )
    Monitoring = env["customer.credit.monitoring"]

    def old_monitoring_batch():
        with patch.object(type(env["mail.activity"]), "_archive_schedule", old_schedule):
            return Monitoring._cron_credit_monitoring(args.credit_batch)[0]

    def letters():
        # The reminder letters the run queued, printed and e-mailed by their own scheduled action
        # (the benchmark's customers have no e-mail address: only the demo's letters are printed).
        Runner(env, "customer_credit.ir_cron_credit_collection_letters").run(
            "reminder letters",
            lambda progress: Monitoring.with_context(ir_cron_progress_id=progress)._cron_collection_letters(),
        )

    batches = bench_cron(
        env,
        f"credit monitoring of {args.customers} customers (and the demo's)",
        "customer_credit.ir_cron_credit_monitoring",
        lambda progress: Monitoring.with_context(ir_cron_progress_id=progress)._cron_credit_monitoring(
            args.credit_batch
        ),
        args.credit_batch,
        old=old_monitoring_batch,
        then=letters,
    )
    print(
        f"  credit monitoring, the whole run: {sum(batch[0] for batch in batches):.3f} s (target: under 10 s)"
    )
    bench_purge(env, args.log)
    bench_monthly(env, users, review_archive, [int(size) for size in args.out.split(",") if size])
    cr.rollback()
