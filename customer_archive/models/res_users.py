from odoo import api, fields, models

from .customer_archive_confidentiality_mixin import CONFIDENTIALITY_LEVELS, CONFIDENTIALITY_RANK


class ResUsers(models.Model):
    _inherit = "res.users"

    # Writing res.users is reserved to administrators (Access Rights), so only they set it.
    archive_clearance = fields.Selection(
        CONFIDENTIALITY_LEVELS,
        required=True,
        default="ordinary",
        help="Highest confidentiality level of customer archives this user may see.",
    )
    archive_clearance_rank = fields.Integer(compute="_compute_archive_clearance_rank")

    @api.depends("archive_clearance")
    def _compute_archive_clearance_rank(self):
        for user in self:
            user.archive_clearance_rank = CONFIDENTIALITY_RANK.get(user.archive_clearance, 0)

    def write(self, vals):
        result = super().write(vals)
        if "archive_clearance" in vals:
            # Record rules read the clearance and are cached per user: drop the cache.
            self.env.registry.clear_cache()
        return result

    @api.model
    def _archive_group_members(self, group_xmlid):
        """Active internal users of a group (implied groups included): whom to notify or ask."""
        group = self.env.ref(group_xmlid).sudo()  # sudo: lists the members only to address them
        return group.users.filtered(lambda user: user.active and not user.share).with_env(self.env)
