#!/usr/bin/env bash
# Time the monthly lending report's data over 100,000 requests (target: under 2 s).
#   ./scripts/benchmark_monthly_report.sh [database] [count]    (default: ${TEST_DB:-customer_archive_test})
set -euo pipefail
source "$(dirname "$0")/lib.sh"
setup_all
DB="${1:-${TEST_DB:-customer_archive_test}}"
run_benchmark "$DB" "$VENV/bin/python" "$ROOT/scripts/benchmark_monthly_report.py" --config "$ODOO_CONF" \
  --database "$DB" --count "${2:-100000}"
