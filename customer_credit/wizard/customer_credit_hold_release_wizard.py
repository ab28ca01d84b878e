from odoo import fields, models


class CustomerCreditHoldReleaseWizard(models.TransientModel):
    """The release of a credit hold, with its reason: the order is confirmed, or the invoice
    posted, as it stands (``customer.credit.hold.action_release``, whose guards apply)."""

    _name = "customer.credit.hold.release.wizard"
    _description = "Release a Credit Hold"

    hold_id = fields.Many2one("customer.credit.hold", string="Credit Hold", required=True, readonly=True)
    move_id = fields.Many2one(related="hold_id.move_id")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.hold_id.action_release(self.reason)
        return {"type": "ir.actions.act_window_close"}
