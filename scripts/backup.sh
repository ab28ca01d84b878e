#!/usr/bin/env bash
# Back up a database and its filestore in Odoo's own backup format: the zip that Odoo's database
# manager makes (dump.sql, filestore/, manifest.json), restorable there or with ./scripts/restore.sh.
#   ./scripts/backup.sh [DB] [DIR]
#     DB   default $ODOO_DB, else customer_archive_demo
#     DIR  default $BACKUP_DIR, else .local/backups
# Writes DIR/<DB>_<UTC timestamp>.zip (under a temporary name until complete), then keeps only the
# newest $BACKUP_KEEP (default 7) backups of DB in DIR; other files in DIR are left alone.
# Fails (exit 1, nothing kept) when a file of the database's attachments is missing from its
# filestore (Odoo's data_dir/filestore/<DB> of the configuration) or from the backup.
# Uses the project's set-up and .local/odoo.conf like run.sh, or the Odoo configuration file in
# $ODOO_CONF as it is (for example a production server's) when that variable is set.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DB="${1:-${ODOO_DB:-customer_archive_demo}}"
DIR="${2:-${BACKUP_DIR:-$STATE/backups}}"
KEEP="${BACKUP_KEEP:-7}"
[[ "$KEEP" =~ ^[1-9][0-9]*$ ]] || { echo "BACKUP_KEEP must be a whole number of at least 1, not '$KEEP'" >&2; exit 2; }

setup_or_use_odoo_conf

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
STAMP="$(date -u +%Y-%m-%d_%H-%M-%S)"   # the timestamp format of Odoo's database manager, in UTC
TARGET="$DIR/${DB}_${STAMP}.zip"
PARTIAL="$(mktemp "$DIR/.${DB}_${STAMP}.XXXXXX.zip.part" 2>/dev/null)" \
  || { echo "the backup directory $DIR is not writable" >&2; exit 1; }
trap 'rm -f "$PARTIAL"' EXIT

# The files of the database's attachments, where Odoo keeps them (data_dir/filestore/<db> of the
# configuration): checked before and inside the backup. A backup without them is no backup.
check_files() {  # [zip]: check the zip's filestore/ instead of the filestore itself
  "$VENV/bin/python" - "$ODOO_CONF" "$DB" "$@" <<'PY'
import os
import sys
import zipfile

import odoo
from odoo.tools import config

conf, db, zip_path = sys.argv[1], sys.argv[2], (sys.argv[3:] or [None])[0]
config.parse_config(["-c", conf])
with odoo.sql_db.db_connect(db).cursor() as cr:
    cr.execute("SELECT DISTINCT store_fname FROM ir_attachment WHERE store_fname IS NOT NULL")
    wanted = {row[0] for row in cr.fetchall()}
filestore = config.filestore(db)
if zip_path:
    with zipfile.ZipFile(zip_path) as zf:
        present = {name[len("filestore/"):] for name in zf.namelist() if name.startswith("filestore/")}
    missing = wanted - present
    where = f"the backup {zip_path}"
else:
    missing = {name for name in wanted if not os.path.isfile(os.path.join(filestore, name))}
    where = f"its filestore {filestore} (data_dir of {conf})"
if missing:
    sys.exit(
        f"{len(missing)} of the {len(wanted)} attachment files of database {db} are missing from {where},"
        f" e.g. {sorted(missing)[0]}. No backup was kept. Point ODOO_CONF at the configuration whose"
        " data_dir holds this database's files."
    )
print(f"{len(wanted)} attachment files of {db} found in {where}")
PY
}

check_files >&2
log "backing up database $DB into $TARGET"
# Odoo's own command (odoo db dump): pg_dump of the database, its filestore and the manifest.
"$VENV/bin/odoo" db -c "$ODOO_CONF" dump "$DB" "$PARTIAL"
check_files "$PARTIAL" >&2
mv -f "$PARTIAL" "$TARGET"

# Retention: names sort in time order; '?' matches exactly one character, so the pattern cannot
# pick up the backups of another database whose name starts with this one's.
mapfile -t OLD < <(printf '%s\n' "$DIR/${DB}"_????-??-??_??-??-??.zip | sort -r | tail -n +$((KEEP + 1)))
for old in "${OLD[@]}"; do
  [ -f "$old" ] || continue
  rm -f -- "$old"
  log "removed old backup $old (keeping $KEEP)"
done
echo "$TARGET"
