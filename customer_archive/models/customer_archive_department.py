from odoo import fields, models


class CustomerArchiveDepartment(models.Model):
    _name = "customer.archive.department"
    _description = "Archive Department"
    _order = "code"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Department code used in archive numbers, e.g. SAL.")
    manager_id = fields.Many2one("res.users")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The department code must be unique per company."),
    ]
