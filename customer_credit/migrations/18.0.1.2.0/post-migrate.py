from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The daily monitoring moved from res.partner to its own model; its cron is noupdate data."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("customer_credit.ir_cron_credit_monitoring", raise_if_not_found=False)
    if cron:
        cron.model_id = env["ir.model"]._get("customer.credit.monitoring")
