from odoo import api, fields, models
from odoo.addons.customer_archive.models.customer_archive_approval_mixin import APPROVAL_FIELDS
from odoo.exceptions import UserError


class CustomerCreditHold(models.Model):
    """A sales order stopped by credit control (信用冻结), waiting for a credit manager."""

    _name = "customer.credit.hold"
    _description = "Credit Hold"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "customer.archive.approval.mixin",
        "customer.archive.workflow.mixin",
    ]
    _order = "create_date desc, id desc"
    _workflow_fields = APPROVAL_FIELDS

    order_id = fields.Many2one("sale.order", required=True, index=True, readonly=True)
    partner_id = fields.Many2one(
        related="order_id.partner_id.commercial_partner_id", store=True, string="Customer"
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    reason = fields.Text(required=True, readonly=True)
    order_amount = fields.Monetary(currency_field="currency_id", readonly=True)
    exposure = fields.Monetary(
        currency_field="currency_id", readonly=True, help="Exposure before this order."
    )
    credit_limit = fields.Monetary(currency_field="currency_id", readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("released", "Released"), ("refused", "Refused")],
        required=True,
        default="pending",
        readonly=True,
        tracking=True,
    )

    @api.depends("order_id.name", "partner_id.name")
    def _compute_display_name(self):
        for hold in self:
            order = hold.sudo().order_id  # sudo: the name only; credit managers lack sales rights
            hold.display_name = self.env._(
                "Credit hold on %(order)s (%(customer)s)",
                order=order.name or "",
                customer=order.partner_id.commercial_partner_id.name or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._in_workflow():
            raise UserError(self.env._("Credit holds are made by confirming an order."))
        return super().create(vals_list)

    def write(self, vals):
        self._check_workflow_fields(vals)
        return super().write(vals)

    def unlink(self):
        if self:
            raise UserError(self.env._("Credit holds are kept as the record of credit control."))
        return super().unlink()

    def _approval_group_xmlid(self):
        return "customer_credit.group_credit_manager"

    def action_release(self):
        """Release: the order is confirmed as it stands; recorded as a credit event."""
        for hold in self:
            if hold.state != "pending":
                raise UserError(self.env._("This credit hold is already decided."))
            hold._check_order_unchanged()
            values = hold._approval_values()
            hold._workflow_write(dict(values, state="released"))
            hold._post_decision(self.env._("Released"))
            self.env["customer.credit.event"].sudo().create(  # sudo: the release is the manager's decision
                {
                    "partner_id": hold.partner_id.id,
                    "company_id": hold.company_id.id,
                    "event_type": "hold_release",
                    "amount": hold.order_amount,
                    "sale_order_id": hold.order_id.id,
                    "source_document": hold.order_id.name,
                    "description": self.env._(
                        "Credit hold on %(order)s released by %(user)s: %(reason)s",
                        order=hold.order_id.name,
                        user=self.env.user.name,
                        reason=hold.reason,
                    ),
                }
            )
            hold.order_id.sudo()._credit_confirm_released(hold)  # sudo: managers may not hold sales rights
        return True

    def _check_order_unchanged(self):
        """A release covers the order as it was held: not a changed, cancelled or re-sent one."""
        self.ensure_one()
        order = self.order_id.sudo()  # sudo: compares amounts whatever the manager's sales rights
        company = order.company_id
        amount = order.currency_id._convert(
            order.amount_untaxed, company.currency_id, company, fields.Date.today()
        )
        if order.state != "credit_hold" or company.currency_id.compare_amounts(amount, self.order_amount):
            raise UserError(
                self.env._(
                    "Order %(order)s changed since it was held: it must be confirmed again.", order=order.name
                )
            )

    def action_open_refuse(self):
        return self._action_open_wizard("customer.credit.hold.refuse.wizard", self.env._("Refuse"), "hold_id")

    def action_refuse(self, reason):
        self._decide_rejection(reason, from_state="pending", to_state="refused")
        for hold in self:
            hold.order_id.sudo()._credit_back_to_quotation(reason.strip())  # sudo: as above
        return True
