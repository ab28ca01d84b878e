from odoo import fields, models

CREDIT_OFFICER = "customer_credit.group_credit_officer"


class CustomerArchiveCard(models.Model):
    _inherit = "customer.archive.card"

    # The card's registered capital is part of the credit profile (C1): the credit officer keeps it too.
    partner_id = fields.Many2one(groups=f"customer_archive.group_archive_user,{CREDIT_OFFICER}")
    registered_capital = fields.Monetary(groups=f"customer_archive.group_archive_officer,{CREDIT_OFFICER}")
