#!/usr/bin/env bash
# The archive list's first page for each role on 100,000 archives, beside the superuser and one
# plain SQL query (see the .py file). Not part of the test suite.
#   ./scripts/benchmark_archive_lists.sh [database] [--archives 100000 --documents 2 ...]
#   (default database: ${TEST_DB:-customer_archive_test})
set -euo pipefail
source "$(dirname "$0")/lib.sh"
setup_all
DB="${1:-${TEST_DB:-customer_archive_test}}"
run_benchmark "$DB" "$VENV/bin/python" "$ROOT/scripts/benchmark_archive_lists.py" --config "$ODOO_CONF" \
  --database "$DB" "${@:2}"
