#!/usr/bin/env bash
# The credit customers list and the ageing report on 5,000 customers (see the .py file).
#   ./scripts/benchmark_credit_desk.sh [database]    (default: ${TEST_DB:-customer_archive_test})
set -euo pipefail
source "$(dirname "$0")/lib.sh"
setup_all
DB="${1:-${TEST_DB:-customer_archive_test}}"
run_benchmark "$DB" "$VENV/bin/python" "$ROOT/scripts/benchmark_credit_desk.py" --config "$ODOO_CONF" \
  --database "$DB" "${@:2}"
