from odoo import fields, models


class CustomerArchiveDestructionRejectWizard(models.TransientModel):
    _name = "customer.archive.destruction.reject.wizard"
    _description = "Reject a Destruction List"

    destruction_id = fields.Many2one("customer.archive.destruction", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.destruction_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
