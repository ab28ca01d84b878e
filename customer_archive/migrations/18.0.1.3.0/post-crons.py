from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Overdue loans are announced in the daily digest of each person's activities now, not by one
    e-mail per loan: the overdue loan template (noupdate data) goes."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref("customer_archive.mail_template_borrow_overdue", raise_if_not_found=False)
    if template:
        template.unlink()
