from odoo import api, fields, models
from odoo.tools import format_date, formatLang


class CustomerCreditLimitHistory(models.Model):
    """Every change of a customer's credit limit or term: previous value, new value, why, who.

    Rows are made only by ``res.partner._apply_credit_decision`` (the credit decision) and are
    never changed or deleted (the evidence mixin): they are the record of who granted what credit.
    """

    _name = "customer.credit.limit.history"
    _description = "Credit Limit History"
    _inherit = ["customer.archive.evidence.mixin"]
    _order = "date desc, id desc"

    # As hidden as the customer's credit_limit_history_ids: searching that list reads this.
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
        groups="customer_credit.group_credit_officer",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    previous_limit = fields.Monetary(currency_field="currency_id", readonly=True)
    new_limit = fields.Monetary(currency_field="currency_id", readonly=True)
    previous_term_days = fields.Integer(readonly=True)
    new_term_days = fields.Integer(readonly=True)
    reason = fields.Text(required=True, readonly=True)
    approver_id = fields.Many2one("res.users", required=True, readonly=True)
    approved_on_behalf_of_id = fields.Many2one("res.users", string="On Behalf Of", readonly=True)
    delegation_id = fields.Many2one("customer.archive.delegation", string="Delegation Used", readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    evaluation_id = fields.Many2one("customer.credit.evaluation", readonly=True)
    application_id = fields.Many2one(
        "customer.credit.application", string="Credit Application", readonly=True
    )

    @api.depends("new_limit", "currency_id", "date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # The limit granted and when (变更后额度 ¥300,000.00 · 2026年11月30日): a history row has no
        # name of its own. The field's label says what the amount is, in the reader's language.
        label = self._fields["new_limit"]._description_string(self.env)
        for row in self:
            amount = formatLang(self.env, row.new_limit, currency_obj=row.currency_id)
            parts = (f"{label} {amount}", format_date(self.env, row.date))
            row.display_name = " · ".join(part for part in parts if part)
