from odoo import api, models


class MailFollowers(models.Model):
    _inherit = "mail.followers"

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
