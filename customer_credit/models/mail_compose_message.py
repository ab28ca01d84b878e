from odoo import api, models
from odoo.exceptions import UserError

from .mail_template import LETTER_TEMPLATE


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    @api.model_create_multi
    def create(self, vals_list):
        composers = super().create(vals_list)
        composers._check_no_reminder_letter()
        return composers

    def write(self, vals):
        result = super().write(vals)
        if "template_id" in vals or "model" in vals:
            self._check_no_reminder_letter()
        return result

    def _check_no_reminder_letter(self):
        """Refuse (UserError) composing the reminder letter on a customer: the composer posts it on
        the customer's chatter, which every salesperson reads. The credit monitoring e-mails the
        letters and files them on the customer's credit status; a credit officer prints one from
        the customer's Print menu."""
        letter = self.env.ref(LETTER_TEMPLATE, raise_if_not_found=False)
        if self.env.su or not letter:
            return
        if any(composer.template_id == letter and composer.model == "res.partner" for composer in self):
            raise UserError(
                self.env._(
                    "Reminder letters are e-mailed by the credit monitoring and filed on the customer's "
                    "credit status; a credit officer prints one from the customer's Print menu."
                )
            )
