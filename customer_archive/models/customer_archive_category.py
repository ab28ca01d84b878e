from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .customer_archive_confidentiality_mixin import CONFIDENTIALITY_LEVELS


class CustomerArchiveCategory(models.Model):
    _name = "customer.archive.category"
    _description = "Archive Category"
    _inherit = ["mail.thread"]
    _order = "sequence, code"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Category code used in archive numbers, e.g. CON.")
    sequence = fields.Integer(default=10)
    # Retention decides when archives may be destroyed: every change is in the history (保管期限).
    retention_permanent = fields.Boolean(string="Kept Permanently", tracking=True)
    retention_years = fields.Integer(
        help="Years an archive of this category is kept after it is closed.", tracking=True
    )
    review_interval_months = fields.Integer(
        string="Review Every (Months)",
        default=12,
        help="How often archives of this category are reviewed.",
        tracking=True,
    )
    default_confidentiality = fields.Selection(
        CONFIDENTIALITY_LEVELS, required=True, default="ordinary", tracking=True
    )
    required_document_type_ids = fields.Many2many(
        "customer.archive.document.type",
        string="Required Documents",
        help="Checklist of the documents a complete archive of this category holds.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The category code must be unique."),
    ]

    def write(self, vals):
        self.env["customer.archive"]._check_number_code_change(self, "category_id", vals)
        return super().write(vals)

    def copy(self, default=None):
        if self:
            # Its code is part of archive numbers and must be unique: a new category gets its own.
            raise UserError(
                self.env._("A category's code numbers archives and is unique: create a new category instead.")
            )
        return super().copy(default)

    @api.constrains("retention_years", "retention_permanent", "review_interval_months")
    def _check_retention(self):
        for category in self:
            if category.review_interval_months < 1:
                raise ValidationError(self.env._("Archives are reviewed at least every month."))
            if not category.retention_permanent and category.retention_years <= 0:
                raise ValidationError(
                    self.env._(
                        "Category %(name)s needs a retention in years, or to be kept permanently.",
                        name=category.name,
                    )
                )
