from odoo import api, fields, models
from odoo.exceptions import UserError

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
        if "active" in vals and not vals["active"]:
            self._check_nothing_to_hand_over()
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

    def _archive_holdings(self):
        """What a user still holds in the archive office: {label: records}."""
        self.ensure_one()
        # sudo: the check must see everything the user holds, whatever the caller's clearance
        Archive = self.env["customer.archive"].sudo()  # sudo: the check sees all
        Borrow = self.env["customer.archive.borrow"].sudo()  # sudo: the check sees all
        return {
            self.env._("Archives in their care"): Archive.search(
                [("user_id", "=", self.id), ("state", "!=", "destroyed")]
            ),
            self.env._("Archives lent to them"): Borrow.search(
                [("requester_id", "=", self.id), ("state", "=", "lent")]
            ),
            self.env._("Open requests"): Borrow.search(
                [("requester_id", "=", self.id), ("state", "in", ("draft", "submitted", "approved"))]
            ),
            self.env._("Open share requests"): self.env["customer.archive.share"]
            .sudo()  # sudo: the check sees all
            .search([("requester_id", "=", self.id), ("state", "in", ("draft", "submitted"))]),
            self.env._("Decisions waiting for them"): self.env["mail.activity"]
            .sudo()  # sudo: the check sees all
            .search(
                [
                    ("user_id", "=", self.id),
                    (
                        "res_model",
                        "in",
                        (
                            "customer.archive.borrow",
                            "customer.archive",
                            "customer.archive.share",
                            "customer.archive.access.alarm",
                        ),
                    ),
                ]
            ),
            self.env._("Cabinet keys"): self.env["customer.archive.cabinet"]
            .sudo()  # sudo: the check sees all
            .search(["|", ("office_key_holder_id", "=", self.id), ("backup_key_holder_id", "=", self.id)]),
        }

    def _check_nothing_to_hand_over(self):
        for user in self:
            held = {label: records for label, records in user._archive_holdings().items() if records}
            if held:
                lines = "\n".join(
                    f"- {label}: {', '.join(records.mapped('display_name')[:10])}"
                    for label, records in held.items()
                )
                raise UserError(
                    self.env._(
                        "%(user)s still holds archive matters; hand them over first (Customer Archives > "
                        "Handover):\n%(list)s",
                        user=user.name,
                        list=lines,
                    )
                )
