from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """18.0.1.3.0 keeps the archive card (客户档案卡) in a model of its own, with the archives'
    scope: make one card per customer from the columns the card fields left in res_partner
    (encrypted numbers copied as stored, never decrypted), move their change history, drop the
    columns."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["customer.archive.card"]._migrate_partner_columns()
