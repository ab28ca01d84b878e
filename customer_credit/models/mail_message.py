from odoo import api, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _record_scoped_modules(self):
        # Credit files (evaluations, applications, holds, events...) are archive data too: their
        # messages are read only with the record.
        return super()._record_scoped_modules() | {"customer_credit"}

    @api.model
    def _record_scoped_models(self):
        # The credit department writes on orders and invoices too (a hold, its refusal, with the
        # customer's figures): Odoo filters their messages after a search's limit, so a limited
        # search told whether a hidden one matched. Read with the record, in SQL, as the others.
        return sorted({*super()._record_scoped_models(), "sale.order", "account.move"})
