from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerArchiveApprovalRefuseWizard(models.TransientModel):
    """The reason of a refusal: the one refusal window of the approval engine, for every request
    that has no decision window of its own (destruction lists, credit evaluations, credit holds)."""

    _name = "customer.archive.approval.refuse.wizard"
    _description = "Refuse a Request"

    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    record_name = fields.Char(string="Request", compute="_compute_record_name")
    reason = fields.Text(required=True)

    def _request(self):
        """The request refused: only a model of the approval engine."""
        self.ensure_one()
        if self.res_model not in self.env.registry["customer.archive.approval.mixin"]._inherit_children:
            raise UserError(self.env._("Only a request waiting for a decision is refused here."))
        return self.env[self.res_model].browse(self.res_id)

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for wizard in self:
            wizard.record_name = wizard._request().display_name if wizard.res_model else False

    def action_confirm(self):
        request = self._request()
        # The request's own refusal step: its guards (role, state, reason) apply.
        getattr(request, request._approval_refusal_method)(self.reason)
        return {"type": "ir.actions.act_window_close"}
