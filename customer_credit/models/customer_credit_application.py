from odoo import api, fields, models
from odoo.addons.customer_archive.models.customer_archive_approval_mixin import APPROVAL_FIELDS
from odoo.exceptions import UserError, ValidationError

GUARANTEES = [
    ("none", "None"),
    ("guarantor", "Guarantor"),
    ("collateral", "Collateral"),
    ("deposit", "Deposit"),
]
APPLICATION_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("reviewed", "Reviewed"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]


CREDIT_MANAGER = "customer_credit.group_credit_manager"
CREDIT_OFFICER = "customer_credit.group_credit_officer"


class CustomerCreditApplication(models.Model):
    """A credit grant (信用授予流程): apply → review → decide → notify the customer."""

    _name = "customer.credit.application"
    _description = "Credit Application"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "customer.archive.approval.mixin",
        "customer.archive.workflow.mixin",
    ]
    _order = "create_date desc, id desc"
    _check_company_auto = True
    # The documents' files are the application's: swapped after submission, the decision would
    # rest on other figures.
    _held_file_fields = frozenset({"document_ids"})
    _workflow_fields = APPROVAL_FIELDS | {
        "reviewer_id",
        "review_note",
        "granted_limit",
        "granted_term_days",
        "valid_from",
        "valid_to",
        "grant_method",
        "grant_expired",
        "expiry_notice_date",
    }

    name = fields.Char(readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        # a customer of the decision's company, or one shared by all companies
        check_company=True,
        # customers in their own right (companies, persons on their own): a contact's credit is
        # its customer's; the rule itself is res.partner._credit_check_decided_on_customer
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    requested_limit = fields.Monetary(currency_field="currency_id", required=True, tracking=True)
    requested_term_days = fields.Integer(string="Requested Term (Days)", tracking=True)
    reason = fields.Text(required=True)
    guarantee_type = fields.Selection(GUARANTEES, string="Guarantee", required=True, default="none")
    guarantee_details = fields.Text()
    # Its own files (``_own_held_files``): a duplicate is given its documents anew.
    document_ids = fields.Many2many("ir.attachment", string="Documents", copy=False)
    state = fields.Selection(APPLICATION_STATES, required=True, default="draft", readonly=True, tracking=True)
    reviewer_id = fields.Many2one("res.users", readonly=True, copy=False)
    review_note = fields.Text(readonly=True, copy=False)
    granted_limit = fields.Monetary(currency_field="currency_id", readonly=True, copy=False, tracking=True)
    granted_term_days = fields.Integer(readonly=True, copy=False, tracking=True)
    valid_from = fields.Date(readonly=True, copy=False)
    valid_to = fields.Date(readonly=True, copy=False)
    grant_method = fields.Char(
        string="Method", readonly=True, copy=False, help="e.g. open account, letter of credit"
    )
    half_year = fields.Char(compute="_compute_half_year", store=True)
    # Set by the daily monitoring (res.partner._credit_expire_grants): the grant's end is applied once.
    grant_expired = fields.Boolean(string="Grant Ended", readonly=True, copy=False, tracking=True)
    expiry_notice_date = fields.Date(
        string="End Notice Sent",
        readonly=True,
        copy=False,
        help="When the credit managers were told of the end.",
    )

    @api.depends("create_date")
    def _compute_half_year(self):
        for application in self:
            created = application.create_date or fields.Datetime.now()
            application.half_year = f"{created.year}-H{1 if created.month <= 6 else 2}"

    @api.constrains("partner_id")
    def _check_partner_is_customer(self):
        # what its approval would decide on: refused now, not when the credit manager approves
        self.partner_id._credit_check_decided_on_customer()
        # Sales staff apply for their own customers: the application would show them the limit
        # granted to a customer whose credit is hidden from them (C5, 信用授予流程).
        unseen = self.partner_id - self.partner_id._credit_visible_partners()
        if unseen:
            raise UserError(
                self.env._(
                    "You apply for credit for your own customers only: %(customers)s has another "
                    "salesperson, or none. Ask its salesperson or the credit department.",
                    customers=", ".join(unseen.mapped("display_name")),
                )
            )

    @api.constrains("requested_limit", "requested_term_days")
    def _check_request(self):
        for application in self:
            if application.requested_limit < 0 or application.requested_term_days < 0:
                raise ValidationError(self.env._("A credit limit or term cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = self._workflow_create_values(vals_list)
        for vals in vals_list:
            vals["name"] = self.env["ir.sequence"].next_by_code("customer.credit.application") or "/"
        applications = super().create(vals_list)
        applications._own_held_files()
        return applications

    def write(self, vals):
        self._check_workflow_fields(vals)
        self._check_draft()
        result = super().write(vals)
        if "document_ids" in vals:
            self._own_held_files()
        return result

    def _check_draft(self):
        """Refuse (UserError) changing an application, or the files of its documents, once it has
        left its draft: what was reviewed and decided stays as it was; the workflow passes."""
        if not self._in_workflow() and any(application.state != "draft" for application in self):
            raise UserError(self.env._("An application can only be changed while it is a draft."))

    def _check_held_files_change(self, field_name):
        result = super()._check_held_files_change(field_name)
        self._check_draft()
        return result

    def unlink(self):
        if self:
            raise UserError(self.env._("Credit applications are kept as the record of grants."))
        return super().unlink()

    def _credit_grant_history(self):
        """The limit-history row the approval of this application made (empty if none)."""
        self.ensure_one()
        History = self.env["customer.credit.limit.history"]
        grant = History.search([("application_id", "=", self.id)], order="id", limit=1)
        if grant or not self.approval_date:
            return grant
        # Grants approved before the history named its application: the first row of the decision.
        return History.search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("date", ">=", self.approval_date),
                ("new_limit", "=", self.granted_limit),
                ("new_term_days", "=", self.granted_term_days),
            ],
            order="id",
            limit=1,
        )

    def _open_decision_wizard(self, step):
        action = self._action_open_wizard(
            "customer.credit.application.decision.wizard", self.env._("Credit Application"), "application_id"
        )
        action["context"]["default_step"] = step
        return action

    def action_open_review(self):
        return self._open_decision_wizard("review")

    def action_open_approve(self):
        return self._open_decision_wizard("approve")

    def action_open_reject(self):
        return self._open_decision_wizard("reject")

    # ------------------------------------------------------------------ approval: review, then decide
    _approval_waiting_states = ("submitted", "reviewed")
    # Each grant has its own amounts and dates: never approved in bulk.
    _approval_bulk_approval_method = None

    def _approval_group_xmlid(self):
        # The credit officers review (审核授信), the credit managers decide (决策授信).
        return CREDIT_OFFICER if self.state == "submitted" else CREDIT_MANAGER

    def _approval_members(self, group_xmlid):
        if group_xmlid == CREDIT_OFFICER:
            # The officers review, or the managers when the department has no officer of its own.
            return self.env["customer.credit.monitoring"]._credit_reviewers(self.company_id)
        return super()._approval_members(group_xmlid)

    def _approval_excluded_users(self):
        # The officer who reviewed an application does not also decide on it.
        return super()._approval_excluded_users() | self.reviewer_id

    def _approval_summary(self):
        if self.state == "submitted":
            return self.env._("Review credit application %(name)s", name=self.name)
        return self.env._("Decide on credit application %(name)s", name=self.name)

    def action_submit(self):
        self._check_requester_or_group(
            CREDIT_OFFICER, self.env._("Only the requester or the credit department submits an application.")
        )
        self._check_state("draft")
        return self._approval_advance({"state": "submitted"})

    def action_review(self, note):
        """The credit officer's review (审核授信): recorded, the reviewers' activities closed and the
        credit managers asked to decide. Raises UserError unless submitted or without a review,
        AccessError for anyone but a credit officer other than the requester."""
        self._check_state("submitted")
        for application in self:
            application._approval_authority()
        if not (note or "").strip():
            raise UserError(self.env._("Write the review before passing the application on."))
        return self._approval_advance(
            {"state": "reviewed", "reviewer_id": self.env.user.id, "review_note": note.strip()}
        )

    def action_approve(self, granted_limit, granted_term_days, valid_from, valid_to, method=None):
        """The credit manager's decision (决策授信): set the limit and term, notify the customer."""
        valid_from, valid_to = fields.Date.to_date(valid_from), fields.Date.to_date(valid_to)

        def grant(application):
            if granted_limit < 0 or granted_term_days < 0:
                raise ValidationError(self.env._("A credit limit or term cannot be negative."))
            if not valid_from or not valid_to or valid_to <= valid_from:
                raise ValidationError(
                    self.env._("A grant is valid over a period: its end comes after its start.")
                )
            if valid_to < fields.Date.context_today(self):
                raise ValidationError(self.env._("A grant cannot end before today."))
            return {
                "granted_limit": granted_limit,
                "granted_term_days": granted_term_days,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "grant_method": method,
            }

        self._approval_decide("approve", ("reviewed",), "approved", values=grant)
        template = self.env.ref("customer_credit.mail_template_credit_grant")
        for application in self:
            application.partner_id._apply_credit_decision(
                granted_limit,
                granted_term_days,
                # A stored reason: in the current language, the company's when the system decides.
                reason=application.company_id._archive_for_reader(application).env._(
                    "Credit application %(name)s", name=application.name
                ),
                company=application.company_id,
                application=application,
                on_behalf_of=application.approved_on_behalf_of_id,
                delegation=application.approval_delegation_id,
            )
            template.send_mail(
                application.id,
                email_values={"recipient_ids": [fields.Command.set(application.partner_id.ids)]},
            )
        return True

    def action_reject(self, reason):
        return self._approval_reject(reason, from_states=("reviewed",))
