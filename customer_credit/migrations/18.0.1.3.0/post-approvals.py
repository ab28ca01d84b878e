from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """One approval engine: credit holds are asked by the approval activity type like every request
    (their open decision activities take it, the old type is archived), and waiting evaluations and
    applications without an approval activity ask whoever acts next."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["customer.credit.hold"]._approval_ask_missing(
        ["customer_credit.mail_activity_type_credit_hold_decision"]
    )
    for model in ("customer.credit.evaluation", "customer.credit.application"):
        env[model]._approval_ask_missing()
