#!/usr/bin/env bash
# Export each addon's .pot from a database with the addons installed, merge it into zh_CN.po and
# tidy the PO files the way the linters expect. New terms are then left untranslated in zh_CN.po:
# translate them, and the test suite checks that none is missing.
#   ./scripts/update_translations.sh [database]     (default: ${ODOO_DB:-customer_archive_demo})
# Use a database with demo data: the demo's terms (Chinese names) are in the PO files too.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
setup_all
ensure_debian_packages gettext
DB="${1:-${ODOO_DB:-customer_archive_demo}}"
for addon in customer_archive customer_credit; do
  "$VENV/bin/odoo" -c "$ODOO_CONF" -d "$DB" -u "$addon" --stop-after-init --log-level=warn
  pot="$ROOT/$addon/i18n/$addon.pot" po="$ROOT/$addon/i18n/zh_CN.po"
  "$VENV/bin/odoo" -c "$ODOO_CONF" -d "$DB" --i18n-export="$pot" --modules="$addon" --stop-after-init \
    --log-level=warn
  [ -s "$pot" ] || { echo "exporting $pot failed" >&2; exit 1; }
  msgmerge --quiet --no-fuzzy-matching --update --backup=none "$po" "$pot"
  msgattrib --no-obsolete --output-file="$po" "$po"
  log "$addon: untranslated terms:"
  msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid' || true
done
( cd "$ROOT" && PRE_COMMIT_HOME="$STATE/pre-commit" "$VENV/bin/pre-commit" run oca-checks-po --all-files ) || true
