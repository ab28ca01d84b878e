from odoo import fields, models


class CustomerArchiveLegalHoldWizard(models.TransientModel):
    _name = "customer.archive.legal.hold.wizard"
    _description = "Set a Legal Hold"
    # Names an archive for one action and hands out nothing: not in the access log.
    _archive_access_log = False

    archive_id = fields.Many2one("customer.archive", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.archive_id.action_set_legal_hold(self.reason)
        return {"type": "ir.actions.act_window_close"}
