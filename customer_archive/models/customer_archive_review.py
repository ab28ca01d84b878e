from odoo import fields, models

from .customer_archive_access_logged_mixin import REGISTER

REVIEW_OUTCOMES = [("current", "Current"), ("updated", "Updated"), ("to_close", "To Be Closed")]


class CustomerArchiveReview(models.Model):
    """One periodic review of an archive (定期审查): who, when, with what outcome. Kept as evidence."""

    _name = "customer.archive.review"
    _description = "Archive Review"
    _inherit = ["customer.archive.evidence.mixin", "customer.archive.access.logged.mixin"]
    _order = "date desc, id desc"
    _archive_access_log = REGISTER

    # As hidden as the archive's review_ids: searching that list (reviewed or not) reads this.
    archive_id = fields.Many2one(
        "customer.archive",
        required=True,
        index=True,
        readonly=True,
        groups="customer_archive.group_archive_officer",
    )
    company_id = fields.Many2one(related="archive_id.company_id", store=True)
    confidentiality_rank = fields.Integer(related="archive_id.confidentiality_rank", store=True)
    reviewer_id = fields.Many2one(
        "res.users", required=True, readonly=True, default=lambda self: self.env.user
    )
    date = fields.Date(required=True, readonly=True, default=lambda self: self.env.company._archive_today())
    outcome = fields.Selection(REVIEW_OUTCOMES, required=True, readonly=True)
    note = fields.Text(readonly=True)

    def _access_log_targets(self):
        return self.archive_id, self.env["customer.archive.document"]

    def _access_log_subjects(self):
        return self.archive_id
