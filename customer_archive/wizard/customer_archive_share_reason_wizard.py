from odoo import fields, models


class CustomerArchiveShareReasonWizard(models.TransientModel):
    _name = "customer.archive.share.reason.wizard"
    _description = "Refuse or Revoke an Archive Share"

    share_id = fields.Many2one("customer.archive.share", required=True)
    revoke = fields.Boolean(help="Revoke an active share rather than refuse a request.")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.revoke:
            self.share_id.action_revoke(self.reason)
        else:
            self.share_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
