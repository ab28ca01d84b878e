import hashlib
import hmac
import logging

from cryptography.fernet import Fernet, InvalidToken

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, config

_logger = logging.getLogger(__name__)

# The key lives in the server's configuration file only, never in the database.
KEY_OPTION = "customer_archive_encryption_key"
# A value encrypted with the key when it was first used: a wrong key is detected before any
# data is written with it.
KEY_CHECK_PARAM = "customer_archive.encryption_key_check"
KEY_CHECK_TEXT = "customer_archive encryption key check"


class CustomerArchiveEncryption(models.AbstractModel):
    """Encryption at rest of identity and bank numbers (敏感信息加密).

    Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from the ``cryptography``
    package) under the key of the server configuration; an HMAC of the normalised value (a
    "blind index", keyed with a key derived from the same secret) lets users find a record by
    the exact value without the database ever holding it.
    """

    _name = "customer.archive.encryption"
    _description = "Customer Archive Encryption"

    # ------------------------------------------------------------------ keys
    @api.model
    def _configured_key(self):
        return (config.get(KEY_OPTION) or "").strip()

    @api.model
    def _fernet(self, key=None):
        key = key or self._configured_key()
        if not key:
            raise UserError(
                self.env._(
                    "Identity and bank numbers are stored encrypted, but the server has no key: "
                    "set %(option)s in the Odoo configuration file.",
                    option=KEY_OPTION,
                )
            )
        try:
            return Fernet(key.encode())
        except ValueError as error:
            raise UserError(
                self.env._("The encryption key %(option)s is not a valid key.", option=KEY_OPTION)
            ) from error

    @api.model
    def _generate_key(self):
        return Fernet.generate_key().decode()

    # ------------------------------------------------------------------ values
    @api.model
    def _normalise(self, value):
        return "".join((value or "").split()).upper()

    @api.model
    def _encrypt(self, value, key=None):
        self._ensure_key_check(key)
        return self._fernet(key).encrypt(value.encode()).decode()

    @api.model
    def _decrypt(self, token, key=None):
        try:
            return self._fernet(key).decrypt(token.encode()).decode()
        except InvalidToken as error:
            raise UserError(
                self.env._("A stored value cannot be decrypted with the configured key.")
            ) from error

    @api.model
    def _blind_index(self, value, key=None):
        secret = (key or self._configured_key()).encode()
        index_key = hmac.new(secret, b"customer_archive blind index", hashlib.sha256).digest()
        return hmac.new(index_key, self._normalise(value).encode(), hashlib.sha256).hexdigest()

    @api.model
    def _mask(self, value):
        """``310101198001011234`` → ``3101**********1234``: enough to recognise, not to use."""
        if not value:
            return value
        keep = 4 if len(value) >= 12 else max(len(value) // 4, 0)
        return value[:keep] + "*" * (len(value) - 2 * keep) + (value[-keep:] if keep else "")

    # ------------------------------------------------------------------ the key check
    @api.model
    def _ensure_key_check(self, key=None):
        ICP = self.env["ir.config_parameter"].sudo()  # sudo: the check value is system data
        if not ICP.get_param(KEY_CHECK_PARAM):
            ICP.set_param(KEY_CHECK_PARAM, self._fernet(key).encrypt(KEY_CHECK_TEXT.encode()).decode())

    @api.model
    def _check_key(self, key=None):
        """Raise unless the configured key is the one the stored values were encrypted with."""
        token = self.env["ir.config_parameter"].sudo().get_param(KEY_CHECK_PARAM)  # sudo: system data
        if not token:
            return True
        key = key or self._configured_key()
        try:
            valid = bool(key) and Fernet(key.encode()).decrypt(token.encode()).decode() == KEY_CHECK_TEXT
        except (ValueError, InvalidToken):
            valid = False
        if not valid:
            raise UserError(
                self.env._(
                    "The encryption key %(option)s of the server configuration is missing or is not the "
                    "key this database was encrypted with. The database is not loaded, so that nothing "
                    "is written with a wrong key: put the right key back in the configuration file.",
                    option=KEY_OPTION,
                )
            )
        return True

    def _register_hook(self):
        super()._register_hook()
        # Refuse to load the database with a wrong key, before any request can write with it.
        self._check_key()
        if self._configured_key():
            self._ensure_key_check()

    @api.model
    def _fill_demo_numbers(self, values_by_xmlid):
        """Demo data: identity and bank numbers for some customers, when the server has a key
        (without one they are left empty rather than making the demo fail)."""
        if not self._configured_key():
            _logger.info("No %s configured: the demo customers get no identity numbers", KEY_OPTION)
            return False
        for xmlid, values in values_by_xmlid.items():
            self.env.ref(xmlid).write(values)
        return True

    # ------------------------------------------------------------------ rotation
    @api.model
    def _encrypted_columns(self):
        """``{model: [(token column, index column), …]}`` of every encrypted value."""
        return {"customer.archive.card": self.env["customer.archive.card"]._encrypted_field_columns()}

    @api.model
    def _rotate_key(self, new_key, batch_size=1000):
        """Re-encrypt every stored value and re-index it under ``new_key``; returns the count."""
        self._check_key()
        old_key = self._configured_key()
        self._fernet(new_key)  # a clear error for an invalid new key
        if new_key == old_key:
            raise UserError(self.env._("The new key is the key in use."))
        count = 0
        for model_name, columns in self._encrypted_columns().items():
            Model = self.env[model_name]
            Model.flush_model()
            table = SQL.identifier(Model._table)
            for token_column, index_column in columns:
                last_id = 0
                while True:
                    self.env.cr.execute(
                        SQL(
                            "SELECT id, %s FROM %s WHERE %s IS NOT NULL AND id > %s ORDER BY id LIMIT %s",
                            SQL.identifier(token_column),
                            table,
                            SQL.identifier(token_column),
                            last_id,
                            batch_size,
                        )
                    )
                    rows = self.env.cr.fetchall()
                    if not rows:
                        break
                    for record_id, token in rows:
                        plain = self._decrypt(token, old_key)
                        self.env.cr.execute(
                            SQL(
                                "UPDATE %s SET %s = %s, %s = %s WHERE id = %s",
                                table,
                                SQL.identifier(token_column),
                                self._fernet(new_key).encrypt(plain.encode()).decode(),
                                SQL.identifier(index_column),
                                self._blind_index(plain, new_key),
                                record_id,
                            )
                        )
                    count += len(rows)
                    last_id = rows[-1][0]
            Model.invalidate_model()
        self.env["ir.config_parameter"].sudo().set_param(  # sudo: system data
            KEY_CHECK_PARAM, self._fernet(new_key).encrypt(KEY_CHECK_TEXT.encode()).decode()
        )
        _logger.info("Re-encrypted %s values under a new key", count)
        return count
