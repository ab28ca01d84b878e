from odoo import api, models

from .sale_order import LINE_COMPUTED_FIGURES, _refuse_computed_figures


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"
    # A line's form answer named another's order's state (on credit hold), customer and salesperson.
    _onchange_values_checked = True

    @api.model_create_multi
    def create(self, vals_list):
        # New lines on a confirmed order, whichever model adds them, are checked like its growth.
        orders = self.env["sale.order"].browse(
            {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        )
        checked = orders._credit_growth_candidates()
        before = checked._credit_snapshot()
        lines = super().create(vals_list)
        checked._credit_check_growth(before)
        return lines

    def write(self, vals):
        _refuse_computed_figures(self, vals, LINE_COMPUTED_FIGURES)
        # Quantity, price, discount, taxes: whatever makes a confirmed order cost more is checked.
        orders = self.order_id
        if vals.get("order_id"):
            orders |= self.env["sale.order"].browse(vals["order_id"])
        checked = orders._credit_growth_candidates()
        before = checked._credit_snapshot()
        result = super().write(vals)
        checked._credit_check_growth(before)
        return result
