from odoo import api, fields, models
from odoo.addons.customer_archive.models.customer_archive_approval_mixin import APPROVAL_FIELDS
from odoo.exceptions import UserError

CREDIT_MANAGER = "customer_credit.group_credit_manager"


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
    # What was held and why is evidence: only the workflow writes it (credit officers may write holds
    # to decide them under a delegation).
    _workflow_fields = APPROVAL_FIELDS | {
        "order_id",
        "move_id",
        "reason",
        "order_amount",
        "exposure",
        "credit_limit",
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

    def action_release(self):
        """Release: the order is confirmed, or the invoice posted, as it stands; recorded as a
        credit event."""

        def unchanged(hold):
            if hold.move_id:
                hold._check_move_unchanged()
            else:
                hold._check_order_unchanged()
            return {}

        self._approval_decide("release", ("pending",), "released", values=unchanged)
        for hold in self:
            # sudo: the names only; credit managers may lack sales or accounting rights
            document = (hold.order_id or hold.move_id).sudo()
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
                        "description": self.env._(
                            "Credit hold on invoice %(invoice)s released by %(user)s: %(reason)s",
                            invoice=document.display_name,
                            user=self.env.user.name,
                            reason=hold.reason,
                        )
                        if hold.move_id
                        else self.env._(
                            "Credit hold on %(order)s released by %(user)s: %(reason)s",
                            order=document.name,
                            user=self.env.user.name,
                            reason=hold.reason,
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

    def action_refuse(self, reason):
        self._approval_reject(reason, from_states=("pending",), to_state="refused", decision="refuse")
        for hold in self:
            if hold.move_id:
                hold.move_id.sudo()._credit_hold_refused(hold, reason.strip())  # sudo: as above
                continue
            hold.order_id.sudo()._credit_back_to_quotation(reason.strip())  # sudo: as above
        return True
