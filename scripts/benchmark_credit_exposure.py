"""Our credit exposure beside the floor, Odoo's own credit fields and OCA's risk fields.

Builds, inside a transaction that is rolled back, the largest of SIZES customers, each with 20
posted receivable lines (some overdue, some partly paid), 4 confirmed, uninvoiced sales orders and
2 contacts, beside twice as many other companies with 2 contacts each (45,000 partners in all for
5,000 customers).
Then, for each size N (the first N customers), prints the wall time and the query count of:
- the floor: one SQL aggregate over the same rows (open receivables, draft invoices and orders to
  invoice, tax included, per customer) with the credit limit, what any exposure costs at least;
- the floor with contacts: the same aggregate over the rows of the customers and of their
  contacts (the rule counts what is booked on a contact: an invoice address, a payment), which
  is what ours has to look at; shown beside the floor, the ratios are to the floor;
- ours: the exposure, available credit, limit and overdue days read by ``mapped``, ``read`` and
  ``web_search_read`` (the customers list);
- Odoo's own ``credit`` + ``credit_to_invoice`` (account, sale);
- OCA's ``account_financial_risk`` / ``sale_financial_risk`` risk fields (``risk_total`` and its
  parts, ``risk_exception``, ``risk_remaining_value``) when the database has them
  (./scripts/benchmark_credit_exposure.sh makes such a database: lib.sh ensure_oca_benchmark_db);
and ends with a table of the ratios to the floor (issue 13: ours within 2x of the floor).

Each measure runs once to warm Odoo's caches, then ``--runs`` rounds (default 7), each round
running every measure once in turn on cold records, each round starting with another measure.
The time shown is the best of the rounds; the ratio is the median over the rounds of each
round's ratio to that round's floor: on a machine shared with other work the same statement
took from 0.12 s to 0.23 s within a minute, and the ratio of two best times, taken minutes
apart, moved with it. The floor gets the partner ids as ours does, one text value.
Run through ./scripts/benchmark_credit_exposure.sh [--sizes 1,100,1000,5000].
"""

import argparse
import statistics
import time

import psycopg2
import psycopg2.sql

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--config", required=True)
parser.add_argument("--database", required=True)
parser.add_argument("--sizes", default="1,100,1000,5000", help="numbers of customers, comma-separated")
parser.add_argument("--runs", type=int, default=7, help="rounds of every measure (see above)")
args = parser.parse_args()
SIZES = sorted({int(size) for size in args.sizes.split(",")})
CUSTOMERS = SIZES[-1]
LINES = 20 * CUSTOMERS
ORDERS = 4 * CUSTOMERS
OTHERS = 2 * CUSTOMERS
# the measures of our exposure
OURS = ("mapped", "read", "web_search_read")
FIGURES = ["credit_exposure", "credit_available", "credit_limit_shown", "credit_overdue_days"]
OCA_FIGURES = [
    "risk_invoice_draft",
    "risk_invoice_open",
    "risk_invoice_unpaid",
    "risk_sale_order",
    "risk_total",
    "risk_exception",
    "risk_remaining_value",
]

