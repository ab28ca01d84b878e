from odoo import api, fields, models
from odoo.exceptions import UserError

EVENT_TYPES = [
    ("overdue", "Overdue"),
    ("default", "Default"),
    ("dishonesty", "Dishonesty"),
    ("major_contract", "Major Contract"),
    ("major_event", "Major Event"),
    ("investigation", "Investigation"),
    ("dispute", "Dispute"),
    ("reward", "Reward"),
    ("penalty", "Penalty"),
    ("hold_release", "Credit Hold Released"),
]


class CustomerCreditEvent(models.Model):
    """Something that happened to a customer's credit (信用事件, 违约记录, 信用纠纷)."""

    _name = "customer.credit.event"
    _description = "Credit Event"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    event_type = fields.Selection(EVENT_TYPES, string="Type", required=True, tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    amount = fields.Monetary(currency_field="currency_id")
    description = fields.Text(required=True)
    source_document = fields.Char(help="Invoice, order, contract or letter the event comes from.")
    sale_order_id = fields.Many2one("sale.order", string="Sales Order")
    move_id = fields.Many2one("account.move", string="Invoice")
    # Disputes (信用纠纷处理机制)
    owner_id = fields.Many2one("res.users", string="Dispute Owner", tracking=True)
    outcome = fields.Text(tracking=True)
    dispute_state = fields.Selection([("open", "Open"), ("resolved", "Resolved")], tracking=True)
    # Set by the monitoring so that a rerun records an event only once.
    monitoring_key = fields.Char(readonly=True, copy=False, index=True)
    half_year = fields.Char(compute="_compute_half_year", store=True, help="e.g. 2026-H2")

    _sql_constraints = [
        ("monitoring_key_uniq", "unique(company_id, monitoring_key)", "This event was already recorded."),
    ]

    @api.depends("date")
    def _compute_half_year(self):
        for event in self:
            event.half_year = (
                f"{event.date.year}-H{1 if event.date.month <= 6 else 2}" if event.date else False
            )

    @api.onchange("event_type")
    def _onchange_event_type(self):
        if self.event_type == "dispute" and not self.dispute_state:
            self.dispute_state = "open"
            self.owner_id = self.env.user

    def unlink(self):
        if self:
            raise UserError(
                self.env._("Credit events are part of the customer's record and are never deleted.")
            )
        return super().unlink()

    def action_resolve(self):
        for event in self:
            if event.event_type != "dispute" or event.dispute_state != "open":
                raise UserError(self.env._("Only an open dispute can be resolved."))
            if not (event.outcome or "").strip():
                raise UserError(self.env._("Write the outcome of the dispute before resolving it."))
        self.write({"dispute_state": "resolved"})
        return True
