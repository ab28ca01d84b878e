from odoo import api, models
from odoo.exceptions import UserError


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model_create_multi
    def create(self, vals_list):
        # Nobody below a record's level holds an activity on it (密级): an activity meant for
        # someone not cleared goes to a cleared archive office manager instead.
        for vals in vals_list:
            rank = self._archive_rank_of(vals.get("res_model_id"), vals.get("res_model"), vals.get("res_id"))
            if rank and vals.get("user_id"):
                user = self.env["res.users"].browse(vals["user_id"])
                assignee = self.env["customer.archive.confidentiality.mixin"]._cleared_assignee(user, rank)
                if not assignee:
                    raise UserError(self.env._("Nobody is cleared to hold this activity."))
                vals["user_id"] = assignee.id
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("user_id"):
            user = self.env["res.users"].browse(vals["user_id"])
            for activity in self:
                rank = self._archive_rank_of(activity.res_model_id.id, activity.res_model, activity.res_id)
                if rank and user.archive_clearance_rank < rank:
                    raise UserError(
                        self.env._("%(user)s is not cleared for this record's level.", user=user.name)
                    )
        return super().write(vals)

    @api.model
    def _archive_rank_of(self, res_model_id, res_model, res_id):
        """The confidentiality rank of the record an activity is on (0 for other models)."""
        if not res_model and res_model_id:
            res_model = self.env["ir.model"].sudo().browse(res_model_id).model  # sudo: the model's name
        Model = self.env.get(res_model or "")
        if Model is None or "confidentiality_rank" not in Model._fields or not res_id:
            return 0
        return Model.sudo().browse(res_id).confidentiality_rank  # sudo: the level only
