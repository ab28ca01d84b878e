from typing import NamedTuple

from odoo import api, fields, models
from odoo.exceptions import UserError

from .customer_archive_confidentiality_mixin import CONFIDENTIALITY_LEVELS, CONFIDENTIALITY_RANK

HANDED_OVER_ACTIVITY_MODELS = (
    "customer.archive.borrow",
    "customer.archive",
    "customer.archive.share",
    "customer.archive.access.alarm",
)


class ArchiveHoldings(NamedTuple):
    """What a user holds in the archive office, part by part (recordsets)."""

    archives: object
    lent: object
    requests: object
    shares: object
    activities: object
    cabinets: object
    customers: object


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

    @api.model
    def _archive_addressees(self, group_xmlid, company):
        """Active internal users of a group working in ``company``, to ask or address. The
        administrator and the superuser belong to the groups by data: they are left out unless
        nobody else is there. Takes a group xml id and a company (empty: any); returns users."""
        members = self._archive_group_members(group_xmlid)
        if company:
            members = members.filtered(lambda user: company in user.company_ids)
        admins = self.env.ref("base.user_admin", raise_if_not_found=False) or self.browse()
        admins |= self.env.ref("base.user_root")
        return (members - admins) or members

    @api.model
    def _archive_office_managers(self, company):
        """The archive office managers (内勤部经理) working in ``company``: the members of the
        manager group who are not executives, the executives only when the office has no manager
        of its own. Whom the archive office tells of what needs its action (a backup key used, a
        repair). Takes a company (empty: any); returns users."""
        managers = self._archive_addressees("customer_archive.group_archive_manager", company)
        executives = self._archive_group_members("customer_archive.group_archive_executive")
        return (managers - executives) or self._archive_addressees(
            "customer_archive.group_archive_executive", company
        )

    def _archive_holdings(self):
        """What a user still holds in the archive office (离职交接), as an ``ArchiveHoldings``:
        archives in their care, loans and open requests, open share requests, decisions waiting for
        them, cabinet keys, and the customers whose salesperson they are (the archives' and the
        archive cards' scope) that have archives or an archive card."""
        self.ensure_one()
        # sudo: the check must see everything the user holds, whatever the caller's clearance
        Archive = self.env["customer.archive"].sudo()  # sudo: the check sees all
        Borrow = self.env["customer.archive.borrow"].sudo()  # sudo: the check sees all
        return ArchiveHoldings(
            archives=Archive.search([("user_id", "=", self.id), ("state", "!=", "destroyed")]),
            lent=Borrow.search([("requester_id", "=", self.id), ("state", "=", "lent")]),
            requests=Borrow.search(
                [("requester_id", "=", self.id), ("state", "in", ("draft", "submitted", "approved"))]
            ),
            shares=self.env["customer.archive.share"]
            .sudo()  # sudo: the check sees all
            .search([("requester_id", "=", self.id), ("state", "in", ("draft", "submitted"))]),
            activities=self.env["mail.activity"]
            .sudo()  # sudo: the check sees all
            .search([("user_id", "=", self.id), ("res_model", "in", HANDED_OVER_ACTIVITY_MODELS)]),
            cabinets=self.env["customer.archive.cabinet"]
            .sudo()  # sudo: the check sees all
            .search(["|", ("office_key_holder_id", "=", self.id), ("backup_key_holder_id", "=", self.id)]),
            customers=self.env["res.partner"]
            .sudo()  # sudo: the check sees all
            .search(
                [
                    ("user_id", "=", self.id),
                    "|",
                    ("customer_archive_ids", "!=", False),
                    ("archive_card_ids", "!=", False),
                ]
            ),
        )

    def _archive_holdings_labels(self):
        """The translated label of each part of ``ArchiveHoldings``, in its order."""
        return ArchiveHoldings(
            archives=self.env._("Archives in their care"),
            lent=self.env._("Archives lent to them"),
            requests=self.env._("Open requests"),
            shares=self.env._("Open share requests"),
            activities=self.env._("Decisions waiting for them"),
            cabinets=self.env._("Cabinet keys"),
            customers=self.env._("Customers whose salesperson they are"),
        )

    def _check_nothing_to_hand_over(self):
        for user in self:
            held = {
                label: records
                for label, records in zip(
                    user._archive_holdings_labels(), user._archive_holdings(), strict=True
                )
                if records
            }
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