# The floor: one aggregate over the same rows (receivable lines, draft invoices, lines of
# confirmed orders), each part read for the asked customers only, and the limit, per customer.
FLOOR = """
    SELECT p.id, (p.credit_limit ->> %(company)s::text)::numeric, SUM(x.amount)
      FROM res_partner p
      LEFT JOIN (
          SELECT l.partner_id, l.amount_residual AS amount
            FROM account_move_line l
            JOIN account_account a ON a.id = l.account_id
           WHERE l.partner_id = ANY(%(ids)s::int[]) AND l.company_id = %(company_id)s
             AND l.parent_state = 'posted' AND a.account_type = 'asset_receivable' AND NOT l.reconciled
          UNION ALL
          SELECT m.partner_id, m.amount_total_signed
            FROM account_move m
           WHERE m.partner_id = ANY(%(ids)s::int[]) AND m.company_id = %(company_id)s AND m.state = 'draft'
             AND m.move_type = 'out_invoice'
          UNION ALL
          SELECT o.partner_invoice_id,
                 l.untaxed_amount_to_invoice * l.price_total / NULLIF(l.price_subtotal, 0)
            FROM sale_order_line l
            JOIN sale_order o ON o.id = l.order_id
           WHERE o.partner_invoice_id = ANY(%(ids)s::int[]) AND o.company_id = %(company_id)s
             AND o.state = 'sale'
      ) x ON x.partner_id = p.id
     WHERE p.id = ANY(%(ids)s::int[])
     GROUP BY p.id
"""
# The same aggregate over the documents of the customers and of their contacts, summed per
# customer: the partners whose rows the rule reads (45,000 partners: each customer has 2 contacts).
FLOOR_CONTACTS = """
    WITH members AS (
        SELECT id, commercial_partner_id AS customer_id
          FROM res_partner
         WHERE commercial_partner_id = ANY(%(ids)s::int[])
    )
    SELECT p.id, (p.credit_limit ->> %(company)s::text)::numeric, SUM(x.amount)
      FROM res_partner p
      LEFT JOIN (
          SELECT mb.customer_id, l.amount_residual AS amount
            FROM account_move_line l
            JOIN members mb ON mb.id = l.partner_id
            JOIN account_account a ON a.id = l.account_id
           WHERE l.company_id = %(company_id)s AND l.parent_state = 'posted'
             AND a.account_type = 'asset_receivable' AND NOT l.reconciled
          UNION ALL
          SELECT mb.customer_id, m.amount_total_signed
            FROM account_move m
            JOIN members mb ON mb.id = m.partner_id
           WHERE m.company_id = %(company_id)s AND m.state = 'draft' AND m.move_type = 'out_invoice'
          UNION ALL
          SELECT mb.customer_id, l.untaxed_amount_to_invoice * l.price_total / NULLIF(l.price_subtotal, 0)
            FROM sale_order_line l
            JOIN sale_order o ON o.id = l.order_id
            JOIN members mb ON mb.id = o.partner_invoice_id
           WHERE o.company_id = %(company_id)s AND o.state = 'sale'
      ) x ON x.customer_id = p.id
     WHERE p.id = ANY(%(ids)s::int[])
     GROUP BY p.id
"""
odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])


def measure(env, label, function):
    """Once to warm Odoo's caches, then the best of ``--runs`` runs on cold records. Returns
    (seconds, queries of one run). For the searches, which have no floor to pair with."""
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
    print(f"  {label:<50} {best:8.3f} s {queries:7d} queries", flush=True)
    return best, queries


def measure_paired(env, measures):
    """Run ``measures`` ({key: (label, function)}, the floor first) once each to warm Odoo's
    caches, then ``--runs`` rounds of all of them in turn, each on cold records. Returns {key:
    (best seconds, queries of one run, median over the rounds of the ratio to the round's floor)}.
    """
    for _label, function in measures.values():
        function()
    times = {key: [] for key in measures}
    queries = {}
    keys = list(measures)
    for run in range(args.runs):
        # each round starts with another measure: none always runs first, or after the floor
        for key in keys[run % len(keys) :] + keys[: run % len(keys)]:
            _label, function = measures[key]
            env.invalidate_all()
            before = env.cr.sql_log_count
            started = time.perf_counter()
            function()
            times[key].append(time.perf_counter() - started)
            queries[key] = env.cr.sql_log_count - before

    def median_ratio(key, base):
        return statistics.median(
            elapsed / floor for elapsed, floor in zip(times[key], times[base], strict=True)
        )

    result = {}
    for key, (label, _function) in measures.items():
        ratio = median_ratio(key, "floor")
        # and to the floor over the same partners as ours, contacts included
        ratio_contacts = median_ratio(key, "floor_contacts") if "floor_contacts" in times else None
        result[key] = (min(times[key]), queries[key], ratio, ratio_contacts)
        also = f" {ratio_contacts:5.1f}x with contacts" if ratio_contacts and key in OURS else ""
        print(
            f"  {label:<50} {min(times[key]):8.3f} s {queries[key]:7d} queries {ratio:6.1f}x{also}",
            flush=True,
        )
    return result


