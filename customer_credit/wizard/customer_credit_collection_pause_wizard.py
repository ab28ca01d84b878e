from odoo import api, fields, models


class CustomerCreditCollectionPauseWizard(models.TransientModel):
    """Pause or resume the collection of customers, with the reason (a credit manager's decision)."""

    _name = "customer.credit.collection.pause.wizard"
    _description = "Pause or Resume the Collection of a Customer"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    action = fields.Selection(
        [("pause", "Pause the Collection"), ("resume", "Resume the Collection")],
        required=True,
        default="pause",
    )
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "partner_ids" in fields_list and self.env.context.get("active_model") == "res.partner":
            values["partner_ids"] = [fields.Command.set(self.env.context.get("active_ids") or [])]
        return values

    def action_confirm(self):
        """Pause or resume (``customer.credit.collection._set_pause``): raises AccessError for anyone
        but a credit manager, UserError without a reason or when no customer changes."""
        self.ensure_one()
        self.env["customer.credit.collection"]._set_pause(
            self.partner_ids, self.action == "pause", self.reason
        )
        return {"type": "ir.actions.act_window_close"}
