from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # An invoice line's form answered another's invoice's name, state and dates by the invoice's id
    # (customer_archive's Base.onchange guards the lines as the invoices).
    _onchange_values_checked = True
