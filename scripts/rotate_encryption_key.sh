#!/usr/bin/env bash
# Re-encrypt the identity and bank numbers of this checkout's databases under a new key.
#   ./scripts/rotate_encryption_key.sh DB [DB…]
# Stop Odoo first. Every database of this checkout shares the key in .local/encryption.key, so
# list all of them: a database left out keeps the old key and will no longer load.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ "$#" -ge 1 ] || { echo "usage: $0 DB [DB…]" >&2; exit 2; }
if [ -n "${CUSTOMER_ARCHIVE_ENCRYPTION_KEY:-}" ]; then
  echo "CUSTOMER_ARCHIVE_ENCRYPTION_KEY is set: the key comes from your environment, not from this" \
    "checkout. Rotate with odoo-bin customer_archive_rotate_key and then change the variable." >&2
  exit 2
fi
setup_all
NEW_KEY="$("$VENV/bin/python" -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")"
# Kept aside first: if a later database fails, the ones done already need this key.
(umask 077 && echo "$NEW_KEY" >"$STATE/encryption.key.new")
trap 'echo "stopped: databases re-encrypted so far need the key in $STATE/encryption.key.new" >&2' ERR
for db in "$@"; do
  log "re-encrypting database $db"
  # The addons path comes first so that Odoo finds the command in customer_archive/cli.
  "$VENV/bin/odoo" --addons-path="$ODOO_DIR/odoo/addons,$ROOT" customer_archive_rotate_key \
    -c "$ODOO_CONF" -d "$db" --new-key-file "$STATE/encryption.key.new"
done
# The old key is kept: backups made before today need it to be restored.
retired="$STATE/encryption.key.retired-$(date -u +%Y%m%dT%H%M%SZ)"
cp -p "$STATE/encryption.key" "$retired"
mv "$STATE/encryption.key.new" "$STATE/encryption.key"
write_odoo_conf
log "the new key is in $STATE/encryption.key and $ODOO_CONF; the old one in $retired"
