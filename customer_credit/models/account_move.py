"""Customer invoices are checked against the customer's available credit when posted (风险控制, C8).

Core methods of account.move overridden here (the checklist for the next Odoo upgrade):
``_post`` (the one path of every posting: the Confirm button, the auto-posting cron, payments and
sales flows), ``action_post`` (tells the user which invoices wait), ``write`` (no raw write of the
posted state), ``button_cancel`` (a cancelled invoice ends its pending hold).
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.sql import create_index

# Customer documents that create a debt: invoices and sales receipts (credit notes never do).
DEBT_MOVE_TYPES = ("out_invoice", "out_receipt")
# Set by ``_post`` around Odoo's own posting: the only writer of the posted state of an invoice.
_POSTING = object()


class _Released:
    """The invoices a credit manager released, passed in the context of their posting; no RPC
    caller can send this object."""

    __slots__ = ("ids",)

    def __init__(self, ids):
        self.ids = frozenset(ids)


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "customer.credit.preview.mixin"]
    # Guarded in forms as the addons' records (customer_archive's Base.onchange): any form naming
    # another's invoice (Odoo's sending wizard) told its customer and amount.
    _onchange_values_checked = True

    credit_hold_ids = fields.One2many("customer.credit.hold", "move_id", string="Credit Holds", copy=False)
    credit_hold_reason = fields.Text(compute="_compute_credit_hold")
    credit_hold_count = fields.Integer(compute="_compute_credit_hold")

    def init(self):
        # The exposure reads the draft customer invoices of the partners asked about (from one to
        # thousands): few rows in a small index, where Odoo's partner index holds every move
        # (5,000 probes: 10 ms through the partner index, under 4 ms here). Its condition is the one of
        # res.partner._credit_figures_sql, which the planner must find implied.
        create_index(
            self.env.cr,
            "customer_credit_draft_invoice_partner_idx",
            self._table,
            ["partner_id"],
            where="state = 'draft' AND move_type IN ('out_invoice', 'out_receipt')",
        )
        return super().init()

    @api.depends("state", "credit_hold_ids.state", "credit_hold_ids.reason")
    def _compute_credit_hold(self):
        ids = [move_id for move_id in self._origin.ids if move_id]
        # sudo: whoever sees the invoice sees why it waits; the holds keep their own access rules
        holds = self.env["customer.credit.hold"].sudo().search([("move_id", "in", ids)])
        counts, reasons = defaultdict(int), {}
        for hold in holds:
            counts[hold.move_id.id] += 1
            if hold.state == "pending":
                reasons.setdefault(hold.move_id.id, hold.with_env(self.env)._reason_for_reader())
        for move in self:
            move.credit_hold_count = counts[move._origin.id]
            move.credit_hold_reason = reasons.get(move._origin.id, False) if move.state == "draft" else False

    # ------------------------------------------------------------------ posting
    def _compute_partner_credit(self):
        # Odoo's partner credit of an invoice is the customer's Total Receivable, which only
        # accounting reads (its groups), computed for whoever fills in a form (onchange).
        result = super()._compute_partner_credit()
        groups = self.env["res.partner"]._fields["credit"].groups
        if not self.env.su and groups and not self.env.user.has_groups(groups):
            for move in self:
                move.partner_credit = 0.0
        return result

    def write(self, vals):
        # An invoice becomes posted only through ``_post``, which checks the customer's credit.
        if (
            vals.get("state") == "posted"
            and not self.env.su
            and self.env.context.get("customer_credit_posting") is not _POSTING
            and any(move.move_type in DEBT_MOVE_TYPES and move.state != "posted" for move in self)
        ):
            raise UserError(
                self.env._(
                    "Customer invoices are posted with their Confirm button, which checks the "
                    "customer's credit."
                )
            )
        return super().write(vals)

    def _post(self, soft=True):
        """Post the documents, except the customer invoices that must wait for a credit manager.

        Takes the documents and Odoo's ``soft`` flag; returns the documents posted, as Odoo does
        (those held stay draft with a pending credit hold, like future ones left to auto-posting).
        Implements 风险控制 (C8): no invoice creates a debt past the available credit, or for a
        customer on hold, without a credit manager's release.
        """
        held = self._credit_hold_on_posting(soft)
        to_post = (self - held).with_context(customer_credit_posting=_POSTING)
        return super(AccountMove, to_post)._post(soft).with_env(self.env)

    def action_post(self):
        """Post the documents (Odoo's Confirm button). Returns Odoo's result, or a notification
        naming the invoices that wait for a credit manager and why."""
        result = super().action_post()
        holds = (
            self.env["customer.credit.hold"]
            .sudo()  # sudo: the user learns why the invoices they posted wait
            .search([("move_id", "in", self.ids), ("state", "=", "pending")])
        )
        if result or not holds:
            return result
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Waiting for a credit manager"),
                "message": "\n".join(
                    self.env._(
                        "%(invoice)s is not posted: %(reason)s",
                        invoice=hold.move_id.display_name,
                        reason=hold.with_env(self.env)._reason_for_reader(),
                    )
                    for hold in holds
                ),
                "type": "warning",
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _credit_hold_on_posting(self, soft=True):
        """Check the customer invoices of ``self`` about to be posted, put those that must wait on
        credit hold, and return them. Invoices a credit manager released are not checked; those
        Odoo leaves to auto-posting (dated in the future, ``soft``) are checked when posted."""
        released = self.env.context.get("customer_credit_released")
        released_ids = released.ids if isinstance(released, _Released) else frozenset()
        today = fields.Date.context_today(self)
        invoices = self.filtered(
            lambda move: move.move_type in DEBT_MOVE_TYPES
            and move.state == "draft"
            and move.id not in released_ids
            and not (soft and move.date and move.date > today)
        )
        # Odoo's own totals first, from the lines' balances: an amount written over them is not
        # believed. (The lines' own totals are left as Odoo set them: down payments round them.)
        if invoices:
            invoices._compute_amount()
        held = self.browse()
        for move, values in invoices._credit_check_posting().items():
            move._credit_put_on_hold(values)
            held |= move
        return held

    # ------------------------------------------------------------------ the check
    def _credit_check_posting(self):
        """The one check of customer invoices being posted against their debtors' credit (C8).

        Takes draft customer invoices; returns {invoice: values of its credit hold} for those that
        must wait for a credit manager (``reason``, ``exposure`` before the invoice, ``credit_limit``,
        ``order_amount`` = the part of the invoice no confirmed order covers, company currency, tax
        included). Only managed debtors are checked. The invoices of one debtor are checked together,
        each against the exposure including those before it; an invoice that already waits (a
        pending hold) keeps waiting, its hold gets the current figures. Serialised per debtor.
        """
        result = {}
        for company, invoices in self.grouped("company_id").items():
            result.update(invoices._credit_check_company(company))
        # An invoice that waits keeps waiting even where the check no longer applies (its customer
        # changed to one not managed): only a decision on its hold ends it.
        waiting = (
            self.env["customer.credit.hold"]
            .sudo()  # sudo: which invoices already wait, whoever posts
            .search([("move_id", "in", self.ids), ("state", "=", "pending")])
            .move_id
        )
        for move in self.browse(waiting.ids):
            result.setdefault(move, {"reason": None})
        return result

    def _credit_debtors(self):
        """{invoice id: debtor (res.partner)}: the customer whose limit controls each invoice, found
        from its commercial partner (group credit included)."""
        debtors = {}
        Partner = self.env["res.partner"]
        for company, moves in self.grouped("company_id").items():
            debtor_ids = moves.commercial_partner_id._credit_debtor(company)
            for move in moves:
                debtors[move.id] = Partner.browse(debtor_ids.get(move.commercial_partner_id.id))
        return debtors

    def _credit_check_company(self, company):
        Partner = self.env["res.partner"].sudo()  # sudo: credit figures are needed whoever invoices
        # sudo: the debtor of each invoice (group credit reads parents' decisions), whoever invoices
        debtor_of = {move_id: debtor.id for move_id, debtor in self.sudo()._credit_debtors().items()}
        checked = Partner.browse(set(debtor_of.values()))._credit_check_start(company)
        if not checked:
            return {}
        debtors = Partner.browse(list(checked)).with_company(company)
        invoices = self.filtered(lambda move: debtor_of[move.id] in debtors.ids)
        amounts = invoices._credit_document_amounts(company, debtors.ids)
        uncovered = {move_id: values[0] for move_id, values in amounts.items()}
        as_draft = {move_id: values[1] for move_id, values in amounts.items()}
        pending = {
            hold.move_id.id
            for hold in self.env["customer.credit.hold"]
            .sudo()  # sudo: which invoices already wait, whoever posts
            .search([("move_id", "in", invoices.ids), ("state", "=", "pending")])
        }
        # The exposure counts the drafts being posted as drafts: start without them, then add each
        # invoice as it will count after this check (posted: its uncovered part; held: as a draft).
        running = {debtor_id: exposure for debtor_id, (_debtor, exposure) in checked.items()}
        for move in invoices:
            running[debtor_of[move.id]] -= as_draft[move.id]
        currency = company.currency_id
        result = {}
        for move in invoices.sorted("id"):
            debtor = debtors.browse(debtor_of[move.id])
            amount, exposure, limit = uncovered[move.id], running[debtor.id], debtor.credit_limit
            reason = move._credit_hold_reason(debtor, amount, exposure, limit)
            if reason or move.id in pending:
                result[move] = {
                    "reason": reason,
                    "exposure": exposure,
                    "credit_limit": limit,
                    "order_amount": amount,
                }
                running[debtor.id] += as_draft[move.id]
            else:
                running[debtor.id] += amount
            running[debtor.id] = currency.round(running[debtor.id])
        return result

    def _credit_hold_reason(self, debtor, amount, exposure, limit):
        """Why this invoice must wait, or None: its uncovered ``amount`` for a debtor on hold, of a
        grade whose every document waits, or past the debtor's ``limit`` from ``exposure``."""
        self.ensure_one()
        # Stored as the hold's reason: in the current language, the company's when the system checks.
        env = self.company_id._archive_for_reader(self).env
        currency = self.company_id.currency_id
        block = debtor.with_company(self.company_id)._credit_block(exposure, amount)
        if not block:
            return None
        if block == "on_hold":
            return env._("Customer %(name)s is on credit hold.", name=debtor.name)
        if block == "grade":
            return env._(
                "Grade %(grade)s: every invoice not covered by an order waits for the credit manager.",
                grade=debtor.credit_grade_id.with_env(env).display_name,
            )
        return env._(
            "The invoice (%(amount)s not covered by an order) would take %(name)s's exposure from "
            "%(exposure)s over the credit limit of %(limit)s.",
            amount=currency.format(amount),
            name=debtor.name,
            exposure=currency.format(exposure),
            limit=currency.format(limit),
        )

    def _credit_total(self):
        """The invoice's total in company currency, tax included; a foreign invoice at the
        company's rate of its date, whatever rate was written on it."""
        self.ensure_one()
        company = self.company_id
        if self.currency_id == company.currency_id:
            return abs(self.amount_total_signed)
        return self.currency_id._convert(
            abs(self.amount_total),
            company.currency_id,
            company,
            self.invoice_date or fields.Date.context_today(self),
        )

    def _credit_uncovered_amounts(self):
        """{invoice id: the part of its total no confirmed order covers} (see
        ``_credit_document_amounts``), company currency, tax included."""
        result = {}
        for company, moves in self.grouped("company_id").items():
            # sudo: the debtor of each invoice (group credit reads parents' decisions), whoever asks
            debtor_ids = {debtor.id for debtor in moves.sudo()._credit_debtors().values()}
            amounts = moves._credit_document_amounts(company, debtor_ids)
            result.update({move_id: uncovered for move_id, (uncovered, _draft) in amounts.items()})
        return result

    def _credit_document_amounts(self, company, debtor_ids):
        """{invoice id: (amount not covered by a confirmed order, amount the exposure counts for it
        while draft)}, company currency, tax included, by the exposure's own rules
        (``res.partner._credit_document_amounts``).

        An order's credit check covered what it still has to invoice: an invoice made from orders is
        covered up to what those orders still had to invoice (net of posted down payments) for the
        lines it invoices; a down-payment invoice by the rest of its whole order. An invoice not
        made from an order is not covered at all."""
        covering = {}
        for move in self:
            lines = move.sudo().invoice_line_ids  # sudo: reads the orders whatever the user's sales rights
            order_lines = lines.sale_line_ids
            invoiced = lines.filtered(lambda line: line.quantity > 0).sale_line_ids
            order_lines |= invoiced.filtered("is_downpayment").order_id.order_line
            covering[move.id] = order_lines.ids
        drafts, line_amounts = self.env["res.partner"]._credit_document_amounts(
            company, debtor_ids, self.ids, {line_id for ids in covering.values() for line_id in ids}
        )
        currency = company.currency_id
        # What each order still has to invoice covers the invoices in turn: two invoices of one
        # order line posted together do not both draw on it.
        left = defaultdict(float)
        rates = {}
        for order_id, rate, amount in line_amounts.values():
            left[order_id] += amount
            rates[order_id] = rate or 1.0
        result = {}
        for move in self.sorted("id"):
            by_order = defaultdict(float)
            for line_id in covering[move.id]:
                if line_id in line_amounts:
                    order_id, _rate, amount = line_amounts[line_id]
                    by_order[order_id] += amount
            covered = 0.0
            for order_id, claimed in by_order.items():
                drawn = min(max(claimed, 0.0), max(left[order_id], 0.0))
                left[order_id] -= drawn
                covered += drawn / rates[order_id]
            uncovered = max(currency.round(move._credit_total() - covered), 0.0)
            result[move.id] = (uncovered, drafts.get(move.id, 0.0))
        return result

    # ------------------------------------------------------------------ hold life cycle
    def _credit_put_on_hold(self, values):
        """Record that this invoice waits for a credit manager: a pending hold (one per invoice; a
        new attempt updates its figures), activities for the credit managers, a note on the
        invoice for its salesperson."""
        self.ensure_one()
        Hold = self.env["customer.credit.hold"].sudo()  # sudo: invoicing users cannot make holds
        hold = Hold.search([("move_id", "=", self.id), ("state", "=", "pending")], limit=1)
        values = dict(values, reason=values["reason"] or hold.reason)
        if hold and "order_amount" not in values:
            return hold
        if hold:
            currency = hold.currency_id
            if not currency.compare_amounts(hold.order_amount, values["order_amount"]) and (
                hold.reason == values["reason"]
            ):
                return hold
            hold._workflow_write(values)
            note = self.company_id._archive_for_reader(hold)
            hold.message_post(
                body=note.env._("The invoice was posted again: %(reason)s", reason=values["reason"]),
                subtype_xmlid="mail.mt_note",
            )
            return hold
        hold = Hold._workflow_create([{"move_id": self.id, "requester_id": self.env.user.id, **values}])
        salesperson = self.invoice_user_id - self.env.user
        self.message_post(
            body=self.company_id._archive_for_reader(hold, salesperson)._reason_for_reader(public=True),
            subtype_xmlid="mail.mt_note",
            partner_ids=salesperson.partner_id.ids,
        )
        hold._approval_ask()
        return hold

    def _credit_post_released(self, hold):
        """Post this invoice as a credit manager released it (called by the hold's release)."""
        self.ensure_one()
        self.with_context(customer_credit_released=_Released(self.ids)).action_post()

    def _credit_hold_refused(self, hold, reason):
        """The invoice stays draft; the refusal and its reason go to its chatter, for the user who
        posted it and the salesperson, in their language."""
        self.ensure_one()
        recipients = hold.requester_id | self.invoice_user_id
        note = self.company_id._archive_for_reader(self, hold.requester_id)
        self.message_post(
            body=note.env._("Credit hold refused: %(reason)s", reason=reason),
            subtype_xmlid="mail.mt_note",
            partner_ids=recipients.partner_id.ids,
        )

    def button_draft(self):
        """Reset posted documents to draft (Odoo's button). A posted credit note or payment the
        exposure counted as the customer's credit is taken back only within the available credit,
        or by a credit manager (C8: no path enlarges a debt without one). Returns Odoo's result."""
        credits = self.filtered(
            lambda move: move.state == "posted" and move.move_type in ("out_refund", "entry")
        )
        partners = credits.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and line.balance < 0
        ).partner_id
        result = super().button_draft()
        if partners and not self.env.user.has_group("customer_credit.group_credit_manager"):
            for company in credits.company_id:
                Partner = self.env["res.partner"].sudo()  # sudo: figures needed whoever resets
                Partner = Partner.with_company(company)
                debtor_of = partners.sudo()._credit_debtor(company)  # sudo: whoever resets the credit
                debtors = Partner.browse(set(debtor_of.values()))
                for debtor, exposure in debtors._credit_check_start(company).values():
                    # The whole exposure, the credit taken back included, as one new debt.
                    if debtor._credit_block(0.0, exposure):
                        raise UserError(
                            self.env._(
                                "Taking back this credit would take %(name)s past its credit limit: "
                                "a credit manager does it.",
                                name=debtor.name,
                            )
                        )
        return result

    def button_cancel(self):
        """Cancel the documents (Odoo's button); the pending credit holds of invoices end with them."""
        result = super().button_cancel()
        holds = (
            self.env["customer.credit.hold"]
            .sudo()  # sudo: the invoice's cancellation ends its hold, whoever cancels
            .search([("move_id", "in", self.ids), ("state", "=", "pending")])
        )
        holds._end_with_document()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_credit_held(self):
        # sudo: the holds are the record of credit control, whoever deletes the invoice
        if self.env["customer.credit.hold"].sudo().search_count([("move_id", "in", self.ids)], limit=1):
            raise UserError(
                self.env._(
                    "An invoice with a credit hold is kept as the record of credit control: "
                    "cancel it instead."
                )
            )

    def action_view_credit_holds(self):
        """The credit holds of this invoice."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_credit.customer_credit_hold_action")
        action["domain"] = [("move_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------ credit on the invoice (C6)
    # The fields are the preview mixin's, counted as the posting check counts the invoice.
    credit_exposure = fields.Monetary(
        string="Exposure with This Invoice",
        help="The customer's exposure once this invoice is posted (a posted invoice counts already), "
        "company currency, tax included.",
    )
    credit_available = fields.Monetary(string="Available after This Invoice")
    credit_would_hold = fields.Boolean(
        help="Posting this invoice now would make it wait for a credit manager."
    )

    @api.depends_context("company", "uid")
    @api.depends("state", "move_type", "company_id", "partner_id", "amount_total", "invoice_line_ids")
    def _compute_credit_preview(self):
        """The credit figures and the posting check's verdict (``_credit_hold_reason``, hence
        ``res.partner._credit_block``), read-only. An invoice being edited shows its saved state."""
        empty = {
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
        today = fields.Date.context_today(self)
        for move in self:
            move.credit_currency_id = move.company_id.currency_id
        customer_moves = self.filtered(lambda move: move.is_sale_document(include_receipts=True))
        (self - customer_moves).update(empty)
        for company, moves in customer_moves.grouped("company_id").items():
            previews = moves.commercial_partner_id._origin._credit_previews(company)
            drafts = moves._origin.filtered(
                lambda move: move.state == "draft" and move.move_type in DEBT_MOVE_TYPES
            )
            debtor_ids = {preview.debtor.id for preview in previews.values()}
            drafts = drafts.sudo()  # sudo: the amounts the check counts, whoever reads the invoice
            amounts = drafts._credit_document_amounts(company, debtor_ids) if drafts else {}
            pending = set(
                self.env["customer.credit.hold"]
                .sudo()  # sudo: which invoices already wait, whoever reads them
                .search([("move_id", "in", drafts.ids), ("state", "=", "pending")])
                .move_id.ids
            )
            for move in moves:
                values = dict(empty)
                preview = previews.get(move.commercial_partner_id._origin.id)
                if preview:
                    debtor, figures = preview.debtor, preview.figures
                    origin = move._origin
                    exposure, reason = figures.exposure, None
                    if origin.id in amounts:
                        # As the posting check counts it: the draft leaves, its uncovered part comes.
                        uncovered, as_draft = amounts[origin.id]
                        before = figures.exposure - as_draft
                        exposure = before + uncovered
                        # The verdict follows the figures: for a customer whose credit the user
                        # may not see, a verdict changing with the amount would tell its available
                        # credit.
                        if preview.managed and preview.visible:
                            reason = origin._credit_hold_reason(
                                debtor, uncovered, before, debtor.credit_limit
                            )
                    elif move.state == "draft" and move.move_type in DEBT_MOVE_TYPES:
                        exposure = figures.exposure + move._credit_total()
                    limit = debtor.credit_limit
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
                    if reason and origin.id not in pending:
                        values["credit_would_hold"] = True
                        values["credit_would_hold_reason"] = reason
                move.update(values)
