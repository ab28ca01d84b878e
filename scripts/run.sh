#!/usr/bin/env bash
# Run Odoo 18 with customer_archive and customer_credit on a database with demo data.
#   ./scripts/run.sh            (database: ${ODOO_DB:-customer_archive_demo}, port ${ODOO_HTTP_PORT:-8069})
# Installs everything it needs on the first run: the database is created with its company in
# ${ODOO_COUNTRY:-CN} (China: CNY, China's chart of accounts) by scripts/new_database.py. Later runs
# reuse the database, back it up (./scripts/backup.sh into .local/backups, RUN_BACKUP=0 skips it)
# and update the addons.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
setup_all
DB="${ODOO_DB:-customer_archive_demo}"
ADDONS=customer_archive,customer_credit
# No JIT compilation for Odoo's connections (libpq reads PGOPTIONS): see the README's deployment.
export PGOPTIONS="${PGOPTIONS:--c jit=off}"
if "$VENV/bin/python" - "$DB" <<'PY'
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
cur = conn.cursor()
cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [sys.argv[1]])
sys.exit(0 if cur.fetchone() else 1)
PY
then
  # An update changes the database for good: a backup first (./scripts/backup.sh, same retention),
  # and no update when it fails. RUN_BACKUP=0 skips it.
  if [ "${RUN_BACKUP:-1}" != 0 ]; then
    log "backing up database $DB before updating its addons"
    ODOO_CONF="$ODOO_CONF" "$ROOT/scripts/backup.sh" "$DB" >/dev/null \
      || { echo "the backup of $DB failed: nothing was updated (RUN_BACKUP=0 skips the backup)" >&2; exit 1; }
  fi
  log "updating $ADDONS in database $DB"
  "$VENV/bin/odoo" -c "$ODOO_CONF" -d "$DB" -u "$ADDONS" --stop-after-init --log-level=warn
else
  # The company's country must be set before the accounting is installed: Odoo chooses the chart
  # of accounts (and the currency) from it then. new_database.py does it as Odoo's database
  # manager does, then installs the accounting and both addons.
  log "creating database $DB with demo data, its company in ${ODOO_COUNTRY:-CN} (about two minutes)"
  "$VENV/bin/python" "$ROOT/scripts/new_database.py" -c "$ODOO_CONF" -d "$DB" \
    --country "${ODOO_COUNTRY:-CN}" --lang zh_CN --log-level=warn
fi
log "Odoo is starting: open http://localhost:${ODOO_HTTP_PORT:-8069}/odoo  (login: admin, password: admin)"
exec "$VENV/bin/odoo" -c "$ODOO_CONF" -d "$DB" --db-filter="^${DB}\$" "$@"
