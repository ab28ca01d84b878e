#!/usr/bin/env bash
# Run the whole test suite on a freshly created database, then the linters.
#   ./scripts/test.sh [pytest arguments…]     (database: ${TEST_DB:-customer_archive_test})
# The tests run in ${TEST_WORKERS:-2} processes (pytest-xdist), each on its own copy of the database
# and of its filestore (addons_tests/conftest.py); TEST_WORKERS=0 runs them in this process.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
setup_all
DB="${TEST_DB:-customer_archive_test}"
ADDONS=customer_archive,customer_credit

log "creating a fresh test database $DB with both addons (demo data loaded, so that it is checked too)"
"$VENV/bin/python" - "$DB" <<'PY'
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
conn.autocommit = True
conn.cursor().execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % sys.argv[1])
PY
rm -rf "$STATE/filestore/filestore/$DB"
"$VENV/bin/odoo" -c "$ODOO_CONF" -d "$DB" -i "$ADDONS" --stop-after-init --log-level=warn

log "running the test suite"
status=0
# --odoo-http starts Odoo's HTTP server in the test process: the browser tests (tours, in headless
# Chromium) need it; pytest-odoo skips every HttpCase without it.
( cd "$ROOT" && "$VENV/bin/pytest" addons_tests --odoo-config="$ODOO_CONF" --odoo-database="$DB" \
    --odoo-log-level=warn --odoo-http -n "${TEST_WORKERS:-2}" --dist loadscope --no-loadscope-reorder "$@" ) || status=$?
if [ "$status" -eq 5 ]; then
  echo "no test ran: that is a failure" >&2
  status=1
fi

log "running the linters (pre-commit)"
( cd "$ROOT" && PRE_COMMIT_HOME="$STATE/pre-commit" "$VENV/bin/pre-commit" run --all-files --show-diff-on-failure ) || status=1
exit "$status"
