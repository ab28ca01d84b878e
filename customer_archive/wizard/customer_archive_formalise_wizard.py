from odoo import fields, models


class CustomerArchiveFormaliseWizard(models.TransientModel):
    """An archive manager formalises an incomplete archive and says why."""

    _name = "customer.archive.formalise.wizard"
    _description = "Formalise Incomplete Archive"
    # Names an archive for one action and hands out nothing: not in the access log.
    _archive_access_log = False

    archive_id = fields.Many2one("customer.archive", required=True)
    missing_document_type_ids = fields.Many2many(related="archive_id.missing_document_type_ids")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.archive_id.action_formalise(override_reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
