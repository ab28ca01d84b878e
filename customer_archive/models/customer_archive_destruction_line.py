from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .customer_archive_access_logged_mixin import REGISTER
from .customer_archive_workflow_mixin import check_named_records_readable


class CustomerArchiveDestructionLine(models.Model):
    """An archive on a destruction list, with the appraisal (鉴定) of why it has no further value."""

    _name = "customer.archive.destruction.line"
    _description = "Archive Destruction Line"
    _inherit = ["customer.archive.access.logged.mixin"]
    _order = "destruction_id, id"
    _archive_access_log = REGISTER

    destruction_id = fields.Many2one(
        "customer.archive.destruction", required=True, ondelete="cascade", index=True
    )
    archive_id = fields.Many2one("customer.archive", required=True)
    retention_end_date = fields.Date(related="archive_id.retention_end_date")
    appraisal = fields.Text(required=True)

    _sql_constraints = [
        (
            "archive_uniq",
            "unique(destruction_id, archive_id)",
            "An archive is listed once per destruction list.",
        ),
    ]

    def _access_log_targets(self):
        return self.archive_id, self.env["customer.archive.document"]

    def _access_log_subjects(self):
        return self.archive_id

    @api.model_create_multi
    def create(self, vals_list):
        check_named_records_readable(self, vals_list)
        destructions = self.env["customer.archive.destruction"].browse(
            [v.get("destruction_id") for v in vals_list]
        )
        destructions._check_lines_editable()
        return super().create(vals_list)

    def write(self, vals):
        check_named_records_readable(self, [vals])
        self.destruction_id._check_lines_editable()
        if "destruction_id" in vals:
            self.env["customer.archive.destruction"].browse(vals["destruction_id"])._check_lines_editable()
        return super().write(vals)

    def unlink(self):
        self.destruction_id._check_lines_editable()
        return super().unlink()

    @api.constrains("archive_id")
    def _check_not_on_another_list(self):
        for line in self:
            other = self.sudo().search_count(  # sudo: other lists may be above the user's clearance
                [
                    ("archive_id", "=", line.archive_id.id),
                    ("id", "!=", line.id),
                    ("destruction_id.state", "in", ("draft", "submitted", "approved")),
                ]
            )
            if other:
                raise ValidationError(
                    self.env._(
                        "Archive %(number)s is already on an open destruction list.",
                        number=line.archive_id.number,
                    )
                )
