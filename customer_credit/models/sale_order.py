"""Credit control of sales orders (信用授予规则, C8).

Core methods of ``sale`` overridden here (the checklist for the next Odoo upgrade):
``sale.order.create``, ``write``, ``action_confirm``, ``action_draft``, ``action_quotation_sent``,
``_action_cancel``, ``message_post`` (its ``mark_so_as_sent`` context); ``sale.order.line.create``
and ``write`` (sale_order_line.py).
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

CREDIT_MANAGER = "customer_credit.group_credit_manager"
# The states an order may be created in: the others are reached through the workflow methods.
CREATE_STATES = ("draft", "sent", "cancel")
# Stored figures the exposure and the credit check read: Odoo computes them; nobody writes them.
COMPUTED_FIGURES = frozenset(
    {"currency_rate", "amount_untaxed", "amount_tax", "amount_total", "amount_to_invoice", "amount_invoiced"}
)
LINE_COMPUTED_FIGURES = frozenset(
    {
        "price_subtotal",
        "price_total",
        "price_tax",
        "price_reduce_taxexcl",
        "price_reduce_taxinc",
        "untaxed_amount_to_invoice",
        "untaxed_amount_invoiced",
        "qty_invoiced",
    }
)
# Context keys whose value is an _OrderPass.
STATE_PASS = "customer_credit_state_change"  # a workflow method changes these orders' state
RELEASE_PASS = "customer_credit_released"  # a credit manager released these orders
GROWTH_PASS = "customer_credit_growth_checked"  # the order's own write checks their growth


def _refuse_computed_figures(records, vals, names):
    """Refuse (AccessError) a write of figures Odoo computes and credit control reads: a written
    rate or amount would take an order, or part of it, out of the exposure."""
    forced = names.intersection(vals)
    if forced and records and not records.env.su:
        raise AccessError(
            records.env._(
                "%(fields)s are computed by Odoo and cannot be written.",
                fields=", ".join(
                    sorted(records._fields[name]._description_string(records.env) for name in forced)
                ),
            )
        )


class _OrderPass:
    """A context value that only server code can make (no RPC caller can send an object): the
    orders a workflow method of this module lets through one rule, and no others."""

    __slots__ = ("order_ids",)

    def __init__(self, orders):
        self.order_ids = frozenset(orders.ids)


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "customer.credit.preview.mixin"]
    # A form's answer names only orders and lines its user reads (customer_archive's Base.onchange):
    # lines of another's order told its amounts, held or not.
    _onchange_values_checked = True

    state = fields.Selection(
        selection_add=[("credit_hold", "Credit Hold")], ondelete={"credit_hold": "set default"}
    )
    credit_hold_ids = fields.One2many("customer.credit.hold", "order_id", string="Credit Holds", copy=False)
    credit_hold_reason = fields.Text(compute="_compute_credit_hold_reason")

    @api.depends("credit_hold_ids.state", "state")
    def _compute_credit_hold_reason(self):
        for order in self:
            holds = order.sudo().credit_hold_ids  # sudo: the reason, in full only to credit readers
            pending = holds.filtered(lambda hold: hold.state == "pending")[:1]
            order.credit_hold_reason = (
                pending.with_env(self.env)._reason_for_reader() if order.state == "credit_hold" else False
            )

    # ------------------------------------------------------------------ state: workflow only
    def _credit_passed(self, key):
        """Whether the running workflow method let these orders through the rule of ``key``."""
        token = self.env.context.get(key)
        return isinstance(token, _OrderPass) and token.order_ids.issuperset(self.ids)

    def _credit_with_pass(self, key):
        return self.with_context(**{key: _OrderPass(self)})

    def _credit_state_write(self, vals):
        """Write ``vals`` (with ``state``) as the workflow does; the one door for state changes."""
        return self._credit_with_pass(STATE_PASS).write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        # No order is born confirmed or held: it gets there by action_confirm and its credit check.
        if not self.env.su:
            default_state = self.env.context.get("default_state", "draft")
            if any(vals.get("state", default_state) not in CREATE_STATES for vals in vals_list):
                raise AccessError(
                    self.env._("A sales order is created as a quotation; confirming it checks its credit.")
                )
        orders = super().create(vals_list)
        orders._credit_check_payer()
        return orders

    def write(self, vals):
        _refuse_computed_figures(self, vals, COMPUTED_FIGURES)
        # The date (hence the rate) and the company of a confirmed or held order are its
        # confirmation's: moving them would move its debt out of the exposure.
        if (
            {"date_order", "company_id"}.intersection(vals)
            and not self.env.su
            and not self._credit_passed(STATE_PASS)
            and any(order.state in ("sale", "credit_hold") for order in self)
        ):
            raise AccessError(
                self.env._("The date and company of a confirmed or held sales order are not changed.")
            )
        if "state" in vals and self and not self.env.su and not self._credit_passed(STATE_PASS):
            raise AccessError(
                self.env._(
                    "The status of a sales order changes only through its buttons "
                    "(confirm, cancel, send, set to quotation)."
                )
            )
        # A release covers the order as it was held: a held order is not edited.
        frozen = {
            "order_line",
            "partner_id",
            "partner_invoice_id",
            "pricelist_id",
            "currency_id",
            "payment_term_id",
        }
        if frozen.intersection(vals) and any(order.state == "credit_hold" for order in self):
            raise UserError(
                self.env._("An order on credit hold cannot be changed; wait for the credit manager.")
            )
        checked = self._credit_growth_candidates()
        before = checked._credit_snapshot()
        result = super(SaleOrder, self._credit_with_pass(GROWTH_PASS)).write(vals)
        checked._credit_check_growth(before)
        if {"partner_id", "partner_invoice_id"}.intersection(vals):
            self._credit_check_payer()
        return result

    def _compute_partner_credit_warning(self):
        # Odoo's warning (with its "Sales Credit Limit" setting) names the customer's limit and
        # total due, computed as superuser for whoever fills in the order: only for those who see
        # the customer's credit.
        result = super()._compute_partner_credit_warning()
        Partner = self.env["res.partner"]
        visible = Partner.browse(self.partner_id.commercial_partner_id.ids)._credit_visible_partners()
        for order in self:
            if order.partner_id.commercial_partner_id.id not in visible.ids:
                order.partner_credit_warning = ""
        return result

    def _credit_check_payer(self):
        """Refuse (UserError) orders of ``self`` invoiced outside the credit of the customer they
        are sold to, where credit control applies to that customer, unless a credit manager sets
        them (信用授予规则, C8): the debt of an order lies with its invoice address, so an invoice
        address of another, uncontrolled or roomier customer would take the order out of its
        customer's limit and hold. The customer's contacts, invoice addresses and the companies
        under its group credit (its debtor's) may be invoiced. Called after a create or a write of
        the customer or the invoice address; the system and credit managers pass. Returns None."""
        if self.env.su or not self or self.env.user.has_group(CREDIT_MANAGER):
            return
        Partner = self.env["res.partner"]
        for company, orders in self.grouped("company_id").items():
            orders = orders.filtered(lambda order: order.partner_id and order.partner_invoice_id)
            debtor_ids = (orders.partner_id | orders.partner_invoice_id)._credit_debtor(company)
            customer_of = {
                order: debtor_ids[order.partner_id.id]
                for order in orders
                if debtor_ids[order.partner_id.id] != debtor_ids[order.partner_invoice_id.id]
            }
            if not customer_of:
                continue
            customers = Partner.browse(set(customer_of.values())).sudo()  # sudo: controlled? whoever sells
            # Another salesperson's customer refuses alike, controlled or not: else the refusal
            # tells which of them are under credit control.
            managed = set(customers._credit_managed(company).ids) | set(customers._credit_unseen().ids)
            refused = self.browse([order.id for order, debtor in customer_of.items() if debtor in managed])
            if refused:
                raise UserError(
                    self.env._(
                        "%(orders)s: the invoice address is outside the credit of the customer. Invoice "
                        "the customer, one of its addresses or a company of its group; only a credit "
                        "manager invoices another customer.",
                        orders=", ".join(refused.mapped("display_name")),
                    )
                )

    def action_confirm(self):
        """Confirm the quotations of ``self`` that credit control lets through; put the others on
        credit hold (C8). Orders of one customer confirmed together are checked together: each one
        counts the ones before it. Returns True; raises UserError as Odoo does for orders that
        cannot be confirmed."""
        if self._credit_passed(RELEASE_PASS):
            return super(SaleOrder, self._credit_with_pass(STATE_PASS)).action_confirm()
        for order in self:
            error = order._confirmation_error_message()
            if error:
                raise UserError(error)
        held = self.browse()
        for order, hold_values in self._credit_confirmation_holds().items():
            order._put_on_credit_hold(hold_values)
            held |= order
        if held == self:
            return True
        return super(SaleOrder, (self - held)._credit_with_pass(STATE_PASS)).action_confirm()

    def action_draft(self):
        return super(SaleOrder, self._credit_with_pass(STATE_PASS)).action_draft()

    def action_quotation_sent(self):
        return super(SaleOrder, self._credit_with_pass(STATE_PASS)).action_quotation_sent()

    def _action_cancel(self):
        # sudo: salespeople read holds but do not decide them; cancelling the order ends its hold
        pending = self.sudo().credit_hold_ids.filtered(lambda hold: hold.state == "pending")
        result = super(SaleOrder, self._credit_with_pass(STATE_PASS))._action_cancel()
        pending._end_with_document()
        return result

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        # Sending a quotation by e-mail marks it as sent (sale's ``mark_so_as_sent``).
        if self.env.context.get("mark_so_as_sent"):
            drafts = self.filtered(lambda order: order.state == "draft")
            drafts.with_context(tracking_disable=True)._credit_state_write({"state": "sent"})
        return super().message_post(**kwargs)

    # ------------------------------------------------------------------ the check
    def _credit_amount(self, on_date=None):
        """What the order will cost its customer: tax included, in company currency at the order's
        rate (for an order not confirmed yet: the rate of ``on_date``, today by default), the
        quantity delivered counting where it passes the quantity ordered (as the exposure counts
        it): delivering more than was ordered makes the order grow."""
        self.ensure_one()
        company = self.company_id
        total = 0.0
        for line in self.order_line.filtered(lambda line: not line.display_type):
            amount = line.price_total
            if line.product_uom_qty > 0 and line.qty_delivered > line.product_uom_qty:
                amount = line.price_total * line.qty_delivered / line.product_uom_qty
            total += amount
        rate = self.currency_rate or 1.0
        if self.state in ("draft", "sent", "credit_hold"):
            # A quotation is confirmed at the rate of the day it is confirmed (``on_date``, today by
            # default), whatever date it shows now.
            rate = self.env["res.currency"]._get_conversion_rate(
                company.currency_id, self.currency_id, company, on_date or fields.Date.context_today(self)
            )
        return company.currency_id.round(total / (rate or 1.0))

    def _credit_term_days(self, payment_term=None):
        """The longest term in days from the order date of ``payment_term`` (by default the
        order's payment term); 0 without one."""
        self.ensure_one()
        payment_term = self.payment_term_id if payment_term is None else payment_term
        date_ref = fields.Date.to_date(self.date_order) or fields.Date.context_today(self)
        return max(
            ((line._get_due_date(date_ref) - date_ref).days for line in payment_term.line_ids),
            default=0,
        )

    def _credit_debtors(self):
        """{order id: debtor (res.partner)}: the customer whose limit controls each order, found
        from its invoice address."""
        debtors = {}
        Partner = self.env["res.partner"]
        for company, orders in self.grouped("company_id").items():
            invoice_partners = orders.partner_invoice_id | orders.partner_id
            debtor_ids = invoice_partners._credit_debtor(company)
            for order in orders:
                debtors[order.id] = Partner.browse(
                    debtor_ids[(order.partner_invoice_id or order.partner_id).id]
                )
        return debtors

    def _credit_reasons(self, debtor, exposure, amount, check_term=True, change=False):
        """Why ``amount`` (company currency) may not be added for this order to ``debtor``'s
        ``exposure`` without a credit manager, as translated sentences (empty when it may).
        The one statement of the rules for confirmations and for confirmed orders that grow:
        customer on hold, grade policy, credit limit, payment term longer than the granted term."""
        self.ensure_one()
        # Stored as the hold's reason: in the current language, the company's when the system checks.
        env = self.company_id._archive_for_reader(self).env
        currency = self.company_id.currency_id
        reasons = []
        block = debtor.with_company(self.company_id)._credit_block(exposure, amount)
        if block == "on_hold":
            reasons.append(env._("Customer %(name)s is on credit hold.", name=debtor.name))
        elif block == "grade":
            reasons.append(
                env._(
                    "Grade %(grade)s: every order waits for the credit manager.",
                    grade=debtor.credit_grade_id.with_env(env).display_name,
                )
            )
        elif block == "limit":
            values = {
                "amount": currency.format(amount),
                "name": debtor.name,
                "exposure": currency.format(exposure),
                "limit": currency.format(debtor.credit_limit),
            }
            if change:
                reasons.append(
                    env._(
                        "The change (+%(amount)s) would take %(name)s's exposure from %(exposure)s "
                        "over the credit limit of %(limit)s.",
                        **values,
                    )
                )
            else:
                reasons.append(
                    env._(
                        "The order (%(amount)s) would take %(name)s's exposure from %(exposure)s "
                        "over the credit limit of %(limit)s.",
                        **values,
                    )
                )
        term_days = self._credit_term_days() if check_term else 0
        if debtor.credit_term_days > 0 and term_days > debtor.credit_term_days:
            reasons.append(
                env._(
                    "The payment term (%(days)s days) is longer than the %(granted)s days of credit "
                    "granted to %(name)s.",
                    days=term_days,
                    granted=debtor.credit_term_days,
                    name=debtor.name,
                )
            )
        return reasons

    def _credit_confirmation_holds(self):
        """{order: values of its credit hold} for the quotations of ``self`` that must wait for a
        credit manager. Orders of one debtor are checked in turn, each counting the exposure of
        the ones let through before it."""
        quotations = self.filtered(lambda order: order.state in ("draft", "sent"))
        debtors = quotations._credit_debtors()
        terms = {}
        for company, orders in quotations.grouped("company_id").items():
            company_debtors = self.env["res.partner"].union(*(debtors[order.id] for order in orders))
            for debtor_id, term in company_debtors._credit_check_start(company).items():
                terms[company.id, debtor_id] = term
        added = defaultdict(float)
        holds = {}
        for order in quotations:
            key = (order.company_id.id, debtors[order.id].id)
            if key not in terms:
                continue
            debtor, exposure = terms[key]
            exposure += added[key]
            amount = order._credit_amount()
            reasons = order._credit_reasons(debtor, exposure, amount)
            if reasons:
                holds[order] = {
                    "reason": "\n".join(reasons),
                    "exposure": exposure,
                    "credit_limit": debtor.credit_limit,
                    "order_amount": amount,
                }
            else:
                added[key] += amount
        return holds

    # ------------------------------------------------------------------ growth of confirmed orders
    def _credit_growth_candidates(self):
        """The orders of ``self`` whose growth this call checks: confirmed or held ones, except
        those whose own write is running (it checks them once, after all its changes)."""
        token = self.env.context.get(GROWTH_PASS)
        done = token.order_ids if isinstance(token, _OrderPass) else frozenset()
        return self.filtered(lambda order: order.state in ("sale", "credit_hold") and order.id not in done)

    def _credit_snapshot(self):
        """{order id: (invoice address id, amount, payment term)} before a change."""
        return {
            order.id: (order.partner_invoice_id.id, order._credit_amount(), order.payment_term_id)
            for order in self
        }

    def _credit_check_growth(self, before):
        """Check confirmed orders after a change, given their ``_credit_snapshot`` from before it
        (C8: no path enlarges a debt past the available credit without a credit manager).

        A change that makes an order cost its debtor more (quantity, price, discount, taxes, new
        lines, currency, pricelist, another customer or invoice address) or lengthens its payment
        term is refused with the reason (UserError) when the debtor is on hold, its grade holds
        every order, its exposure after the change passes the limit, or the term passes the
        granted term. A credit manager may make it: it is noted in the order's chatter. Changes
        that do not enlarge the debt are never refused. A held order is not changed at all: its
        release covers it as it was held. Returns None.
        """
        orders = self.exists().filtered(lambda order: order.state in ("sale", "credit_hold"))
        changes = {}
        for order in orders:
            partner_before, amount_before, term_before = before[order.id]
            changes[order.id] = (
                order.partner_invoice_id.id != partner_before,
                order._credit_amount() - amount_before,
                order.payment_term_id != term_before
                and order._credit_term_days() - order._credit_term_days(term_before),
            )
        for order in orders.filtered(lambda order: order.state == "credit_hold"):
            moved, amount, term = changes[order.id]
            if (
                moved
                or order.payment_term_id != before[order.id][2]
                or not order.company_id.currency_id.is_zero(amount)
            ):
                raise UserError(
                    self.env._("An order on credit hold cannot be changed; wait for the credit manager.")
                )
        confirmed = orders.filtered(lambda order: order.state == "sale")
        moved = confirmed.filtered(lambda order: changes[order.id][0])
        if not confirmed or not (
            moved or any(amount > 0 or term > 0 for _m, amount, term in changes.values())
        ):
            return
        debtors = confirmed._credit_debtors()
        debtors_before = {}
        for company, company_orders in moved.grouped("company_id").items():
            partners_before = self.env["res.partner"].browse(
                [before[order.id][0] for order in company_orders]
            )
            debtor_ids = partners_before._credit_debtor(company)
            debtors_before.update({order.id: debtor_ids[before[order.id][0]] for order in company_orders})
        growth = {}
        for order in confirmed:
            _moved, amount, term = changes[order.id]
            new_debtor = debtors_before.get(order.id, debtors[order.id].id) != debtors[order.id].id
            if new_debtor:
                amount = order._credit_amount()
            currency = order.company_id.currency_id
            if currency.compare_amounts(amount, 0) > 0 or term > 0 or new_debtor:
                growth[order] = (max(amount, 0.0), term > 0 or new_debtor)
        refusals = {}
        for company, company_orders in self.browse().union(*growth).grouped("company_id").items():
            company_debtors = self.env["res.partner"].union(*(debtors[order.id] for order in company_orders))
            terms = company_debtors._credit_check_start(company)
            for order in company_orders:
                if debtors[order.id].id not in terms:
                    continue
                debtor, exposure = terms[debtors[order.id].id]
                amount, check_term = growth[order]
                # The exposure counts the change already: the reasons take it from before the change.
                reasons = order._credit_reasons(
                    debtor, exposure - amount, amount, check_term=check_term, change=True
                )
                if reasons and not order.partner_invoice_id._credit_visible_partners():
                    # The reasons name the figures of a customer whose credit the user may not see.
                    reasons = [
                        self.env._("%(customer)s's credit does not cover the change.", customer=debtor.name)
                    ]
                if reasons:
                    refusals[order] = reasons
        if not refusals:
            return
        if not self.env.user.has_group(CREDIT_MANAGER):
            raise UserError(
                "\n".join(
                    self.env._(
                        "%(order)s cannot grow without a credit manager: %(reasons)s",
                        order=order.name,
                        reasons=" ".join(reasons),
                    )
                    for order, reasons in refusals.items()
                )
            )
        for order in refusals:
            # The order's chatter is read by whoever reads the order (sales staff of every
            # customer, the accounting): it tells the decision, not the customer's figures.
            note = order.company_id._archive_for_reader(order)
            order.sudo().message_post(  # sudo: the note records the manager's decision, whatever their rights
                body=note.env._(
                    "Enlarged past the available credit by %(user)s (credit manager).",
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------ holds
    def _put_on_credit_hold(self, hold_values):
        self.ensure_one()
        hold = (
            self.env["customer.credit.hold"]
            .sudo()  # sudo: salespeople cannot make holds
            ._workflow_create([{"order_id": self.id, "requester_id": self.env.user.id, **hold_values}])
        )
        self._credit_state_write({"state": "credit_hold"})
        self.message_post(
            body=self.company_id._archive_for_reader(hold, self.user_id)._reason_for_reader(public=True),
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.user_id.partner_id.ids,
        )
        hold._approval_ask()
        return hold

    def _credit_confirm_released(self, hold):
        self.ensure_one()
        self._credit_state_write({"state": "draft"})
        self._credit_with_pass(RELEASE_PASS).action_confirm()

    def _credit_back_to_quotation(self, reason):
        self.ensure_one()
        self._credit_state_write({"state": "draft"})
        note = self.company_id._archive_for_reader(self, self.user_id)
        self.message_post(
            body=note.env._("Credit hold refused: %(reason)s", reason=reason),
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.user_id.partner_id.ids,
        )

    # ------------------------------------------------------------------ credit on the order (C6)
    # The fields are the preview mixin's; the order names the figures in its terms.
    credit_exposure = fields.Monetary(
        string="Exposure with This Order",
        help="The customer's exposure once this order is confirmed (a confirmed order counts already), "
        "company currency, tax included.",
    )
    credit_available = fields.Monetary(string="Available after This Order")
    credit_would_hold = fields.Boolean(
        search="_search_credit_would_hold",
        help="Confirming this quotation now would put it on credit hold.",
    )

    @api.depends_context("company", "uid")
    @api.depends(
        "state",
        "company_id",
        "partner_id",
        "partner_invoice_id",
        "currency_id",
        "payment_term_id",
        "date_order",
        "order_line.price_total",
        "order_line.qty_delivered",
        "order_line.product_uom_qty",
    )
    def _compute_credit_preview(self):
        """The credit figures and the confirmation's verdict, by the confirmation's own rules
        (``_credit_reasons``, hence ``res.partner._credit_block``), read-only."""
        for company, orders in self.grouped("company_id").items():
            partners = (orders.partner_invoice_id | orders.partner_id)._origin
            previews = partners._credit_previews(company) if company else {}
            today = fields.Date.context_today(self)
            for order in orders:
                partner = (order.partner_invoice_id or order.partner_id)._origin
                preview = previews.get(partner.id)
                order.credit_currency_id = company.currency_id
                values = {
                    "credit_debtor_id": False,
                    "credit_grade_id": False,
                    "credit_limit": 0.0,
                    "credit_exposure": 0.0,
                    "credit_available": 0.0,
                    "credit_overdue_amount": 0.0,
                    "credit_overdue_days": 0,
                    "credit_shown": False,
                    "credit_would_hold": False,
                    "credit_would_hold_reason": False,
                }
                if preview:
                    debtor, figures = preview.debtor, preview.figures
                    # A confirmed order counts in the exposure already; a quotation or a held order
                    # does not yet.
                    amount = (
                        order._credit_amount() if order.state in ("draft", "sent", "credit_hold") else 0.0
                    )
                    exposure = figures.exposure + amount
                    limit = debtor.credit_limit
                    reasons = []
                    # The verdict follows the figures: for a customer whose credit the user may not
                    # see, a verdict changing with the amount would tell its available credit.
                    if preview.visible and preview.managed and order.state in ("draft", "sent"):
                        reasons = order._credit_reasons(debtor, figures.exposure, amount)
                    if preview.visible:
                        values.update(
                            credit_debtor_id=debtor.id,
                            credit_grade_id=debtor.credit_grade_id.id,
                            credit_limit=limit,
                            credit_exposure=exposure,
                            credit_available=limit - exposure if limit else 0.0,
                            credit_overdue_amount=figures.overdue_amount,
                            credit_overdue_days=(today - figures.oldest_due).days
                            if figures.oldest_due
                            else 0,
                            credit_shown=True,
                        )
                    if reasons:
                        values["credit_would_hold"] = True
                        values["credit_would_hold_reason"] = "\n".join(reasons)
                order.update(values)

    def _search_credit_would_hold(self, operator, value):
        """Quotations whose confirmation now would put them on credit hold, as one SQL subquery
        (``_credit_would_hold_sql``): the open quotations (draft or sent) of the user's companies
        only, never confirmed orders."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the credit verdict of orders."))
        held = SQL(" UNION ALL ").join(
            SQL("(%s)", self._credit_would_hold_sql(company)) for company in self.env.companies
        )
        return [("id", "in" if (operator == "=") == value else "not in", SQL("(%s)", held))]

    @api.model
    def _credit_would_hold_sql(self, company):
        """One statement selecting the ids of the open quotations (draft or sent) of ``company``
        that would wait for a credit manager if confirmed now.

        The rule of the confirmation, said in SQL for searches, for the quotations whose customer's
        credit the user may see (``res.partner._credit_visible_sql``, as the form's verdict): the
        quotation's debtor is under
        credit control (``res.partner._credit_managed``) and ``_credit_reasons`` finds a reason:
        ``res.partner._credit_block`` (a positive amount and the debtor on hold, or its grade holds
        every order, or the exposure with the quotation passes the limit) or a payment term longer
        than the granted one (``_credit_term_days``); the amount is ``_credit_amount`` at today's
        rate. The tests check it against the form's verdict (``credit_would_hold``).
        """
        Partner = self.env["res.partner"]
        Partner._credit_flush()
        for model in ("customer.credit.evaluation", "account.payment.term.line", "res.currency.rate"):
            self.env[model].flush_model()
        today = fields.Date.context_today(self)
        currency = company.currency_id
        # The quotations' currencies per company unit today (``_credit_amount``): a few currencies,
        # their rates read once by Odoo's own rule.
        currencies = currency.union(
            *(
                used
                for (used,) in self.sudo()._read_group(  # sudo: the currencies of quotations only
                    [("state", "in", ("draft", "sent")), ("company_id", "=", company.id)], ["currency_id"]
                )
            )
        )
        rates = currencies._get_rates(company, today)
        factors = [
            SQL("(%s, %s::numeric)", currency_id, rate / (rates.get(currency.id) or 1.0))
            for currency_id, rate in rates.items()
        ]
        # sudo: limits, holds and terms decide the verdict, whoever reads the quotation
        debtor = Partner.sudo().with_company(company)  # sudo: see above
        on_hold = SQL("COALESCE(%s, FALSE)", debtor._field_to_sql("d", "credit_on_hold"))
        limit = SQL("COALESCE(%s, 0)::numeric", debtor._field_to_sql("d", "credit_limit"))
        granted_term = SQL("COALESCE(%s, 0)", debtor._field_to_sql("d", "credit_term_days"))
        managed = SQL(
            "(%s OR %s OR EXISTS (SELECT 1 FROM customer_credit_limit_history h"
            " WHERE h.partner_id = d.id AND h.company_id = %s))",
            company.credit_enforce_all,
            on_hold,
            company.id,
        )
        quotations = SQL(
            "SELECT COALESCE(partner_invoice_id, partner_id) FROM sale_order"
            " WHERE state IN ('draft', 'sent') AND company_id = %s",
            company.id,
        )
        digits = currency.decimal_places
        return Partner._credit_figures_sql(
            company,
            asked=Partner._credit_debtor_sql(company, quotations),
            select=SQL(
                """
                SELECT o.id
                  FROM sale_order o
                  JOIN asked a ON a.id = COALESCE(o.partner_invoice_id, o.partner_id)
                  JOIN res_partner p ON p.id = a.id
                  JOIN res_partner d ON d.id = a.debtor_id
                  LEFT JOIN figures f ON f.debtor_id = a.debtor_id
                  LEFT JOIN (VALUES %(factors)s) r (currency_id, factor) ON r.currency_id = o.currency_id
                  -- the grade of the debtor's evaluation in force
                  LEFT JOIN LATERAL (
                      SELECT g.sales_policy
                        FROM customer_credit_evaluation e
                        JOIN customer_credit_grade g ON g.id = e.grade_id
                       WHERE e.partner_id = d.id AND e.state = 'approved' AND e.company_id = %(company)s
                       ORDER BY e.id DESC
                       LIMIT 1
                  ) grade ON TRUE
                  -- what the quotation costs, tax included, in company currency at today's rate
                  CROSS JOIN LATERAL (
                      SELECT ROUND(COALESCE(SUM(
                                 CASE WHEN l.product_uom_qty > 0 AND l.qty_delivered > l.product_uom_qty
                                      THEN l.price_total * l.qty_delivered / l.product_uom_qty
                                      ELSE COALESCE(l.price_total, 0)
                                 END), 0) / COALESCE(NULLIF(r.factor, 0), 1), %(digits)s) AS amount
                        FROM sale_order_line l
                       WHERE l.order_id = o.id AND l.display_type IS NULL
                  ) cost
                  -- the longest term of its payment term, in days from the order date
                  CROSS JOIN LATERAL (
                      SELECT COALESCE(MAX(%(term_days)s), 0) AS days
                        FROM account_payment_term_line tl
                        CROSS JOIN LATERAL (
                            SELECT COALESCE(o.date_order::date, %(today)s) AS ref,
                                   CASE WHEN tl.days_next_month ~ '^[0-9]+$' THEN tl.days_next_month::int
                                        ELSE 1 END AS next_month_day
                        ) t
                       WHERE tl.payment_id = o.payment_term_id
                  ) term
                 WHERE o.state IN ('draft', 'sent')
                   AND o.company_id = %(company)s
                   AND %(managed)s
                   AND %(visible)s
                   AND (
                       (cost.amount > 0
                        AND (%(on_hold)s
                             OR grade.sales_policy = 'hold_always'
                             OR (grade.sales_policy IS DISTINCT FROM 'allow'
                                 AND ROUND(COALESCE(f.exposure, 0) + cost.amount, %(digits)s)
                                     > ROUND(%(limit)s, %(digits)s))))
                       OR (%(granted_term)s > 0 AND term.days > %(granted_term)s)
                   )
                """,
                factors=SQL(", ").join(factors),
                company=company.id,
                digits=digits,
                term_days=self._credit_term_days_sql(SQL("tl"), SQL("t.ref"), SQL("t.next_month_day")),
                today=today,
                managed=managed,
                visible=Partner._credit_visible_sql("p"),
                on_hold=on_hold,
                limit=limit,
                granted_term=granted_term,
            ),
        )

    @api.model
    def _credit_term_days_sql(self, line, ref, next_month_day):
        """SQL of the days from ``ref`` (a date) to the due date of the payment term line ``line``
        (alias), Odoo's ``account.payment.term.line._get_due_date`` said in SQL; ``next_month_day``
        is the line's day of the next month as a number (1 when it is not one, as Odoo reads it)."""

        def end_of_month(date):
            return SQL("(date_trunc('month', %s) + interval '1 month - 1 day')::date", date)

        nb_days = SQL("%s.nb_days", line)
        after_days = SQL("(%s + %s)", ref, nb_days)
        next_month = SQL("(%s + %s + interval '1 month')", ref, nb_days)
        return SQL(
            """
            CASE %(line)s.delay_type
                WHEN 'days_after_end_of_month' THEN %(end_of_month)s + %(nb_days)s - %(ref)s
                WHEN 'days_after_end_of_next_month' THEN %(end_of_next_month)s + %(nb_days)s - %(ref)s
                WHEN 'days_end_of_month_on_the' THEN
                    CASE WHEN %(day)s = 0 THEN %(end_of_after_days)s - %(ref)s
                         ELSE LEAST(date_trunc('month', %(next_month)s)::date + (%(day)s - 1),
                                    %(end_of_next_month_after_days)s) - %(ref)s
                    END
                ELSE %(nb_days)s
            END
            """,
            line=line,
            ref=ref,
            day=next_month_day,
            nb_days=nb_days,
            next_month=next_month,
            end_of_month=end_of_month(ref),
            end_of_next_month=end_of_month(SQL("(%s + interval '1 month')", ref)),
            end_of_after_days=end_of_month(after_days),
            end_of_next_month_after_days=end_of_month(next_month),
        )
