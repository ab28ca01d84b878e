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
