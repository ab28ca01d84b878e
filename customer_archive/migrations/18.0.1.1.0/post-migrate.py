from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """18.0.1.1.0 encrypts identity numbers: encrypt those an earlier version kept in clear."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.partner"]._encrypt_legacy_plaintext()
