#!/usr/bin/env bash
# Restore a backup in Odoo's format (a zip from ./scripts/backup.sh, the scheduled backup, the Docker
# backup job or Odoo's database manager) into a new database, with its filestore.
#   ./scripts/restore.sh ZIP NEWDB [--neutralize]
# NEWDB must not exist: nothing is ever overwritten, and a failed restore leaves no database behind. Like "This database is a copy" in Odoo's database
# manager, the restored database gets a new UUID. --neutralize turns off outgoing mail, crons and other
# links to the outside world (for a test copy of production data).
# Uses the project's set-up and .local/odoo.conf like run.sh, or $ODOO_CONF as it is when set.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if [ $# -lt 2 ]; then
  echo "usage: $0 ZIP NEWDB [--neutralize]" >&2
  exit 2
fi
ZIP="$1" NEWDB="$2"
shift 2
[ -f "$ZIP" ] || { echo "no such backup: $ZIP" >&2; exit 2; }
OPTIONS=()
for arg in "$@"; do
  case "$arg" in
    -n | --neutralize) OPTIONS+=(--neutralize) ;;
    *) echo "unknown option $arg (only --neutralize)" >&2; exit 2 ;;
  esac
done

setup_or_use_odoo_conf

db_exists() {
  "$VENV/bin/python" - "$ODOO_CONF" "$1" <<'PY'
import sys
import odoo
from odoo.service.db import exp_db_exist
odoo.tools.config.parse_config(["-c", sys.argv[1]])
sys.exit(0 if exp_db_exist(sys.argv[2]) else 1)
PY
}
if db_exists "$NEWDB"; then
  echo "the database $NEWDB exists already: restore into a new name (nothing was changed)" >&2
  exit 1
fi

log "restoring $ZIP into the new database $NEWDB"
# Odoo's own command (odoo db load): creates the database, loads dump.sql, moves the filestore in.
if ! "$VENV/bin/odoo" db -c "$ODOO_CONF" load "${OPTIONS[@]}" "$NEWDB" "$ZIP"; then
  # Do not leave a half-restored database (for example without its filestore) behind.
  if db_exists "$NEWDB"; then
    "$VENV/bin/odoo" db -c "$ODOO_CONF" drop "$NEWDB" || true
  fi
  echo "restoring $ZIP failed (see above); the database $NEWDB was not kept" >&2
  exit 1
fi
log "restored: start Odoo on it with  $VENV/bin/odoo -c $ODOO_CONF -d $NEWDB --db-filter='^$NEWDB\$'"
