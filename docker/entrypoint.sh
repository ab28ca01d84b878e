#!/bin/bash
# Entry point of the Odoo containers of docker-compose.yml (official odoo:18.0 image).
# Renders the Odoo configuration from the template docker/odoo.conf and the environment (secrets
# come from docker/.env, which git ignores), then runs one of:
#   server           Odoo in multi-process mode (the default)
#   init             create $ODOO_DB unless it is there, its company in $ODOO_COUNTRY (default CN:
#                    CNY, China's chart of accounts), with customer_archive and customer_credit
#                    (demo data only when ODOO_DEMO=true); update both addons in an existing
#                    database when ODOO_UPDATE=true; then exit
#   backup           one backup of $ODOO_DB into $BACKUP_DIR in Odoo's format, keep $BACKUP_KEEP
#   backup-loop      a backup now and then every $BACKUP_INTERVAL_HOURS hours
#   backup-health    succeed when the last backup of the loop succeeded recently enough
#   restore ZIP DB [--neutralize]
#                    restore a backup (zip in Odoo's format) into the new database DB
#   update           update both addons in $ODOO_DB, then exit
#   anything else    run as a command, e.g. bash, or odoo shell
set -euo pipefail

APP_DIR="${APP_DIR:-/opt/customer-archive}"
TEMPLATE="${ODOO_CONF_TEMPLATE:-$APP_DIR/odoo.conf.template}"
CONF="${ODOO_RC:-/etc/odoo/odoo.conf}"
ADDONS=customer_archive,customer_credit

# Defaults of the settings docker/.env may change (see docker/.env.example).
export ODOO_DB="${ODOO_DB:-customer_archive}"
export ODOO_ADDONS_PATH="${ODOO_ADDONS_PATH:-/mnt/extra-addons}"
export ODOO_DATA_DIR="${ODOO_DATA_DIR:-/var/lib/odoo}"
export POSTGRES_HOST="${POSTGRES_HOST:-db}"
export POSTGRES_PORT="${POSTGRES_PORT:-5432}"
export POSTGRES_USER="${POSTGRES_USER:-odoo}"
# A read replica (streaming standby) of the database server, or False for none.
export POSTGRES_REPLICA_HOST="${POSTGRES_REPLICA_HOST:-False}"
export POSTGRES_REPLICA_PORT="${POSTGRES_REPLICA_PORT:-5432}"
export ODOO_WORKERS="${ODOO_WORKERS:-4}"
export ODOO_MAX_CRON_THREADS="${ODOO_MAX_CRON_THREADS:-1}"
export ODOO_DB_MAXCONN="${ODOO_DB_MAXCONN:-16}"
export ODOO_LIMIT_MEMORY_SOFT="${ODOO_LIMIT_MEMORY_SOFT:-2147483648}"
export ODOO_LIMIT_MEMORY_HARD="${ODOO_LIMIT_MEMORY_HARD:-2684354560}"
export ODOO_LIMIT_TIME_CPU="${ODOO_LIMIT_TIME_CPU:-600}"
export ODOO_LIMIT_TIME_REAL="${ODOO_LIMIT_TIME_REAL:-1200}"
export ODOO_LOG_LEVEL="${ODOO_LOG_LEVEL:-info}"
# PostgreSQL's JIT compilation off for Odoo's own connections (libpq reads PGOPTIONS), also on a
# managed server whose configuration cannot be changed: it costs seconds on the larger queries of
# searches and gains nothing (see "Credit exposure beside the floor" in the README).
export PGOPTIONS="${PGOPTIONS:--c jit=off}"
# Country of the company of a new database (ISO code): Odoo chooses the chart of accounts, the
# currency and the taxes from it when the accounting is installed. Language of a new database.
export ODOO_COUNTRY="${ODOO_COUNTRY:-CN}"
export ODOO_LANGUAGE="${ODOO_LANGUAGE:-zh_CN}"
BACKUP_DIR="${BACKUP_DIR:-/backups}"
BACKUP_KEEP="${BACKUP_KEEP:-7}"
BACKUP_INTERVAL_HOURS="${BACKUP_INTERVAL_HOURS:-24}"
BACKUP_STATUS="${BACKUP_STATUS:-/tmp/backup-status}"

