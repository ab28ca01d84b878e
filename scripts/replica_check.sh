#!/usr/bin/env bash
# Check that Odoo runs the addons' reads on a PostgreSQL read replica, and logs them once.
#   ./scripts/replica_check.sh
# Builds a private PostgreSQL primary and a streaming standby (pg_basebackup -R) in .local/replica/,
# makes a database with both addons and their demo data on the primary, starts Odoo with two workers
# and db_replica_host/db_replica_port on the standby, drives the main reads of the archive officer,
# a salesperson and the archive manager over JSON-RPC (scripts/replica_check.py) and prints where
# each ran and the access-log entries each wrote. Removes everything it made when it ends (KEEP=1
# keeps the folder and stops the servers). Not part of the test suite: it takes minutes.
# Settings: REPLICA_PORT (primary; standby is the next one, default 54341), ODOO_HTTP_PORT (8106),
# PG_BINDIR (the newest /usr/lib/postgresql/*/bin).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_venv   # also puts the venv first on PATH: its wkhtmltopdf prints the letterhead
resolve_odoo_src

DIR="$STATE/replica"
PRIMARY="$DIR/primary"
STANDBY="$DIR/standby"
PORT="${REPLICA_PORT:-54341}"
STANDBY_PORT=$((PORT + 1))
HTTP_PORT="${ODOO_HTTP_PORT:-8106}"
DB=replica_check
BINDIR="${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}"
[ -x "$BINDIR/pg_basebackup" ] || { echo "No PostgreSQL server binaries (PG_BINDIR=$BINDIR)" >&2; exit 2; }
DBUSER="$(id -un)"
run_as=()
# initdb and the servers refuse to run as root: the 'postgres' system account runs them then.
[ "$(id -u)" -eq 0 ] && run_as=(runuser -u postgres --)
ODOO_PID=""

cleanup() {
  local status=$?
  if [ -n "$ODOO_PID" ]; then kill "$ODOO_PID" 2>/dev/null || true; wait "$ODOO_PID" 2>/dev/null || true; fi
  for data in "$STANDBY" "$PRIMARY"; do
    [ -f "$data/postmaster.pid" ] && "${run_as[@]}" "$BINDIR/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1
  done
  if [ "${KEEP:-0}" = 1 ]; then log "kept $DIR"; else rm -rf "$DIR"; fi
  exit "$status"
}
trap cleanup EXIT INT TERM

# Left over from an interrupted run: stop its servers, start afresh.
for data in "$STANDBY" "$PRIMARY"; do
  [ -f "$data/postmaster.pid" ] && "${run_as[@]}" "$BINDIR/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
done

pg_start() {  # data folder, port
  "${run_as[@]}" "$BINDIR/pg_ctl" -D "$1" -l "$1.log" -w \
    -o "-k $DIR -p $2 -c listen_addresses=''" start >/dev/null
}

rm -rf "$DIR"
mkdir -p "$DIR/filestore"
[ "$(id -u)" -eq 0 ] && chown postgres "$DIR"

log "primary: a private PostgreSQL cluster on port $PORT (socket in $DIR)"
"${run_as[@]}" "$BINDIR/initdb" -D "$PRIMARY" -A trust -U "$DBUSER" >/dev/null
cat >>"$PRIMARY/postgresql.conf" <<CONF
wal_level = replica
max_wal_senders = 4
hot_standby = on
CONF
pg_start "$PRIMARY" "$PORT"

KEY="$(encryption_key)"
CONF_FILE="$DIR/odoo.conf"
cat >"$CONF_FILE" <<CONF
[options]
addons_path = $ODOO_DIR/odoo/addons,$ROOT
data_dir = $DIR/filestore
db_host = $DIR
db_port = $PORT
db_user = $DBUSER
db_replica_host = $DIR
db_replica_port = $STANDBY_PORT
admin_passwd = admin
http_port = $HTTP_PORT
gevent_port = $((HTTP_PORT + 1000))
log_level = warn
customer_archive_encryption_key = $KEY
CONF

log "database $DB with both addons and their demo data, on the primary (a few minutes)"
"$VENV/bin/odoo" -c "$CONF_FILE" -d "$DB" -i customer_archive,customer_credit \
  --stop-after-init --log-level=warn

log "standby: pg_basebackup -R of the primary, streaming on port $STANDBY_PORT"
"${run_as[@]}" "$BINDIR/pg_basebackup" -h "$DIR" -p "$PORT" -U "$DBUSER" -D "$STANDBY" -R -X stream
pg_start "$STANDBY" "$STANDBY_PORT"

log "Odoo with two workers, reads on the standby (http://localhost:$HTTP_PORT)"
"$VENV/bin/odoo" -c "$CONF_FILE" -d "$DB" --db-filter="^$DB\$" --workers=2 --max-cron-threads=0 \
  --log-handler=werkzeug:INFO --log-handler=odoo.http:WARNING --logfile="$DIR/odoo.log" &
ODOO_PID=$!

"$VENV/bin/python" "$ROOT/scripts/replica_check.py" --url "http://127.0.0.1:$HTTP_PORT" --database "$DB" \
  --primary "host=$DIR port=$PORT dbname=$DB user=$DBUSER" \
  --standby "host=$DIR port=$STANDBY_PORT dbname=$DB user=$DBUSER" --odoo-log "$DIR/odoo.log"
