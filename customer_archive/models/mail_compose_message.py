from odoo import models

from .mail_message import record_readable_by_user


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _unreadable_record(self):
        """Whether the composer ``self`` (one) is on a record its user may not read."""
        ids = self._evaluate_res_ids() if self.model else []
        return bool(ids) and not record_readable_by_user(self.env, self.model, ids[0])

    # Odoo names the record as superuser, in the record name and the default subject: a new
    # composer's answer (onchange) told the name of any record by its id (a credit hold with its
    # order and customer, an evaluation with its date). Only for who may read it.
    def _compute_record_name(self):
        result = super()._compute_record_name()
        for composer in self.filtered("record_name"):
            if composer._unreadable_record():
                composer.record_name = False
        return result

    def _compute_subject(self):
        hidden = self.filtered(lambda composer: composer._unreadable_record())
        for composer in hidden:
            composer.subject = False
        return super(MailComposeMessage, self - hidden)._compute_subject()
