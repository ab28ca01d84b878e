from odoo import api, fields, models


class CustomerArchiveDepartment(models.Model):
    _name = "customer.archive.department"
    _description = "Archive Department"
    _order = "code"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Department code used in archive numbers, e.g. SAL.")
    manager_id = fields.Many2one("res.users")
    member_ids = fields.Many2many(
        "res.users",
        "customer_archive_department_member_rel",
        "department_id",
        "user_id",
        string="Members",
        domain="[('share', '=', False)]",
        help="The people of the department: their lending requests are made in its name by default.",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The department code must be unique per company."),
    ]

    def write(self, vals):
        self.env["customer.archive"]._check_number_code_change(self, "department_id", vals)
        return super().write(vals)

    @api.model
    def _of_user(self, user, company):
        """The department ``user`` works in within ``company``: the first (by code) of which they
        are a member, else of which they are the manager. Takes a user and a company; returns a
        department, empty when the user belongs to none there (借阅登记: the borrowing department)."""
        if not user or not company:
            return self.browse()
        departments = self.search([("company_id", "=", company.id), ("member_ids", "in", user.ids)], limit=1)
        return departments or self.search(
            [("company_id", "=", company.id), ("manager_id", "=", user.id)], limit=1
        )
