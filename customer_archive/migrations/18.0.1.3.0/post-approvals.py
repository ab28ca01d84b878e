from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """One approval engine: lending requests are asked by the approval activity type like every
    request (their open decision activities take it, the old type is archived), and waiting shares
    and destruction lists (asked of nobody until now) ask their approvers."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["customer.archive.borrow"]._approval_ask_missing(
        ["customer_archive.mail_activity_type_borrow_approval"]
    )
    for model in ("customer.archive.share", "customer.archive.destruction"):
        env[model]._approval_ask_missing()
