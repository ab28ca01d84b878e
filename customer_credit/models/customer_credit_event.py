from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

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
    ("credit_hold", "Customer Put on Credit Hold"),
    ("credit_hold_lifted", "Customer Credit Hold Lifted"),
    ("broken_promise", "Broken Promise to Pay"),
]


# Recorded only by credit control (holds and releases); a hand-entered event never takes these types.
SYSTEM_EVENT_TYPES = ("hold_release", "credit_hold", "credit_hold_lifted", "broken_promise")


class CustomerCreditEvent(models.Model):
    """Something that happened to a customer's credit (信用事件, 违约记录, 信用纠纷).

    Events the system records (overdue, holds and their release: ``is_system``) are evidence (the
    evidence mixin): made only by ``_create_system_event``, never rewritten nor deleted. Events
    entered by hand are tracked field by field; a resolved dispute is frozen.
    """

    _name = "customer.credit.event"
    _description = "Credit Event"
    _inherit = ["mail.thread", "customer.archive.evidence.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _workflow_fields = frozenset({"is_system", "dispute_state"})

    # As hidden as the customer's credit_event_ids: searching that list (has events or not) reads this.
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        groups="customer_credit.group_credit_officer",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, tracking=True
    )
    # The currency of the amount: the company's unless the event was in another one (a contract in
    # USD); the statistics convert amounts to the company currency at the event date's rate.
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    event_type = fields.Selection(EVENT_TYPES, string="Type", required=True, tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    # Not summed as such: amounts of events may be in several currencies (see below).
    amount = fields.Monetary(currency_field="currency_id", tracking=True, aggregator=None)
    # What the statistics add up (统计报表): the amount in the company currency at the rate of the
    # event's date, fixed when the event is recorded or its amount, currency or date changes.
    amount_company_currency = fields.Monetary(
        string="Amount in Company Currency",
        currency_field="company_currency_id",
        compute="_compute_amount_company_currency",
        store=True,
        precompute=True,  # in the INSERT: the monitoring records events by the thousand
    )
    description = fields.Text(required=True, tracking=True)
    source_document = fields.Char(
        help="Invoice, order, contract or letter the event comes from.", tracking=True
    )
    sale_order_id = fields.Many2one("sale.order", string="Sales Order", tracking=True)
    move_id = fields.Many2one("account.move", string="Invoice", tracking=True)
    # Disputes (信用纠纷处理机制)
    owner_id = fields.Many2one("res.users", string="Dispute Owner", tracking=True)
    outcome = fields.Text(tracking=True)
    dispute_state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")], readonly=True, tracking=True
    )
    is_system = fields.Boolean(
        string="Recorded by the System",
        readonly=True,
        copy=False,
        help="Recorded by credit control itself (monitoring, holds); never changed.",
    )
    # Set by the monitoring so that a rerun records an event only once (read-only: a key made up by
    # hand would stop the monitoring from recording the real event).
    monitoring_key = fields.Char(readonly=True, copy=False, index=True)
    half_year = fields.Char(compute="_compute_half_year", store=True, precompute=True, help="e.g. 2026-H2")

    _sql_constraints = [
        ("monitoring_key_uniq", "unique(company_id, monitoring_key)", "This event was already recorded."),
    ]

    @api.depends("event_type", "source_document", "date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # What happened, to which document, when (逾期 · INV/2026/00012 · 2026年11月30日): an event
        # has no name of its own, and "customer.credit.event,5" tells a reader nothing.
        types = dict(self._fields["event_type"]._description_selection(self.env))
        for event in self:
            parts = [types.get(event.event_type), event.source_document, format_date(self.env, event.date)]
            event.display_name = " · ".join(part for part in parts if part)

    @api.depends("company_id")
    def _compute_currency_id(self):
        for event in self:
            if not event.currency_id:
                event.currency_id = event.company_id.currency_id

    @api.depends("amount", "currency_id", "date", "company_id")
    def _compute_amount_company_currency(self):
        for event in self:
            company = event.company_id
            if not event.currency_id or event.currency_id == company.currency_id:
                event.amount_company_currency = event.amount
            else:
                event.amount_company_currency = event.currency_id._convert(
                    event.amount, company.currency_id, company, event.date or fields.Date.context_today(event)
                )

    @api.depends("date")
    def _compute_half_year(self):
        for event in self:
            event.half_year = (
                f"{event.date.year}-H{1 if event.date.month <= 6 else 2}" if event.date else False
            )

    @api.onchange("event_type")
    def _onchange_event_type(self):
        if self.event_type == "dispute" and not self.owner_id:
            self.owner_id = self.env.user

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            if vals.get("dispute_state") == "open":
                del vals["dispute_state"]  # a dispute entered by hand opens by itself, below
            self._check_workflow_fields(vals)
            if vals.get("event_type") in SYSTEM_EVENT_TYPES and not self._in_workflow():
                raise UserError(
                    self.env._("Holds, their lifting and releases are recorded by credit control itself.")
                )
            if vals.get("event_type") == "dispute" and not vals.get("dispute_state"):
                vals["dispute_state"] = "open"
        return super().create(vals_list)

    def write(self, vals):
        self._check_workflow_fields(vals)
        if vals.get("event_type") in SYSTEM_EVENT_TYPES and not self._in_workflow():
            raise UserError(
                self.env._("Holds, their lifting and releases are recorded by credit control itself.")
            )
        # Messages and followers of the chatter are not the event: they may still come.
        if set(vals) - set(self.env["mail.thread"]._fields):
            if any(event.dispute_state == "resolved" for event in self):
                raise UserError(self.env._("A resolved dispute is closed and can no longer be changed."))
        result = super().write(vals)
        if "event_type" in vals:
            # A dispute is open until resolved; another type of event has no dispute state.
            self.filtered(
                lambda event: event.event_type == "dispute" and not event.dispute_state
            )._workflow_write({"dispute_state": "open"})
            self.filtered(
                lambda event: event.event_type != "dispute" and event.dispute_state
            )._workflow_write({"dispute_state": False})
        return result

    def _evidence_filtered(self):
        return self.filtered("is_system")

    @api.model
    def _evidence_from_values(self, vals):
        return bool(vals.get("is_system"))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        # Events entered by hand are kept too: they are the customer's record.
        raise UserError(self.env._("Credit events are part of the customer's record and are never deleted."))

    @api.model
    def _create_system_event(self, vals_list):
        """Record events of credit control itself (C7): overdue episodes, holds and their lifting,
        released order holds, anything the monitoring or a workflow method notes.

        Takes a list of value dicts (``monitoring_key`` allowed); returns the events, marked
        ``is_system``: nobody, a credit manager included, can change them afterwards.
        """
        return (
            self.sudo()  # sudo: credit control records what happened, whoever triggered it
            # The event is the record: no "created" note, follower or tracking on it (the monitoring
            # makes thousands at once; Odoo's chatter does that work record by record).
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True)
            ._workflow_create([dict(vals, is_system=True) for vals in vals_list])
            .with_env(self.env)
        )

    def action_resolve(self):
        """Resolve open disputes once their outcome is written; a resolved dispute is frozen.
        Raises UserError for another event or a dispute without outcome."""
        for event in self:
            if event.event_type != "dispute" or event.dispute_state != "open":
                raise UserError(self.env._("Only an open dispute can be resolved."))
            if not (event.outcome or "").strip():
                raise UserError(self.env._("Write the outcome of the dispute before resolving it."))
        self._workflow_write({"dispute_state": "resolved"})
        return True
