from odoo import api, fields, models
from odoo.exceptions import AccessError

# The four levels of the company rules (密级), lowest first. The rank is what record rules
# compare with the user's clearance, so a level is never compared by its label.
CONFIDENTIALITY_LEVELS = [
    ("ordinary", "Ordinary"),
    ("secret", "Secret"),
    ("confidential", "Confidential"),
    ("top_secret", "Top Secret"),
]
CONFIDENTIALITY_RANK = {key: rank for rank, (key, _label) in enumerate(CONFIDENTIALITY_LEVELS, 1)}


def level_opened(archives, documents=None):
    """The level of what a request opens: ONE definition for lending, photocopying, shares and
    destruction (密级借阅规定). Takes archives and the documents named (recordsets); returns the
    level key of the most confidential of the archives and of every document covered: the documents
    named, or every document of the archives when none is named ('ordinary' for nothing)."""
    archives = archives.sudo()  # sudo: the level counts everything opened, whoever asks
    covered = documents.sudo() if documents else archives.document_ids  # sudo: as above
    rank = max(archives.mapped("confidentiality_rank") + covered.mapped("confidentiality_rank"), default=1)
    return CONFIDENTIALITY_LEVELS[max(rank, 1) - 1][0]


class CustomerArchiveConfidentialityMixin(models.AbstractModel):
    """Level of confidentiality shared by archives, documents and (later) requests.

    The record rules of every model using it compare ``confidentiality_rank`` with the
    user's ``archive_clearance_rank``, so one mechanism decides who may see what.
    """

    _name = "customer.archive.confidentiality.mixin"
    _description = "Customer Archive Confidentiality Mixin"

    confidentiality = fields.Selection(
        CONFIDENTIALITY_LEVELS,
        required=True,
        default="ordinary",
        tracking=True,
    )
    confidentiality_rank = fields.Integer(
        compute="_compute_confidentiality_rank",
        store=True,
        index=True,
        aggregator=False,
    )

    @api.depends("confidentiality")
    def _compute_confidentiality_rank(self):
        for record in self:
            record.confidentiality_rank = CONFIDENTIALITY_RANK.get(record.confidentiality, 0)

    @api.model
    def _confidentiality_rank_of(self, level):
        return CONFIDENTIALITY_RANK.get(level, 0)

    def _check_level_change(self, vals):
        """Lowering a level (降密) needs an archive office manager; raising it is open to whoever
        may edit the record. Takes the values of a write; raises AccessError; the change itself is
        recorded by the field's tracking (修改后记录修改内容和日期)."""
        if "confidentiality" not in vals or self.env.su:
            return
        new_rank = self._confidentiality_rank_of(vals["confidentiality"])
        if any(record.confidentiality_rank > new_rank for record in self) and not self.env.user.has_group(
            "customer_archive.group_archive_manager"
        ):
            raise AccessError(self.env._("Only an archive office manager lowers a confidentiality level."))

    # ------------------------------------------------------------------ mail (密级 and the chatter)
    @api.model
    def _partners_cleared_for_rank(self, partners, rank):
        """The partners of ``partners`` that may hear of a record of level ``rank``: those with an
        active internal user cleared for it; below secret, anyone the record's readers chose."""
        if rank <= CONFIDENTIALITY_RANK["ordinary"]:
            return partners
        users = partners.sudo().user_ids  # sudo: who the partners' users are, to check clearance
        cleared = users.filtered(
            lambda user: user.active and not user.share and user.archive_clearance_rank >= rank
        )
        return partners & cleared.partner_id.with_env(partners.env)

    @api.model
    def _cleared_assignee(self, user, rank):
        """``user`` when cleared for level ``rank``, else the first archive office manager (then
        executive) who is: nobody below a record's level holds an activity on it."""
        if user.archive_clearance_rank >= rank:
            return user
        Users = self.env["res.users"]
        for group in ("customer_archive.group_archive_manager", "customer_archive.group_archive_executive"):
            cleared = Users._archive_group_members(group).filtered(lambda u: u.archive_clearance_rank >= rank)
            if cleared:
                return cleared[:1]
        return Users.browse()

    def _drop_uncleared_followers(self):
        """After a level was raised: the followers below it stop following, and their activities on
        the record pass to a cleared archive office manager."""
        for record in self.sudo():  # sudo: followers and activities of people who may no longer read it
            rank = record.confidentiality_rank
            if "message_partner_ids" in record._fields:
                followers = record.message_partner_ids
                dropped = followers - self._partners_cleared_for_rank(followers, rank)
                if dropped:
                    record.message_unsubscribe(partner_ids=dropped.ids)
            if "activity_ids" in record._fields:
                for activity in record.activity_ids.filtered(
                    lambda a, r=rank: a.user_id.archive_clearance_rank < r
                ):
                    activity.user_id = self._cleared_assignee(activity.user_id, rank)
