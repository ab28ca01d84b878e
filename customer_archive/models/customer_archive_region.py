from odoo import fields, models


class CustomerArchiveRegion(models.Model):
    _name = "customer.archive.region"
    _description = "Customer Region"
    _order = "code, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The region code must be unique."),
    ]
