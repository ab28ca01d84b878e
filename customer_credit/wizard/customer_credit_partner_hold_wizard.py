from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerCreditPartnerHoldWizard(models.TransientModel):
    """Put customers on credit hold or lift their hold, with the reason, from the customer form or
    the list of customers (several at once)."""

    _name = "customer.credit.partner.hold.wizard"
    _description = "Put a Customer on Credit Hold or Lift It"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    action = fields.Selection(
        [("hold", "Put on Credit Hold"), ("lift", "Lift the Credit Hold")], required=True, default="hold"
    )
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "partner_ids" in fields_list and self.env.context.get("active_model") == "res.partner":
            values["partner_ids"] = [fields.Command.set(self.env.context.get("active_ids") or [])]
        return values

    def action_confirm(self):
        """Apply the hold or the lift to the customers (``res.partner._credit_set_hold``): raises
        AccessError for anyone but a credit manager or a deputy under a delegation from one,
        UserError without a reason or when no customer changes."""
        self.ensure_one()
        if not self.partner_ids._credit_set_hold(self.action == "hold", self.reason):
            raise UserError(
                self.env._("These customers are already on credit hold.")
                if self.action == "hold"
                else self.env._("These customers are not on credit hold.")
            )
        return {"type": "ir.actions.act_window_close"}
