#!/usr/bin/env bash
# Back up a database and its filestore in Odoo's own backup format: the zip that Odoo's database
# manager makes (dump.sql, filestore/, manifest.json), restorable there or with ./scripts/restore.sh.
#   ./scripts/backup.sh [DB] [DIR]
#     DB   default $ODOO_DB, else customer_archive_demo
#     DIR  default $BACKUP_DIR, else .local/backups
# Writes DIR/<DB>_<UTC timestamp>.zip (under a temporary name until complete), then keeps only the
# newest $BACKUP_KEEP (default 7) backups of DB in DIR; other files in DIR are left alone.
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

log "backing up database $DB into $TARGET"
# Odoo's own command (odoo db dump): pg_dump of the database, its filestore and the manifest.
"$VENV/bin/odoo" db -c "$ODOO_CONF" dump "$DB" "$PARTIAL"
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
