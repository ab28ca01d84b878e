from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_enforce_all = fields.Boolean(related="company_id.credit_enforce_all", readonly=False)
    credit_warning_threshold = fields.Float(related="company_id.credit_warning_threshold", readonly=False)
    credit_hold_overdue_days = fields.Integer(related="company_id.credit_hold_overdue_days", readonly=False)
