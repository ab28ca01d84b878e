from odoo import api, fields, models
from odoo.exceptions import ValidationError

SALES_POLICIES = [
    ("allow", "Allow"),
    ("hold_over_limit", "Hold Over the Limit"),
    ("hold_always", "Hold Always"),
]


class CustomerCreditGrade(models.Model):
    """A credit grade (信用等级): 优秀 A, 一般 B, 风险 C by default, and what it grants."""

    _name = "customer.credit.grade"
    _description = "Credit Grade"
    _order = "min_score desc, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    min_score = fields.Float(
        string="Minimum Score", required=True, help="Lowest total score of the grade (0-100)."
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    default_credit_limit = fields.Monetary(currency_field="currency_id")
    credit_term_days = fields.Integer(string="Credit Term (Days)")
    review_interval_months = fields.Integer(string="Review Every (Months)", default=12)
    guarantee_required = fields.Boolean()
    sales_policy = fields.Selection(SALES_POLICIES, required=True, default="hold_over_limit")
    risk_plan_required = fields.Boolean(
        help="Customers of this grade carry their own risk plan (风险客户独立方案)."
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The grade code must be unique per company."),
    ]

    @api.constrains("min_score", "default_credit_limit", "credit_term_days", "review_interval_months")
    def _check_values(self):
        for grade in self:
            if not 0 <= grade.min_score <= 100:
                raise ValidationError(self.env._("A grade's minimum score lies between 0 and 100."))
            if grade.default_credit_limit < 0 or grade.credit_term_days < 0:
                raise ValidationError(self.env._("A credit limit or term cannot be negative."))
            if grade.review_interval_months < 1:
                raise ValidationError(self.env._("A grade is reviewed at least every month."))

    @api.depends("code", "name")
    def _compute_display_name(self):
        for grade in self:
            grade.display_name = f"{grade.name} {grade.code}" if grade.code else grade.name

    @api.model
    def _grade_for_score(self, score, company):
        """The best grade whose minimum the score reaches."""
        grades = self.search([("company_id", "=", company.id)], order="min_score desc")
        return next((grade for grade in grades if score >= grade.min_score), grades[-1:] or self.browse())