say() { printf '[entrypoint] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

render_config() {
  python3 - "$TEMPLATE" "$CONF" <<'PY'
import os
import string
import sys

from cryptography.fernet import Fernet

template_path, conf_path = sys.argv[1:]
key = os.environ.get("CUSTOMER_ARCHIVE_ENCRYPTION_KEY", "").strip()
try:
    Fernet(key.encode())
except Exception:
    sys.exit(
        "[entrypoint] CUSTOMER_ARCHIVE_ENCRYPTION_KEY is missing or is not a Fernet key. Generate one once with\n"
        '  python3 -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"\n'
        "put it in docker/.env and keep a copy in a safe place: without it, the encrypted numbers of every\n"
        "database and backup are lost."
    )
for name in ("POSTGRES_PASSWORD", "ODOO_ADMIN_PASSWD"):
    if not os.environ.get(name):
        sys.exit(f"[entrypoint] {name} is not set: set it in docker/.env (see docker/.env.example).")
with open(template_path) as template:
    try:
        text = string.Template(template.read()).substitute(os.environ)
    except KeyError as missing:
        sys.exit(f"[entrypoint] {template_path} uses {missing.args[0]}, which is not set.")
try:
    with open(conf_path) as current:
        if current.read() == text:
            sys.exit(0)  # unchanged: do not rewrite it under a running process
except OSError:
    pass
# The rendered file holds the secrets: readable by its owner only.
fd = os.open(conf_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.fchmod(fd, 0o600)
with os.fdopen(fd, "w") as conf:
    conf.write(text)
PY
}

wait_for_db() {
  # The official image's helper: reads the host, user and password from the rendered configuration.
  wait-for-psql.py --timeout="${DB_WAIT_TIMEOUT:-60}"
}

db_state() {
  # Prints "missing", "bare" (a database without customer_archive) or "ready" for the database $1
  # (default $ODOO_DB); fails when it cannot tell: a database that cannot be checked is never
  # (re)installed nor dropped.
  python3 - "$CONF" "${1:-$ODOO_DB}" <<'PY'
import configparser
import sys

import psycopg2

options = configparser.RawConfigParser()
options.read(sys.argv[1])
o = dict(options.items("options"))
connect = {k: o.get(f"db_{k}") for k in ("host", "port", "user", "password")}
connect = {k: v for k, v in connect.items() if v not in (None, "", "False")}
db = sys.argv[2]
try:
    cnx = psycopg2.connect(dbname="postgres", **connect)
    with cnx.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        exists = cr.fetchone()
    cnx.close()
    if not exists:
        print("missing")
        sys.exit(0)
    cnx = psycopg2.connect(dbname=db, **connect)
    with cnx.cursor() as cr:
        cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
        installed = False
        if cr.fetchone()[0]:
            cr.execute("SELECT 1 FROM ir_module_module WHERE name = 'customer_archive' AND state = 'installed'")
            installed = bool(cr.fetchone())
    cnx.close()
except psycopg2.Error as error:
    sys.exit(f"[entrypoint] cannot check database {db}: {error}")
print("ready" if installed else "bare")
PY
}

# Installation and updates run in one process (no HTTP, no workers), then exit.
odoo_once() { odoo -c "$CONF" --workers=0 --max-cron-threads=0 --no-http --stop-after-init "$@"; }

init() {
  wait_for_db
  local state
  state="$(db_state)" || die "stopped: the database $ODOO_DB could not be checked"
  if [ "$state" = ready ]; then
    if [ "${ODOO_UPDATE:-false}" = true ]; then
      say "updating $ADDONS in database $ODOO_DB"
      odoo_once -d "$ODOO_DB" -u "$ADDONS"
    else
      say "database $ODOO_DB is ready (set ODOO_UPDATE=true to update the addons at start)"
    fi
    return 0
  fi
  local demo=(--without-demo=all) new_demo=(--without-demo)
  if [ "${ODOO_DEMO:-false}" = true ]; then demo=() new_demo=(); fi
  local with; with="$([ ${#demo[@]} -eq 0 ] && echo with || echo without)"
  if [ "$state" = missing ]; then
    # Created as Odoo's database manager creates one, the company in $ODOO_COUNTRY before the
    # accounting is installed (that is when Odoo chooses the chart of accounts), then the addons.
    say "creating database $ODOO_DB, company in $ODOO_COUNTRY, with $ADDONS ($with demo data)"
    python3 "$APP_DIR/new_database.py" -c "$CONF" -d "$ODOO_DB" --country "$ODOO_COUNTRY" \
      --lang "$ODOO_LANGUAGE" --log-level "$ODOO_LOG_LEVEL" "${new_demo[@]}"
  else
    # A database made elsewhere (bare: without the addons) keeps its company and its chart.
    say "installing $ADDONS in the existing database $ODOO_DB ($with demo data)"
    odoo_once -d "$ODOO_DB" -i "$ADDONS" "${demo[@]}" --load-language="$ODOO_LANGUAGE"
  fi
  [ "$(db_state)" = ready ] || die "database $ODOO_DB was not initialised; see the log above"
}

backup() {
  [[ "$BACKUP_KEEP" =~ ^[1-9][0-9]*$ ]] || die "BACKUP_KEEP must be a whole number of at least 1, not '$BACKUP_KEEP'"
  mkdir -p "$BACKUP_DIR"
  local stamp target partial
  stamp="$(date -u +%Y-%m-%d_%H-%M-%S)"   # the timestamp format of Odoo's database manager, in UTC
  target="$BACKUP_DIR/${ODOO_DB}_${stamp}.zip"
  partial="$(mktemp "$BACKUP_DIR/.${ODOO_DB}_${stamp}.XXXXXX.zip.part")" || die "$BACKUP_DIR is not writable"
  say "backing up $ODOO_DB into $target"
  # Odoo's own command: pg_dump, filestore and manifest in the database manager's zip. Written under
  # a temporary name, renamed when complete.
  if ! odoo db -c "$CONF" dump "$ODOO_DB" "$partial"; then
    rm -f "$partial"
    die "the backup of $ODOO_DB failed"
  fi
  mv -f "$partial" "$target"
  # Keep the newest $BACKUP_KEEP; '?' matches one character, so other databases' backups are safe.
  local old
  printf '%s\n' "$BACKUP_DIR/${ODOO_DB}"_????-??-??_??-??-??.zip | sort -r | tail -n +$((BACKUP_KEEP + 1)) |
    while read -r old; do
      [ -f "$old" ] || continue
      rm -f -- "$old"
      say "removed old backup $old (keeping $BACKUP_KEEP)"
    done
  echo "$target"
}

backup_loop() {
  [[ "$BACKUP_INTERVAL_HOURS" =~ ^[1-9][0-9]*$ ]] || die "BACKUP_INTERVAL_HOURS must be a whole number of hours"
  wait_for_db
  while true; do
    if backup; then
      echo "ok $(date +%s)" >"$BACKUP_STATUS"
    else
      echo "failed $(date +%s)" >"$BACKUP_STATUS"
      say "backup failed; next attempt in $BACKUP_INTERVAL_HOURS hour(s)"
    fi
    sleep "$((BACKUP_INTERVAL_HOURS * 3600))"
  done
}

backup_health() {
  # Healthy when the last backup succeeded less than two intervals ago.
  local state when
  [ -f "$BACKUP_STATUS" ] || { echo "no backup finished yet"; exit 1; }
  read -r state when <"$BACKUP_STATUS"
  [ "$state" = ok ] || { echo "the last backup failed at $(date -d "@$when")"; exit 1; }
  [ $(($(date +%s) - when)) -lt $((2 * BACKUP_INTERVAL_HOURS * 3600)) ] || { echo "no backup since $(date -d "@$when")"; exit 1; }
  echo "last backup at $(date -d "@$when")"
}

restore() {
  [ $# -ge 2 ] || die "usage: restore ZIP NEWDB [--neutralize]"
  local zip="$1" db="$2"
  shift 2
  [ -f "$zip" ] || die "no such backup: $zip"
  wait_for_db
  local state
  state="$(db_state "$db")" || die "stopped: the database $db could not be checked"
  [ "$state" = missing ] || die "the database $db exists already: restore into a new name (nothing was changed)"
  # Odoo's own command: creates the database, loads dump.sql and moves the filestore in;
  # --neutralize turns off outgoing mail and crons (for a test copy of production data).
  if ! odoo db -c "$CONF" load "$@" "$db" "$zip"; then
    # Do not leave a half-restored database (for example without its filestore) behind.
    if [ "$(db_state "$db")" != missing ]; then odoo db -c "$CONF" drop "$db" || true; fi
    die "restoring $zip failed (see above); the database $db was not kept"
  fi
  say "restored $zip into $db; to serve it, set ODOO_DB=$db in docker/.env and run: docker compose up -d"
}

command="${1:-server}"
[ $# -gt 0 ] && shift
# The healthcheck only reads the loop's status: it must not rewrite the configuration meanwhile.
if [ "$command" = backup-health ]; then backup_health; exit 0; fi

# The backup service starts as root only to hand its new (root-owned) volume to the odoo user.
if [ "$(id -u)" = 0 ] && id odoo >/dev/null 2>&1; then
  mkdir -p "$BACKUP_DIR"
  chown odoo:odoo "$BACKUP_DIR"
  exec env HOME=/var/lib/odoo setpriv --reuid=odoo --regid=odoo --init-groups bash "$0" "$command" "$@"
fi

render_config
case "$command" in
  server)
    wait_for_db
    exec odoo -c "$CONF" "$@"
    ;;
  init) init ;;
  update) wait_for_db && odoo_once -d "$ODOO_DB" -u "$ADDONS" ;;
  backup) wait_for_db && backup ;;
  backup-loop) backup_loop ;;
  restore) restore "$@" ;;
  *) exec "$command" "$@" ;;
esac
