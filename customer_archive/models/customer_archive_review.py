from odoo import api, fields, models
from odoo.tools import format_date

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

    @api.depends("outcome", "date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # The outcome and its day (继续保管 · 2026年11月30日): a review has no name of its own.
        outcomes = dict(self._fields["outcome"]._description_selection(self.env))
        for review in self:
            parts = [outcomes.get(review.outcome), format_date(self.env, review.date)]
            review.display_name = " · ".join(part for part in parts if part)

    def _access_log_targets(self):
        return self.archive_id, self.env["customer.archive.document"]

    def _access_log_subjects(self):
        return self.archive_id
