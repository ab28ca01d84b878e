from odoo import api, fields, models


class CustomerCreditLimitChangeWizard(models.TransientModel):
    """A credit manager's recorded change of a customer's credit limit and term, with its reason."""

    _name = "customer.credit.limit.change.wizard"
    _description = "Change a Credit Limit"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    current_limit = fields.Monetary(currency_field="currency_id", compute="_compute_current")
    current_term_days = fields.Integer(string="Current Term (Days)", compute="_compute_current")
    new_limit = fields.Monetary(currency_field="currency_id", required=True)
    new_term_days = fields.Integer(string="New Term (Days)", required=True)
    reason = fields.Text(required=True)

    @api.depends("partner_id", "company_id")
    def _compute_current(self):
        # Only for who sees the customer's credit: a form's answer (onchange) is given whatever
        # the wizard's access rights.
        visible = self.partner_id._credit_visible_partners()
        for wizard in self:
            # sudo: shows the limit Odoo reserves to accounting to whoever decides on it
            partner = wizard.partner_id.sudo().with_company(wizard.company_id)
            seen = wizard.partner_id in visible
            wizard.current_limit = partner.credit_limit if seen else 0.0
            wizard.current_term_days = partner.credit_term_days if seen else 0

    @api.onchange("partner_id", "company_id")
    def _onchange_partner_id(self):
        self.new_limit = self.current_limit
        self.new_term_days = self.current_term_days

    def action_confirm(self):
        """Apply the change through ``res.partner._credit_change_limit`` (role and reason checked there)."""
        self.ensure_one()
        self.partner_id.with_company(self.company_id)._credit_change_limit(
            self.new_limit, self.new_term_days, self.reason
        )
        return {"type": "ir.actions.act_window_close"}
