from odoo import fields, models
from odoo.exceptions import UserError


class CustomerCreditLimitHistory(models.Model):
    """Every change of a customer's credit limit or term: previous value, new value, why, who."""

    _name = "customer.credit.limit.history"
    _description = "Credit Limit History"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    previous_limit = fields.Monetary(currency_field="currency_id", readonly=True)
    new_limit = fields.Monetary(currency_field="currency_id", readonly=True)
    previous_term_days = fields.Integer(readonly=True)
    new_term_days = fields.Integer(readonly=True)
    reason = fields.Text(required=True, readonly=True)
    approver_id = fields.Many2one("res.users", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    evaluation_id = fields.Many2one("customer.credit.evaluation", readonly=True)

    def write(self, vals):
        if self:
            raise UserError(self.env._("The credit limit history cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if self:
            raise UserError(self.env._("The credit limit history is never deleted."))
        return super().unlink()
