from odoo import SUPERUSER_ID, Command, api


def migrate(cr, version):
    """The e-mail of a credit decision carries the grant notice; its template is noupdate data."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref("customer_credit.mail_template_credit_grant", raise_if_not_found=False)
    report = env.ref("customer_credit.action_report_credit_grant_notice", raise_if_not_found=False)
    if template and report:
        template.report_template_ids = [Command.link(report.id)]
