#!/usr/bin/env bash
# Our credit exposure beside the floor, Odoo's own credit fields and OCA's risk fields, at several
# numbers of customers, on a database with OCA's account_financial_risk and sale_financial_risk
# installed beside our addons (made once: lib.sh ensure_oca_benchmark_db; see the .py file).
#   ./scripts/benchmark_credit_exposure.sh [--sizes 1,100,1000,5000] [--runs 3]
#   (database: ${OCA_BENCH_DB:-customer_credit_bench})
set -euo pipefail
source "$(dirname "$0")/lib.sh"
setup_all
ensure_oca_benchmark_db
run_benchmark "$OCA_BENCH_DB" "$VENV/bin/python" "$ROOT/scripts/benchmark_credit_exposure.py" \
  --config "$ODOO_OCA_CONF" --database "$OCA_BENCH_DB" "$@"
