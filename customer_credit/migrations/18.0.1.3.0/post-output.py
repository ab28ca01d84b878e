from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The grant notice is written to the customer in the customer's language; its template is
    noupdate data."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref("customer_credit.mail_template_credit_grant", raise_if_not_found=False)
    if template and not template.lang:
        template.lang = "{{ object.partner_id.lang or object.company_id.partner_id.lang }}"
