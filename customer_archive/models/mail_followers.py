from odoo import api, fields, models

from .mail_message import compute_record_readable, search_record_readable


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    # Odoo lets every user read every follower: who follows a customer's credit status, or an
    # archive, told that it exists and who is told of it. On the records of the archive addons a
    # global record rule (``mail_followers_rule_record_readable``) asks that the record be readable.
    record_readable = fields.Boolean(
        compute="_compute_record_readable",
        search="_search_record_readable",
        help="Whether you may read the followed record; followers of archive data are read only "
        "with their record.",
    )

    @api.depends_context("uid")
    @api.depends("res_model", "res_id")
    def _compute_record_readable(self):
        compute_record_readable(self)

    def _search_record_readable(self, operator, value):
        return search_record_readable(self, operator, value)

    @api.model_create_multi
    def create(self, vals_list):
        # Nobody below a record's level follows it (密级): every way of subscribing ends here
        # (the follow button, the creator, a mention, a wizard), so the partners are filtered here.
        Mixin = self.env["customer.archive.confidentiality.mixin"]
        kept = []
        for vals in vals_list:
            Model = self.env.get(vals.get("res_model") or "")
            if Model is not None and "confidentiality_rank" in Model._fields and vals.get("partner_id"):
                record = Model.sudo().browse(vals["res_id"])  # sudo: the level of the record followed
                partner = self.env["res.partner"].browse(vals["partner_id"])
                if not Mixin._partners_cleared_for_rank(partner, record.confidentiality_rank):
                    continue
            kept.append(vals)
        return super().create(kept)
