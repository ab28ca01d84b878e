#!/usr/bin/env bash
# Every benchmark in one go, each printing its figures and table: the monthly report, the credit
# exposure beside the floor, Odoo and OCA, the credit desk, the scheduled actions at full size and
# the archive lists. Takes long (20 minutes or more on 2 cores); every benchmark builds its data in
# a transaction it rolls back. Not part of the test suite.
#   ./scripts/benchmark_all.sh [database]    (default: ${TEST_DB:-customer_archive_test}, which must
#   have both addons installed, e.g. by ./scripts/test.sh; the exposure runs on the database with
#   OCA's addons, ${OCA_BENCH_DB:-customer_credit_bench}, made once by lib.sh)
set -euo pipefail
export ODOO_LOG_LEVEL="${ODOO_LOG_LEVEL:-warn}"  # the figures, not Odoo's loading messages
source "$(dirname "$0")/lib.sh"
setup_all
ensure_oca_benchmark_db
DB="${1:-${TEST_DB:-customer_archive_test}}"
installed="$("$VENV/bin/python" - "$DB" <<'PY' 2>/dev/null || echo 0
import sys
import psycopg2
with psycopg2.connect(dbname=sys.argv[1]) as cnx, cnx.cursor() as cr:
    cr.execute("SELECT count(*) FROM ir_module_module WHERE state = 'installed'"
               " AND name IN ('customer_archive', 'customer_credit')")
    print(cr.fetchone()[0])
PY
)"
if [ "$installed" != 2 ]; then
  echo "database $DB does not have customer_archive and customer_credit installed:" >&2
  echo "run ./scripts/test.sh (it makes $DB) or name a database that has them" >&2
  exit 2
fi

run() {
  local title="$1" conf="$2" db="$3" script="$4"
  shift 4
  log "$title ($db; load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores)"
  local started=$SECONDS
  "$VENV/bin/python" "$ROOT/scripts/$script" --config "$conf" --database "$db" "$@"
  log "$title: done in $((SECONDS - started)) s"
}

run "monthly report, 100,000 lending requests" "$ODOO_CONF" "$DB" benchmark_monthly_report.py --count 100000
run "credit exposure: floor, ours, Odoo, OCA" "$ODOO_OCA_CONF" "$OCA_BENCH_DB" benchmark_credit_exposure.py \
  --sizes 1,100,1000,5000
run "credit desk: customers list and ageing" "$ODOO_CONF" "$DB" benchmark_credit_desk.py
run "scheduled actions at full size, ours and the old way" "$ODOO_CONF" "$DB" benchmark_crons.py
run "archive lists by role, 100,000 archives" "$ODOO_CONF" "$DB" benchmark_archive_lists.py --archives 100000
log "all benchmarks done (load: $(cut -d' ' -f1-3 /proc/loadavg))"
