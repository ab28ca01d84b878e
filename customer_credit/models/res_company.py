from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_enforce_all = fields.Boolean(
        string="Credit Control for All Customers",
        help="Hold orders of every customer over their limit, "
        "not only of those the credit department manages.",
    )
    credit_warning_threshold = fields.Float(string="Utilisation Warning (%)", default=80.0)
    credit_hold_overdue_days = fields.Integer(string="Hold After Overdue Days", default=60)
