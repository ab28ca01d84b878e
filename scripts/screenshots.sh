#!/usr/bin/env bash
# Screenshots of the browser-tested flows for the README, in Chinese: runs the tours of
# addons_tests/*/test_tours.py with CUSTOMER_ARCHIVE_SCREENSHOTS set, which saves a PNG file at
# each screenshot step of the tours, and prints the forms (labels, lending slip, ageing report,
# reminder letter) whose first pages it saves as PNG files with pdftoppm (poppler-utils).
#   ./scripts/screenshots.sh [pytest arguments…]
#   (database: ${SCREENSHOTS_DB:-customer_archive_screenshots}, files: ${SCREENSHOTS_DIR:-docs/screenshots})
# The database has no demo data (the tests make their own) and the zh_CN language; it is created on
# the first run and its addons are updated afterwards.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
setup_all
# pdftoppm turns the first page of the printed forms into a PNG file.
ensure_debian_packages poppler-utils
DB="${SCREENSHOTS_DB:-customer_archive_screenshots}"
OUT="${SCREENSHOTS_DIR:-$ROOT/docs/screenshots}"
ADDONS=customer_archive,customer_credit

# Prints "missing", "no-zh_CN" or "ready".
db_state="$("$VENV/bin/python" - "$DB" <<'PY'
import sys, psycopg2
cur = psycopg2.connect(dbname="postgres").cursor()
cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [sys.argv[1]])
if not cur.fetchone():
    print("missing")
    sys.exit()
cur = psycopg2.connect(dbname=sys.argv[1]).cursor()
cur.execute("SELECT 1 FROM res_lang WHERE code = 'zh_CN' AND active")
print("ready" if cur.fetchone() else "no-zh_CN")
PY
)"
if [ "$db_state" != missing ]; then
  log "updating $ADDONS in database $DB"
  lang=(); [ "$db_state" = no-zh_CN ] && lang=(--load-language=zh_CN)
  "$VENV/bin/odoo" -c "$ODOO_CONF" -d "$DB" -u "$ADDONS" "${lang[@]}" --stop-after-init --log-level=warn
else
  log "creating database $DB with the zh_CN language and without demo data"
  "$VENV/bin/odoo" -c "$ODOO_CONF" -d "$DB" -i "$ADDONS" --without-demo=all --load-language=zh_CN \
    --stop-after-init --log-level=warn
fi

log "running the tours and saving their screenshots in $OUT"
mkdir -p "$OUT"
( cd "$ROOT" && CUSTOMER_ARCHIVE_SCREENSHOTS="$OUT" "$VENV/bin/pytest" \
    addons_tests/customer_archive/test_tours.py addons_tests/customer_credit/test_tours.py \
    --odoo-config="$ODOO_CONF" --odoo-database="$DB" --odoo-log-level=warn --odoo-http -q -p no:warnings "$@" )
ls -l "$OUT"
