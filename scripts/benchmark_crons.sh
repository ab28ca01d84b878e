#!/usr/bin/env bash
# The scheduled actions at scale, ours against the old style: time and queries per batch, e-mails,
# the monthly report's memory (see the .py file). Not part of the test suite.
#   ./scripts/benchmark_crons.sh [database] [--customers 5000 --archives 3000 --loans 2000 ...]
#   (default database: ${TEST_DB:-customer_archive_test})
set -euo pipefail
source "$(dirname "$0")/lib.sh"
setup_all
DB="${1:-${TEST_DB:-customer_archive_test}}"
run_benchmark "$DB" "$VENV/bin/python" "$ROOT/scripts/benchmark_crons.py" --config "$ODOO_CONF" \
  --database "$DB" "${@:2}"
