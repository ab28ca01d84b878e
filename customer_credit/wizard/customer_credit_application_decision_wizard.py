from odoo import api, fields, models


class CustomerCreditApplicationDecisionWizard(models.TransientModel):
    """The officer's review or the manager's decision on a credit application."""

    _name = "customer.credit.application.decision.wizard"
    _description = "Review or Decide a Credit Application"

    application_id = fields.Many2one("customer.credit.application", required=True)
    step = fields.Selection(
        [("review", "Review"), ("approve", "Approve"), ("reject", "Reject")], required=True
    )
    currency_id = fields.Many2one(related="application_id.currency_id")
    note = fields.Text(string="Review / Reason")
    granted_limit = fields.Monetary(currency_field="currency_id")
    granted_term_days = fields.Integer(string="Granted Term (Days)")
    valid_from = fields.Date(default=fields.Date.context_today)
    valid_to = fields.Date()
    method = fields.Char()

    @api.onchange("application_id")
    def _onchange_application_id(self):
        self.granted_limit = self.application_id.requested_limit
        self.granted_term_days = self.application_id.requested_term_days

    def action_confirm(self):
        self.ensure_one()
        application = self.application_id
        if self.step == "review":
            application.action_review(self.note)
        elif self.step == "approve":
            application.action_approve(
                self.granted_limit, self.granted_term_days, self.valid_from, self.valid_to, self.method
            )
        else:
            application.action_reject(self.note)
        return {"type": "ir.actions.act_window_close"}
