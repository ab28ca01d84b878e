from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

# Kinds recorded by credit control itself: a letter it sent, a pause and its end.
SYSTEM_KINDS = ("pause", "resume")


class CustomerCreditCollectionLog(models.Model):
    """One step of collecting from a customer (催收记录): a call, a visit, a letter, a promise to pay
    with its date and amount, or a credit manager's pause. The credit officers keep it; letters the
    monitoring sends and pauses are recorded by the system and never changed. Whether a promise was
    kept is decided by the daily monitoring once its date has passed."""

    _name = "customer.credit.collection.log"
    _description = "Collection Log"
    _inherit = ["customer.archive.workflow.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _workflow_fields = frozenset({"is_system", "promise_state", "level_id", "letter_state"})

    # As hidden as the customer's credit_collection_log_ids: searching that list reads this.
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        groups="customer_credit.group_credit_user",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    kind = fields.Selection(
        [
            ("call", "Call"),
            ("visit", "Visit"),
            ("letter", "Letter"),
            ("promise", "Promise to Pay"),
            ("pause", "Collection Paused"),
            ("resume", "Collection Resumed"),
        ],
        required=True,
        default="call",
    )
    note = fields.Text()
    user_id = fields.Many2one("res.users", string="Recorded By", default=lambda self: self.env.user)
    promised_date = fields.Date(string="Promised Payment Date")
    promised_amount = fields.Monetary(currency_field="currency_id")
    promise_state = fields.Selection(
        [("kept", "Kept"), ("broken", "Broken")],
        readonly=True,
        copy=False,
        help="Set by the daily monitoring once the promised date has passed.",
    )
    level_id = fields.Many2one("customer.credit.collection.level", string="Collection Level", readonly=True)
    letter_state = fields.Selection(
        [("queued", "To Send"), ("sent", "Sent"), ("not_sent", "Not Sent")],
        string="Letter Status",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="A reminder letter of the monitoring is queued, then printed and e-mailed by the scheduled "
        "action Customer credit: reminder letters; the note says to whom, or why it was not sent.",
    )
    is_system = fields.Boolean(string="Recorded by the System", readonly=True, copy=False)

    @api.depends("kind", "date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # The step and its day (电话 · 2026年11月18日): a log line has no name of its own.
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for log in self:
            log.display_name = " · ".join(
                part for part in (kinds.get(log.kind), format_date(self.env, log.date)) if part
            )

    @api.constrains("kind", "date", "promised_date", "promised_amount")
    def _check_promise(self):
        """A promise to pay has a date and a positive amount, and is recorded before its date has
        passed: the monitoring would settle a promise already due as broken at once, a credit event
        against the customer that nobody promised (C9)."""
        for log in self:
            if log.kind != "promise":
                continue
            if not log.promised_date or log.promised_amount <= 0:
                raise ValidationError(self.env._("A promise to pay has a date and a positive amount."))
            if log.promised_date < log.date or log.promised_date < log.company_id._archive_today():
                raise ValidationError(
                    self.env._(
                        "The promised payment date has passed already: a promise to pay is recorded "
                        "before its date, and the date is not before the day it was made."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_workflow_fields(vals)
            if vals.get("kind") in SYSTEM_KINDS and not self._in_workflow():
                raise UserError(
                    self.env._("Pausing and resuming the collection is recorded by the pause action.")
                )
        vals_list = [dict(vals) for vals in vals_list]
        # The log belongs to the debtor, whichever of its contacts was called (read in one query).
        partners = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        )
        debtors = {partner.id: partner.commercial_partner_id.id for partner in partners}
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = debtors[vals["partner_id"]]
        logs = super().create(vals_list)
        # The customers' lists are computed (with the log's rules), not kept by the inverse field.
        self.env["res.partner"].invalidate_model(["credit_collection_log_ids"])
        return logs

    def write(self, vals):
        self._check_workflow_fields(vals)
        if not self._in_workflow():
            if vals.get("kind") in SYSTEM_KINDS or any(log.is_system or log.promise_state for log in self):
                raise UserError(
                    self.env._(
                        "Letters sent, pauses and settled promises are part of the record: "
                        "they are not changed."
                    )
                )
        self.env["res.partner"].invalidate_model(["credit_collection_log_ids"])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The collection log is the customer's record and is never deleted."))

    @api.model
    def _create_system_log(self, vals_list):
        """Record steps of credit control itself (letters sent, pauses): ``vals_list`` of value dicts.
        Returns the entries, marked ``is_system``."""
        return (
            self.sudo()  # sudo: credit control records what it did, whoever triggered it
            ._workflow_create(
                [
                    dict(vals, is_system=True, user_id=vals.get("user_id") or self.env.user.id)
                    for vals in vals_list
                ]
            )
            .with_env(self.env)
        )
