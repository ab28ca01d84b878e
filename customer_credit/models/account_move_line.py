from odoo import models

from .account_move import CUSTOMER_MOVE_TYPES
from .sale_order import _refuse_computed_figures

# Stored figures of customer document lines that the exposure reads: computed by Odoo.
LINE_COMPUTED_FIGURES = frozenset(
    {"price_subtotal", "price_total", "amount_residual", "amount_residual_currency"}
)


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def write(self, vals):
        if any(line.move_id.move_type in CUSTOMER_MOVE_TYPES for line in self):
            _refuse_computed_figures(self, vals, LINE_COMPUTED_FIGURES)
        return super().write(vals)
