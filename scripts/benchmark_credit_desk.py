"""Speed of the credit desk on a large book: the credit customers list and the ageing report.

Builds, inside a transaction that is rolled back: CUSTOMERS customers, LINES posted receivable
lines (some overdue, one in four partly paid by a partial reconciliation) and ORDERS confirmed,
uninvoiced sales orders. Then prints the wall time and query count of: a page of the credit
customers list (80 rows, every column, as the web client reads it); the ageing report of every
customer today and at a past date (before the payments), as the list, pivot and PDF read it.
Run through ./scripts/benchmark_credit_desk.sh.
"""

import argparse
import time

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--config", required=True)
parser.add_argument("--database", required=True)
parser.add_argument("--customers", type=int, default=5000)
parser.add_argument("--lines", type=int, default=100_000)
parser.add_argument("--orders", type=int, default=20_000)
args = parser.parse_args()
odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])

LIST_SPEC = {
    name: {}
    for name in (
        "complete_name",
        "user_id",
        "state_id",
        "country_id",
        "credit_currency_id",
        "credit_grade_id",
        "credit_limit_shown",
        "credit_exposure",
        "credit_available",
        "credit_over_limit",
        "credit_overdue_amount",
        "credit_overdue_days",
        "credit_on_hold_shown",
        "credit_next_review_date",
    )
}


def measure(env, label, function):
    # Once to warm Odoo's caches of users, groups and defaults, then measured on cold records.
    function()
    env.invalidate_all()
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    print(f"{label:<56} {elapsed:8.3f} s {env.cr.sql_log_count - queries:8d} queries")
    return elapsed, result


with Registry(args.database).cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    company = env.company
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    receivable = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)], limit=1
    )
    currency = company.currency_id.id
    cr.execute(
        """
        INSERT INTO res_partner (name, is_company, active, type, company_id, create_date, write_date,
                                 commercial_partner_id, autopost_bills, credit_limit)
        SELECT 'Benchmark customer ' || n, TRUE, TRUE, 'contact', NULL, now(), now(), NULL, 'ask',
               jsonb_build_object(%(company)s::text, CASE WHEN n %% 3 = 0 THEN 2000 ELSE 0 END)
          FROM generate_series(1, %(customers)s) n
        RETURNING id
        """,
        {"customers": args.customers, "company": company.id},
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [partner_ids])
    # One posted invoice move per customer carrying its receivable lines.
    cr.execute(
        """
        INSERT INTO account_move (journal_id, company_id, currency_id, state, move_type, auto_post, date,
                                  invoice_date, partner_id, commercial_partner_id, name,
                                  create_date, write_date)
        SELECT %(journal)s, %(company)s, %(currency)s, 'posted', 'out_invoice', 'no', CURRENT_DATE - 90,
               CURRENT_DATE - 90, p, p, 'BENCH/' || p, now(), now()
          FROM unnest(%(partners)s) p
        RETURNING id, partner_id
        """,
        {"journal": journal.id, "company": company.id, "currency": currency, "partners": partner_ids},
    )
    move_of = {partner: move for move, partner in cr.fetchall()}
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
            "lines": args.lines,
            "moves": list(move_of.values()),
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
        {"company": company.id, "currency": currency, "orders": args.orders, "partners": partner_ids},
    )
    cr.execute(
        "ANALYZE res_partner; ANALYZE account_move; ANALYZE account_move_line; ANALYZE sale_order_line"
    )
    # One in four lines partly paid (40 of 100 left) by a payment line of its customer, dated today.
    cr.execute(
        """
        WITH pay AS (
            INSERT INTO account_move_line (move_id, currency_id, display_type, account_id, partner_id,
                                           company_id, journal_id, date, date_maturity, parent_state,
                                           reconciled, balance, debit, credit, amount_currency,
                                           amount_residual, amount_residual_currency)
            SELECT m.id, %(currency)s, 'payment_term', %(account)s, m.partner_id, %(company)s, %(journal)s,
                   CURRENT_DATE, CURRENT_DATE, 'posted', TRUE, -1000000, 0, 1000000, -1000000, 0, 0
              FROM account_move m
             WHERE m.id = ANY(%(moves)s)
            RETURNING id, partner_id
        )
        INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id, amount, debit_amount_currency,
                                               credit_amount_currency, company_id, max_date,
                                               create_date, write_date)
        SELECT l.id, pay.id, 60, 60, 60, %(company)s, CURRENT_DATE, now(), now()
          FROM account_move_line l
          JOIN pay ON pay.partner_id = l.partner_id
         WHERE l.move_id = ANY(%(moves)s) AND l.amount_residual = 40
        """,
        {
            "currency": currency,
            "account": receivable.id,
            "company": company.id,
            "journal": journal.id,
            "moves": list(move_of.values()),
        },
    )
    cr.execute("ANALYZE account_move_line; ANALYZE account_partial_reconcile")
    env.invalidate_all()
    print(f"{args.customers} customers, {args.lines} receivable lines, {args.orders} uninvoiced orders")
    Partner = env["res.partner"].with_company(company)
    page = [("id", "in", partner_ids)]
    measure(
        env,
        "credit customers list: one page of 80, every column",
        lambda: Partner.web_search_read(page, LIST_SPEC, limit=80, order="complete_name"),
    )
    measure(
        env,
        "credit customers list: over limit, overdue > 30 days",
        lambda: Partner.web_search_read(
            [*page, ("credit_over_limit", "=", True), ("credit_overdue_days", ">", 30)], LIST_SPEC, limit=80
        ),
    )
    Ageing = env["customer.credit.ageing"]
    today = Ageing.with_context(ageing_company_id=company.id)
    past = Ageing.with_context(
        ageing_company_id=company.id,
        ageing_date=str(odoo.fields.Date.add(odoo.fields.Date.context_today(Ageing), days=-1)),
    )
    _t, rows = measure(env, "ageing today: every customer by bucket", lambda: today._ageing_by_partner())
    measure(env, "ageing the day before the payments: every customer", lambda: past._ageing_by_partner())
    measure(
        env,
        "ageing pivot: customers x buckets",
        lambda: today.read_group([], ["residual:sum"], ["partner_id", "bucket"], lazy=False),
    )
    measure(env, "ageing list: first 80 rows", lambda: today.web_search_read([], {"residual": {}}, limit=80))
    print(f"customers in the ageing: {len(rows)}")
    cr.rollback()
