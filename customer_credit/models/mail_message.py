from odoo import api, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _record_scoped_modules(self):
        # Credit files (evaluations, applications, holds, events...) are archive data too: their
        # messages are read only with the record.
        return super()._record_scoped_modules() | {"customer_credit"}
