from odoo import api, fields, models
from odoo.addons.customer_archive.models.customer_archive_approval_mixin import APPROVAL_FIELDS
from odoo.exceptions import UserError

CREDIT_MANAGER = "customer_credit.group_credit_manager"
CREDIT_OFFICER = "customer_credit.group_credit_officer"
# Credit events shown beside a hold: the customer's latest.
RECENT_EVENTS = 10


class CustomerCreditHold(models.Model):
    """A sales order or customer invoice stopped by credit control (信用冻结), waiting for a credit
    manager."""

    _name = "customer.credit.hold"
    _description = "Credit Hold"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "customer.archive.approval.mixin",
        "customer.archive.workflow.mixin",
    ]
    _order = "create_date desc, id desc"
    _approval_waiting_states = ("pending",)
    _approval_refusal_method = "action_refuse"
    _approval_bulk_approval_method = "action_release"
    # A release in bulk carries the reason typed in the bulk window, as one by one.
    _approval_bulk_options = ("reason",)
    # What was held and why is evidence: only the workflow writes it (credit officers may write holds
    # to decide them under a delegation).
    _workflow_fields = APPROVAL_FIELDS | {
        "order_id",
        "move_id",
        "reason",
        "order_amount",
        "exposure",
        "credit_limit",
        "release_reason",
    }

    # The document held: a sales order, or a customer invoice posted past the credit (one of them).
    order_id = fields.Many2one("sale.order", index=True, readonly=True, ondelete="restrict")
    move_id = fields.Many2one(
        "account.move", string="Invoice", index=True, readonly=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        "res.partner", compute="_compute_partner_id", store=True, index=True, string="Customer"
    )
    company_id = fields.Many2one("res.company", compute="_compute_partner_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    # The figures of the customer's credit are in the reason: the credit department reads it; the
    # others read ``_reason_for_reader``.
    reason = fields.Text(required=True, readonly=True, groups="customer_credit.group_credit_officer")
    order_amount = fields.Monetary(currency_field="currency_id", readonly=True)
    # The customer's figures are the credit department's, not the requester's.
    exposure = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="Exposure before this order.",
        groups="customer_credit.group_credit_officer",
    )
    credit_limit = fields.Monetary(
        currency_field="currency_id", readonly=True, groups="customer_credit.group_credit_officer"
    )
    release_reason = fields.Text(string="Why Released", readonly=True, copy=False, groups=CREDIT_OFFICER)
    # --- What the credit manager decides on (信用冻结的审批): the customer's credit today, in the
    # hold's company, read from the customer's own figures (not stored: they change every day).
    customer_grade_id = fields.Many2one(
        "customer.credit.grade", string="Grade", compute="_compute_customer_credit", groups=CREDIT_OFFICER
    )
    customer_credit_limit = fields.Monetary(
        string="Credit Limit Today", compute="_compute_customer_credit", groups=CREDIT_OFFICER
    )
    customer_credit_term_days = fields.Integer(
        string="Credit Term (Days)", compute="_compute_customer_credit", groups=CREDIT_OFFICER
    )
    customer_exposure = fields.Monetary(
        string="Exposure Today", compute="_compute_customer_credit", groups=CREDIT_OFFICER
    )
    customer_available = fields.Monetary(
        string="Available Today", compute="_compute_customer_credit", groups=CREDIT_OFFICER
    )
    customer_overdue_amount = fields.Monetary(
        string="Overdue Amount", compute="_compute_customer_credit", groups=CREDIT_OFFICER
    )
    customer_overdue_days = fields.Integer(
        string="Days Overdue", compute="_compute_customer_credit", groups=CREDIT_OFFICER
    )
    customer_ageing_not_due = fields.Monetary(
        string="Not Due", compute="_compute_customer_credit", groups=CREDIT_OFFICER
    )
    customer_ageing_1_30 = fields.Monetary(
        string="1-30 Days", compute="_compute_customer_credit", groups=CREDIT_OFFICER
    )
    customer_ageing_31_60 = fields.Monetary(
        string="31-60 Days", compute="_compute_customer_credit", groups=CREDIT_OFFICER
    )
    customer_ageing_61_90 = fields.Monetary(
        string="61-90 Days", compute="_compute_customer_credit", groups=CREDIT_OFFICER
    )
    customer_ageing_over_90 = fields.Monetary(
        string="Over 90 Days", compute="_compute_customer_credit", groups=CREDIT_OFFICER
    )
    customer_payment_habits = fields.Text(
        string="Payment Habits", compute="_compute_customer_credit", groups=CREDIT_OFFICER
    )
    customer_event_ids = fields.Many2many(
        "customer.credit.event",
        string="Recent Credit Events",
        compute="_compute_customer_credit",
        search="_search_customer_event_ids",
        groups=CREDIT_OFFICER,
    )
    document_summary = fields.Html(
        string="Document", compute="_compute_document_summary", sanitize=False, groups=CREDIT_OFFICER
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("released", "Released"),
            ("refused", "Refused"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="pending",
        readonly=True,
        tracking=True,
    )

    _sql_constraints = [
        (
            "one_document",
            "CHECK((order_id IS NULL) != (move_id IS NULL))",
            "A credit hold is on one sales order or on one invoice.",
        ),
    ]

    # An invoice hold keeps the customer and company the invoice had when it was held (it depends
    # on ``move_id`` only): a later change of the invoice's customer does not move the hold.
    # An order hold's customer is the order's debtor (found from its invoice address) when it was
    # held: a held order cannot change it, a released one may, and the record stays as it was.
    @api.depends("order_id", "move_id")
    def _compute_partner_id(self):
        # sudo: credit staff lack sales rights; the debtor of each order only
        debtors = self.sudo().order_id._credit_debtors()
        move_debtors = self.sudo().move_id._credit_debtors()  # sudo: as above, accounting rights
        for hold in self:
            document = hold.sudo().order_id or hold.sudo().move_id  # sudo: credit staff lack those rights
            hold.partner_id = debtors.get(document.id) if hold.order_id else move_debtors.get(document.id)
            hold.company_id = document.company_id

    # Figures of the partner with its company's and today's values: not cached by dependencies.
    def _compute_customer_credit(self):
        """The customer's credit as the credit manager decides on it, customer by customer of each
        company in one read of the customer's figures (``res.partner._credit_figures_sql``)."""
        pairs = {
            "customer_grade_id": "credit_grade_id",
            "customer_credit_limit": "credit_limit",
            "customer_credit_term_days": "credit_term_days",
            "customer_exposure": "credit_exposure",
            "customer_available": "credit_available",
            "customer_overdue_amount": "credit_overdue_amount",
            "customer_overdue_days": "credit_overdue_days",
            "customer_ageing_not_due": "credit_ageing_not_due",
            "customer_ageing_1_30": "credit_ageing_1_30",
            "customer_ageing_31_60": "credit_ageing_31_60",
            "customer_ageing_61_90": "credit_ageing_61_90",
            "customer_ageing_over_90": "credit_ageing_over_90",
            "customer_payment_habits": "payment_habits",
        }
        Event = self.env["customer.credit.event"]
        for company, holds in self.grouped("company_id").items():
            # sudo: the credit file of the customers held, which the credit department reads
            partners = holds.partner_id.with_company(company or self.env.company).sudo()  # sudo: credit file
            partners.fetch(list(pairs.values()))
            for hold in holds:
                partner = partners.browse(hold.partner_id.id)
                for name, partner_field in pairs.items():
                    value = partner[partner_field]
                    hold[name] = value.with_env(self.env) if partner_field == "credit_grade_id" else value
                hold.customer_event_ids = Event.search(
                    [("partner_id", "=", hold.partner_id.id), ("company_id", "=", company.id)],
                    limit=RECENT_EVENTS,
                )

    def _search_customer_event_ids(self, operator, value):
        # The holds of customers with these events (a search only the credit department may make).
        return [("partner_id.credit_event_ids", operator, value)]

    @api.depends("order_id", "move_id")
    def _compute_document_summary(self):
        """The order or invoice held, as the credit manager reads it before deciding: its lines,
        totals (tax included) and payment terms, whatever the manager's sales or accounting
        rights."""
        for hold in self:
            # sudo: the lines of the document held, shown to the credit department deciding on it
            document = (hold.order_id or hold.move_id).sudo()  # sudo: the document held
            if not document:
                hold.document_summary = False
                continue
            lines = document.order_line if hold.order_id else document.invoice_line_ids
            hold.document_summary = self.env["ir.qweb"]._render(
                "customer_credit.customer_credit_hold_document_summary",
                {
                    "document": document,
                    "lines": lines.filtered(lambda line: not line.display_type),
                    "is_order": bool(hold.order_id),
                    "payment_term": document.payment_term_id
                    if hold.order_id
                    else document.invoice_payment_term_id,
                },
            )

    @api.depends("order_id.name", "move_id.name", "partner_id.name")
    def _compute_display_name(self):
        for hold in self:
            if hold.move_id:
                move = hold.sudo().move_id  # sudo: the name only; credit managers lack accounting rights
                hold.display_name = self.env._(
                    "Credit hold on %(invoice)s of %(amount)s (%(customer)s)",
                    invoice=move.name if move.name and move.name != "/" else self.env._("draft invoice"),
                    amount=move.currency_id.format(move.amount_total),
                    customer=hold.partner_id.name or "",
                )
                continue
            order = hold.sudo().order_id  # sudo: the name only; credit managers lack sales rights
            hold.display_name = self.env._(
                "Credit hold on %(order)s (%(customer)s)",
                order=order.name or "",
                customer=order.partner_id.commercial_partner_id.name or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._in_workflow():
            raise UserError(self.env._("Credit holds are made by confirming an order or posting an invoice."))
        return super().create(vals_list)

    def write(self, vals):
        self._check_workflow_fields(vals)
        return super().write(vals)

    def onchange(self, values, field_names, fields_spec):
        # Which records a form may name is checked for every form (customer_archive's Base.onchange);
        # a hold is on an existing order or invoice: one given as a new record's values would be
        # answered its debtor, the group structure of customers the user may not see.
        for name in ("order_id", "move_id"):
            value = values.get(name)
            if isinstance(value, dict) and not isinstance(value.get("id"), int):
                raise UserError(self.env._("A credit hold is on an existing sales order or invoice."))
        return super().onchange(values, field_names, fields_spec)

    def unlink(self):
        if self:
            raise UserError(self.env._("Credit holds are kept as the record of credit control."))
        return super().unlink()

    def _copy_refusal(self):
        return self.env._("Credit holds are made by credit control itself, never duplicated.")

    def _reason_for_reader(self, public=False):
        """The hold's reason for the current user: in full for whoever may see the customer's credit
        (the credit department, its salesperson), else — and always when ``public``, for a
        chatter note — only that the customer's credit does not cover the document."""
        self.ensure_one()
        hold = self.sudo()  # sudo: the reason and customer, shown as this method decides
        if not public and self.env["res.partner"].browse(hold.partner_id.id)._credit_visible_partners():
            return hold.reason
        return self.env._(
            "Credit hold: %(customer)s's credit does not cover this document; a credit manager decides.",
            customer=hold.partner_id.name,
        )

    def _approval_group_xmlid(self):
        return CREDIT_MANAGER

    def _approval_summary(self):
        document = (self.order_id or self.move_id).sudo()  # sudo: its name, whatever the rights
        return self.env._("Decide: credit hold on %(document)s", document=document.display_name)

    def _approval_note(self):
        return self.sudo().reason  # sudo: the credit managers (and deputies) read the reason in full

    def action_release(self, reason=None):
        """Release (信用冻结的解除): the order is confirmed, or the invoice posted, as it stands.
        Takes the reason of the release, recorded on the hold and in the credit event. Raises
        UserError without a reason, on a hold not pending or a document changed since it was held;
        AccessError for anyone but a credit manager or a deputy (the approval engine)."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the credit hold is released."))

        def unchanged(hold):
            if hold.move_id:
                hold._check_move_unchanged()
            else:
                hold._check_order_unchanged()
            return {"release_reason": reason}

        self._approval_decide("release", ("pending",), "released", values=unchanged)
        for hold in self:
            # sudo: the names only; credit managers may lack sales or accounting rights
            document = (hold.order_id or hold.move_id).sudo()
            # The event is read by the whole credit department: in the releasing manager's language,
            # the company's when none is set (a data import, the demo).
            text = hold.company_id._archive_for_reader(hold).env
            self.env["customer.credit.event"]._create_system_event(
                [
                    {
                        "partner_id": hold.partner_id.id,
                        "company_id": hold.company_id.id,
                        "event_type": "hold_release",
                        "amount": hold.order_amount,
                        "sale_order_id": hold.order_id.id,
                        "move_id": hold.move_id.id,
                        "source_document": document.display_name if hold.move_id else document.name,
                        "description": text._(
                            "Credit hold on invoice %(invoice)s released by %(user)s: %(reason)s",
                            invoice=document.display_name,
                            user=self.env.user.name,
                            reason=reason,
                        )
                        if hold.move_id
                        else text._(
                            "Credit hold on %(order)s released by %(user)s: %(reason)s",
                            order=document.name,
                            user=self.env.user.name,
                            reason=reason,
                        ),
                    }
                ]
            )
            if hold.move_id:
                hold.move_id.sudo()._credit_post_released(hold)  # sudo: managers may lack accounting rights
            else:
                hold.order_id.sudo()._credit_confirm_released(
                    hold
                )  # sudo: managers may not hold sales rights
        return True

    def _check_move_unchanged(self):
        """A release covers the invoice as it was held: a changed, posted or cancelled invoice (other
        customer, other amount) must be posted again, which checks it again."""
        self.ensure_one()
        move = self.move_id.sudo()  # sudo: compares amounts whatever the manager's accounting rights
        uncovered = move._credit_uncovered_amounts().get(move.id, 0.0)
        if (
            move.state != "draft"
            or move._credit_debtors().get(move.id) != self.partner_id
            or move.company_id.currency_id.compare_amounts(uncovered, self.order_amount)
        ):
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s changed since it was held: it must be posted again.",
                    invoice=move.display_name,
                )
            )

    def _check_order_unchanged(self):
        """A release covers the order as it was held: not a changed, cancelled or re-sent one."""
        self.ensure_one()
        order = self.order_id.sudo()  # sudo: compares amounts whatever the manager's sales rights
        company = order.company_id
        held_on = fields.Date.context_today(self, self.create_date) if self.create_date else None
        if order.state != "credit_hold" or company.currency_id.compare_amounts(
            order._credit_amount(on_date=held_on), self.order_amount
        ):
            raise UserError(
                self.env._(
                    "Order %(order)s changed since it was held: it must be confirmed again.", order=order.name
                )
            )

    def _end_with_document(self):
        """The held orders or invoices were cancelled: their pending holds end (state cancelled),
        with a note naming the document; the credit managers' decision activities go. Called by
        the document's cancellation, as the system."""
        pending = self.filtered(lambda hold: hold.state == "pending")
        pending._approval_advance({"state": "cancelled"})
        for hold in pending:
            document = (hold.order_id or hold.move_id).sudo()  # sudo: its name, whatever the rights
            note = hold.company_id._archive_for_reader(hold)
            hold.message_post(
                body=note.env._(
                    "%(document)s was cancelled by %(user)s: the hold ends.",
                    document=document.display_name,
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_open_release(self):
        """The release window: it shows what is released and asks why (``action_release``)."""
        return self._action_open_wizard(
            "customer.credit.hold.release.wizard", self.env._("Release"), "hold_id"
        )

    def action_refuse(self, reason):
        self._approval_reject(reason, from_states=("pending",), to_state="refused", decision="refuse")
        for hold in self:
            if hold.move_id:
                hold.move_id.sudo()._credit_hold_refused(hold, reason.strip())  # sudo: as above
                continue
            hold.order_id.sudo()._credit_back_to_quotation(reason.strip())  # sudo: as above
        return True
