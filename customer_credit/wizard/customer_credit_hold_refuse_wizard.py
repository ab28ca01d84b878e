from odoo import fields, models


class CustomerCreditHoldRefuseWizard(models.TransientModel):
    _name = "customer.credit.hold.refuse.wizard"
    _description = "Refuse a Credit Hold"

    hold_id = fields.Many2one("customer.credit.hold", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.hold_id.action_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