def build(env):
    """The customers, their receivable lines and orders, in SQL (the ORM would take an hour)."""
    cr = env.cr
    company = env.company
    company.account_use_credit_limit = True  # Odoo computes credit_to_invoice only when this is on
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    receivable = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)], limit=1
    )
    currency = company.currency_id.id
    columns = env["res.partner"]._fields
    # OCA counts only the parts a customer includes: all of them here, as our exposure does.
    oca = {
        name: True
        for name in (
            "risk_invoice_draft_include",
            "risk_invoice_open_include",
            "risk_invoice_unpaid_include",
            "risk_sale_order_include",
        )
        if name in columns
    }
    cr.execute(
        f"""
        INSERT INTO res_partner (name, is_company, active, type, company_id, create_date, write_date,
                                 commercial_partner_id, autopost_bills, credit_limit
                                 {"".join(", " + name for name in oca)})
        SELECT 'Benchmark customer ' || n, TRUE, TRUE, 'contact', NULL, now(), now(), NULL, 'ask',
               jsonb_build_object(%(company)s::text, CASE WHEN n %% 3 = 0 THEN 2000 ELSE 0 END)
               {", TRUE" * len(oca)}
          FROM generate_series(1, %(customers)s) n
        RETURNING id
        """,
        {"customers": CUSTOMERS, "company": company.id},
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [partner_ids])
    # The rest of a company's partner table: two contacts per customer, and OTHERS other companies
    # (suppliers, prospects) with two contacts each. With the customers alone, a statement that
    # read the whole table looked as fast as one that read the customers asked about.
    cr.execute(
        """
        INSERT INTO res_partner (name, is_company, active, type, create_date, write_date, autopost_bills)
        SELECT 'Benchmark supplier ' || n, TRUE, TRUE, 'contact', now(), now(), 'ask'
          FROM generate_series(1, %s) n
        RETURNING id
        """,
        [OTHERS],
    )
    other_ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [other_ids])
    cr.execute(
        """
        INSERT INTO res_partner (name, is_company, active, type, create_date, write_date, autopost_bills,
                                 parent_id, commercial_partner_id)
        SELECT 'Contact ' || n, FALSE, TRUE, 'contact', now(), now(), 'ask', c, c
          FROM unnest(%s) c, generate_series(1, 2) n
        """,
        [partner_ids + other_ids],
    )
    # One posted invoice move per customer carrying its receivable lines.
    cr.execute(
        """
        INSERT INTO account_move (journal_id, company_id, currency_id, state, move_type, auto_post, date,
                                  invoice_date, partner_id, commercial_partner_id, name,
                                  create_date, write_date)
        SELECT %(journal)s, %(company)s, %(currency)s, 'posted', 'out_invoice', 'no', CURRENT_DATE - 90,
               CURRENT_DATE - 90, p, p, 'BENCH/' || p, now(), now()
          FROM unnest(%(partners)s) p
        RETURNING id
        """,
        {"journal": journal.id, "company": company.id, "currency": currency, "partners": partner_ids},
    )
    move_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO account_move_line (move_id, currency_id, display_type, account_id, partner_id, company_id,
                                       journal_id, date, date_maturity, parent_state, reconciled,
                                       balance, debit,
                                       credit, amount_currency, amount_residual, amount_residual_currency)
        SELECT m.id, %(currency)s, 'payment_term', %(account)s, m.partner_id, %(company)s, %(journal)s,
               CURRENT_DATE - 90, CURRENT_DATE - (n %% 120), 'posted', FALSE, 100, 100, 0, 100,
               CASE WHEN n %% 4 = 0 THEN 40 ELSE 100 END, CASE WHEN n %% 4 = 0 THEN 40 ELSE 100 END
          FROM generate_series(1, %(lines)s) n
          JOIN account_move m ON m.id = (%(moves)s)[1 + n %% array_length(%(moves)s, 1)]
        """,
        {
            "currency": currency,
            "account": receivable.id,
            "company": company.id,
            "journal": journal.id,
            "lines": LINES,
            "moves": move_ids,
        },
    )
    cr.execute(
        """
        WITH o AS (
            INSERT INTO sale_order (company_id, partner_id, partner_invoice_id, partner_shipping_id, name,
                                    date_order, state, currency_id, currency_rate, create_date, write_date)
            SELECT %(company)s, p, p, p, 'BENCH-SO/' || n, now(), 'sale', %(currency)s, 1, now(), now()
              FROM generate_series(1, %(orders)s) n
              JOIN LATERAL (SELECT (%(partners)s)[1 + n %% array_length(%(partners)s, 1)] AS p) x ON TRUE
            RETURNING id
        )
        INSERT INTO sale_order_line (order_id, name, product_uom_qty, price_unit, customer_lead, state,
                                     company_id, currency_id, untaxed_amount_to_invoice,
                                     price_subtotal, price_total)
        SELECT o.id, 'Benchmark goods', 1, 250, 0, 'sale', %(company)s, %(currency)s, 250, 250, 250 FROM o
        """,
        {"company": company.id, "currency": currency, "orders": ORDERS, "partners": partner_ids},
    )
    if "risk_partner_id" in env["sale.order.line"]._fields:
        # OCA's stored per-line risk, as its compute would store it (nothing delivered or invoiced)
        cr.execute(
            """
            UPDATE sale_order_line l SET risk_partner_id = o.partner_invoice_id, risk_amount = l.price_total
              FROM sale_order o
             WHERE o.id = l.order_id AND o.partner_invoice_id = ANY(%s)
            """,
            [partner_ids],
        )
    cr.execute("ANALYZE res_partner; ANALYZE account_move; ANALYZE account_move_line; ANALYZE sale_order;")
    cr.execute("ANALYZE sale_order_line")
    return partner_ids


def vacuum(database):
    """VACUUM the tables the benchmark fills: each run inserts and rolls back 100,000 lines, whose
    dead rows the next run would otherwise scan (the floor doubled over a few runs)."""
    cnx = psycopg2.connect(dbname=database)  # a connection of its own, in autocommit
    cnx.autocommit = True
    with cnx.cursor() as cr:
        for table in ("res_partner", "account_move", "account_move_line", "sale_order", "sale_order_line"):
            cr.execute(psycopg2.sql.SQL("VACUUM ANALYZE {}").format(psycopg2.sql.Identifier(table)))
    cnx.close()


def main():
    vacuum(args.database)
    with Registry(args.database).cursor() as cr:
        # As the web client's requests have it: the user's language and time zone in the context.
        context = {"tracking_disable": True, "lang": "en_US", "tz": "Asia/Shanghai"}
        env = api.Environment(cr, SUPERUSER_ID, context)
        company = env.company
        started = time.perf_counter()
        all_ids = build(env)
        print(
            f"built {CUSTOMERS} customers (among {CUSTOMERS * 3 + OTHERS * 3} new partners),"
            f" {LINES} receivable lines, {ORDERS} uninvoiced orders in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        has_oca = "risk_total" in env["res.partner"]._fields
        if not has_oca:
            print("  (no OCA risk fields in this database: account_financial_risk is not installed)")
        rows = []
        for size in SIZES:
            ids = all_ids[:size]
            partners = env["res.partner"].browse(ids).with_company(company)
            print(f"{size} customers", flush=True)
            row = {"size": size}

            # the ids as one text value, as ours passes them (psycopg2 adapts a list item by item)
            text = "{" + ",".join(map(str, ids)) + "}"

            def floor(ids=ids, text=text):
                cr.execute(FLOOR, {"company": company.id, "company_id": company.id, "ids": text})
                assert len(cr.fetchall()) == len(ids)

            def floor_contacts(ids=ids, text=text):
                cr.execute(FLOOR_CONTACTS, {"company": company.id, "company_id": company.id, "ids": text})
                assert len(cr.fetchall()) == len(ids)

            measures = {
                "floor": ("floor: one SQL aggregate with the limit", floor),
                "floor_contacts": ("floor with the customers' contacts", floor_contacts),
                "mapped": (
                    "ours: mapped",
                    lambda partners=partners: [partners.mapped(name) for name in FIGURES],
                ),
                "read": ("ours: read()", lambda partners=partners: partners.read(FIGURES)),
                "web_search_read": (
                    "ours: web_search_read (the customers list)",
                    lambda ids=ids: (
                        env["res.partner"]
                        .with_company(company)
                        .web_search_read([("id", "in", ids)], {name: {} for name in FIGURES})
                    ),
                ),
                "odoo": (
                    "Odoo: credit + credit_to_invoice",
                    lambda partners=partners: [(p.credit, p.credit_to_invoice) for p in partners],
                ),
            }
            if has_oca:
                measures["oca"] = (
                    "OCA: risk fields by read()",
                    lambda partners=partners: partners.read(OCA_FIGURES),
                )
            row.update(measure_paired(env, measures))
            rows.append(row)
        print()
        measure(
            env,
            "ours: search over limit (every customer)",
            lambda: env["res.partner"].search_count([("credit_over_limit", "=", True)]),
        )
        measure(
            env,
            "ours: search overdue > 30 days (every customer)",
            lambda: env["res.partner"].search_count([("credit_overdue_days", ">", 30)]),
        )
        cr.rollback()

    columns = [
        ("floor", "Floor (1 SQL)"),
        ("floor_contacts", "Floor with contacts"),
        ("mapped", "Ours: mapped"),
        ("read", "Ours: read"),
        ("web_search_read", "Ours: web_search_read"),
        ("odoo", "Odoo: credit + credit_to_invoice"),
    ]
    if rows and "oca" in rows[0]:
        columns.append(("oca", "OCA: risk fields"))
    print(
        f"\nTime (best of {args.runs} rounds), ratio to the floor (median of the rounds' ratios),"
        " queries:\n"
    )
    print("| Customers | " + " | ".join(title for _key, title in columns) + " |")
    print("|---:|" + "---:|" * len(columns))
    for row in rows:
        cells = []
        for key, _title in columns:
            elapsed, queries, ratio, ratio_contacts = row[key]
            shown = "" if key == "floor" else f" ({ratio:.1f}×)"
            if ratio_contacts and key in OURS:
                shown = f" ({ratio:.1f}×; {ratio_contacts:.1f}× with contacts)"
            cells.append(f"{elapsed:.3f} s{shown}, {queries} q")
        print(f"| {row['size']:,} | " + " | ".join(cells) + " |")


main()
