from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .res_partner import NO_FIGURES

# Passed in the context by a credit manager's release; no RPC caller can send this object.
_RELEASED = object()


class SaleOrder(models.Model):
    _inherit = "sale.order"

    state = fields.Selection(
        selection_add=[("credit_hold", "Credit Hold")], ondelete={"credit_hold": "set default"}
    )
    credit_hold_ids = fields.One2many("customer.credit.hold", "order_id", string="Credit Holds", copy=False)
    credit_hold_reason = fields.Text(compute="_compute_credit_hold_reason")

    @api.depends("credit_hold_ids.state", "state")
    def _compute_credit_hold_reason(self):
        for order in self:
            pending = order.credit_hold_ids.filtered(lambda hold: hold.state == "pending")[:1]
            order.credit_hold_reason = pending.reason if order.state == "credit_hold" else False

    def write(self, vals):
        # A release covers the order as it was held: a held order is not edited.
        if {"order_line", "partner_id", "pricelist_id", "currency_id"}.intersection(vals) and any(
            order.state == "credit_hold" for order in self
        ):
            raise UserError(
                self.env._("An order on credit hold cannot be changed; wait for the credit manager.")
            )
        return super().write(vals)

    def action_confirm(self):
        if self.env.context.get("customer_credit_released") is _RELEASED:
            return super().action_confirm()
        held = self.browse()
        for order in self.filtered(lambda o: o.state in ("draft", "sent")):
            hold_values = order._credit_check()
            if hold_values:
                order._put_on_credit_hold(hold_values)
                held |= order
        if held == self:
            return True
        return super(SaleOrder, self - held).action_confirm()

    # ------------------------------------------------------------------ the check
    def _credit_check(self):
        """The values of the credit hold this order needs (its reason first), or None.
        Serialised per customer."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        company = self.company_id
        if not partner._credit_is_managed(company):
            return None
        # Two orders confirmed at the same moment for one customer: this UPDATE makes the second
        # wait for the first and then fail with a serialization error (Odoo retries it), so that it
        # sees the first order in the exposure and both cannot slip under the limit.
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET credit_check_count = COALESCE(credit_check_count, 0) + 1"
                " WHERE id = %s",
                partner.id,
            )
        )
        partner_c = partner.sudo().with_company(company)  # sudo: credit figures are needed whoever sells
        limit = partner_c.credit_limit
        exposure = partner_c._credit_exposure_figures(company, partner.ids).get(partner.id, NO_FIGURES).exposure
        amount = self.currency_id._convert(
            self.amount_untaxed, company.currency_id, company, fields.Date.today()
        )
        values = {"exposure": exposure, "credit_limit": limit, "order_amount": amount}
        grade = partner_c.credit_grade_id
        if partner_c.credit_on_hold:
            return dict(values, reason=self.env._("Customer %(name)s is on credit hold.", name=partner.name))
        if grade.sales_policy == "hold_always":
            return dict(
                values,
                reason=self.env._(
                    "Grade %(grade)s: every order waits for the credit manager.", grade=grade.display_name
                ),
            )
        if grade.sales_policy == "allow" or exposure + amount <= limit:
            return None
        return dict(
            values,
            reason=self.env._(
                "The order (%(amount)s) would take %(name)s's exposure from %(exposure)s "
                "over the credit limit of %(limit)s.",
                amount=company.currency_id.format(amount),
                name=partner.name,
                exposure=company.currency_id.format(exposure),
                limit=company.currency_id.format(limit),
            ),
        )

    def _put_on_credit_hold(self, hold_values):
        self.ensure_one()
        reason = hold_values["reason"]
        hold = (
            self.env["customer.credit.hold"]
            .sudo()  # sudo: salespeople cannot make holds
            ._workflow_create(  # sudo: salespeople cannot make holds
                [{"order_id": self.id, "requester_id": self.env.user.id, **hold_values}]
            )
        )
        self.write({"state": "credit_hold"})
        self.message_post(
            body=self.env._("Credit hold: %(reason)s", reason=reason),
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.user_id.partner_id.ids,
        )
        for manager in self.env["res.users"]._archive_group_members("customer_credit.group_credit_manager")[
            :5
        ]:
            hold.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=self.env._("Credit hold on %(order)s", order=self.name),
                note=reason,
            )
        return hold

    def _credit_confirm_released(self, hold):
        self.ensure_one()
        self.write({"state": "draft"})
        self.with_context(customer_credit_released=_RELEASED).action_confirm()
        hold.activity_unlink(["mail.mail_activity_data_todo"])

    def _credit_back_to_quotation(self, reason):
        self.ensure_one()
        self.write({"state": "draft"})
        self.message_post(
            body=self.env._("Credit hold refused: %(reason)s", reason=reason),
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.user_id.partner_id.ids,
        )
        self.credit_hold_ids.activity_unlink(["mail.mail_activity_data_todo"])
