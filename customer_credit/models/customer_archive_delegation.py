from odoo import api, models


class CustomerArchiveDelegation(models.Model):
    _inherit = "customer.archive.delegation"

    @api.model
    def _approver_groups(self):
        # A credit manager may delegate credit decisions to a credit officer.
        return {
            **super()._approver_groups(),
            "customer_credit.group_credit_manager": "customer_credit.group_credit_officer",
        }
