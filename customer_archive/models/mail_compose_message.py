from odoo import models

from .mail_message import record_readable_by_user


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _compute_record_name(self):
        # Odoo names the record as superuser: a new composer's answer (onchange) told the name of
        # any record by its id. Only for who may read it.
        result = super()._compute_record_name()
        for composer in self:
            ids = composer._evaluate_res_ids() if composer.model else []
            if composer.record_name and not all(
                record_readable_by_user(self.env, composer.model, res_id) for res_id in ids[:1]
            ):
                composer.record_name = False
        return result
