from odoo import fields, models

from ..models.customer_archive_review import REVIEW_OUTCOMES


class CustomerArchiveReviewWizard(models.TransientModel):
    _name = "customer.archive.review.wizard"
    _description = "Record an Archive Review"
    # Names an archive for one action and hands out nothing: not in the access log.
    _archive_access_log = False

    archive_id = fields.Many2one("customer.archive", required=True)
    outcome = fields.Selection(REVIEW_OUTCOMES, required=True, default="current")
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        self.archive_id.action_record_review(self.outcome, self.note)
        return {"type": "ir.actions.act_window_close"}
