from odoo import api, fields, models
from odoo.addons.customer_archive.models.customer_archive_approval_mixin import APPROVAL_FIELDS
from odoo.exceptions import UserError, ValidationError

EVALUATION_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("superseded", "Superseded"),
]
OFFICER = "customer_credit.group_credit_officer"
MANAGER = "customer_credit.group_credit_manager"


class CustomerCreditEvaluation(models.Model):
    """One evaluation of a customer's credit: a version kept for ever (更新前必须备份)."""

    _name = "customer.credit.evaluation"
    _description = "Credit Evaluation"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "customer.archive.approval.mixin",
        "customer.archive.workflow.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True
    _workflow_fields = APPROVAL_FIELDS

    name = fields.Char(compute="_compute_name", store=True)
    # The groups of the model's readers: a search on the customers' credit_evaluation_ids is a
    # search on this field, and nobody else may ask which customers were evaluated.
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
        groups="customer_credit.group_credit_officer",
    )
    scorecard_id = fields.Many2one("customer.credit.scorecard", required=True, check_company=True)
    date = fields.Date(required=True, default=fields.Date.context_today, copy=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("customer.credit.evaluation.line", "evaluation_id", string="Scores")
    total_score = fields.Float(compute="_compute_total_score", store=True, tracking=True)
    grade_id = fields.Many2one("customer.credit.grade", compute="_compute_grade", store=True, tracking=True)
    proposed_credit_limit = fields.Monetary(currency_field="currency_id", tracking=True)
    proposed_term_days = fields.Integer(string="Proposed Term (Days)", tracking=True)
    proposed_guarantee_required = fields.Boolean(string="Require a Guarantee", tracking=True)
    proposal_summary = fields.Text(compute="_compute_proposal_summary", string="Reward or Penalty")
    risk_plan = fields.Text(help="Required for grades with a risk plan (风险客户独立方案).")
    risk_plan_review_date = fields.Date()
    state = fields.Selection(EVALUATION_STATES, required=True, default="draft", readonly=True, tracking=True)
    note = fields.Text()
    # 定期复评: when the customer is evaluated again, by its grade's interval (12 months without one).
    date_next_review = fields.Date(string="Next Review", compute="_compute_date_next_review", store=True)
    # The one definition of "credit review due", for the monitoring, the filter and the overview.
    review_due = fields.Boolean(
        string="Due for Review", compute="_compute_review_due", search="_search_review_due"
    )

    @api.depends("partner_id", "date")
    def _compute_name(self):
        for evaluation in self:
            evaluation.name = f"{evaluation.partner_id.name or ''} {evaluation.date or ''}".strip()

    @api.depends("date", "grade_id.review_interval_months")
    def _compute_date_next_review(self):
        for evaluation in self:
            months = evaluation.grade_id.review_interval_months or 12
            evaluation.date_next_review = evaluation.date and fields.Date.add(evaluation.date, months=months)

    @api.model
    def _review_due_domain(self):
        """Current (approved) evaluations whose next review date has come, today in the user's (or
        the scheduled action's company's) time zone: the one definition of a credit review due."""
        return [("state", "=", "approved"), ("date_next_review", "<=", fields.Date.context_today(self))]

    @api.depends("state", "date_next_review")
    @api.depends_context("tz")
    def _compute_review_due(self):
        due = self.filtered_domain(self._review_due_domain())
        for evaluation in self:
            evaluation.review_due = evaluation in due

    def _search_review_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on reviews due."))
        due = self._review_due_domain()
        return due if (operator == "=") == value else ["!", "&", *due]

    @api.depends("line_ids.score", "line_ids.weight")
    def _compute_total_score(self):
        for evaluation in self:
            evaluation.total_score = round(
                sum(line.score * line.weight / 100.0 for line in evaluation.line_ids), 2
            )

    @api.depends("total_score", "company_id")
    def _compute_grade(self):
        Grade = self.env["customer.credit.grade"]
        for company, evaluations in self.grouped("company_id").items():
            grades = Grade.search([("company_id", "=", company.id)], order="min_score desc")
            for evaluation in evaluations:
                evaluation.grade_id = next(
                    (grade for grade in grades if evaluation.total_score >= grade.min_score), grades[-1:]
                )

    @api.depends("proposed_credit_limit", "proposed_term_days", "proposed_guarantee_required", "partner_id")
    def _compute_proposal_summary(self):
        for evaluation in self:
            partner = evaluation.partner_id.sudo().with_company(evaluation.company_id)  # sudo: current terms
            changes = []
            if evaluation.proposed_credit_limit > partner.credit_limit:
                changes.append(self.env._("raise the limit"))
            elif evaluation.proposed_credit_limit < partner.credit_limit:
                changes.append(self.env._("lower the limit"))
            if evaluation.proposed_term_days > partner.credit_term_days:
                changes.append(self.env._("extend the term"))
            elif evaluation.proposed_term_days < partner.credit_term_days:
                changes.append(self.env._("shorten the term"))
            if evaluation.proposed_guarantee_required and not partner.credit_guarantee_required:
                changes.append(self.env._("require a guarantee"))
            evaluation.proposal_summary = ", ".join(changes) or self.env._("no change")

    @api.constrains("partner_id")
    def _check_partner_is_customer(self):
        # what its approval would decide on: refused now, not when the credit manager approves
        self.partner_id._credit_check_decided_on_customer()

    @api.constrains("proposed_credit_limit", "proposed_term_days")
    def _check_proposal(self):
        for evaluation in self:
            if evaluation.proposed_credit_limit < 0 or evaluation.proposed_term_days < 0:
                raise ValidationError(self.env._("A credit limit or term cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_workflow_fields(vals)
            partner = self.env["res.partner"].browse(vals.get("partner_id")).exists()
            if partner and not partner.active:
                raise UserError(self.env._("An archived customer cannot be evaluated."))
        evaluations = super().create(vals_list)
        evaluations._fill_lines()
        return evaluations

    def write(self, vals):
        self._check_workflow_fields(vals)
        if not self._in_workflow():
            self._check_editable()
        return super().write(vals)

    def unlink(self):
        if self:
            raise UserError(
                self.env._("Credit evaluations are the customer's history and are never deleted.")
            )
        return super().unlink()

    def _check_editable(self):
        if self._in_workflow():
            return
        if any(evaluation.state != "draft" for evaluation in self):
            raise UserError(self.env._("An evaluation can only be changed while it is a draft."))

    # ------------------------------------------------------------------ scores
    def _fill_lines(self):
        """One line per indicator; computed ones get their figure and score from the accounts.
        An evaluation is scored only on a scorecard whose weights sum to 100 (评分体系): indicators
        edited one by one may leave a scorecard that does not, which is refused here."""
        self.scorecard_id._check_weights()
        for evaluation in self:
            missing = evaluation.scorecard_id.indicator_ids - evaluation.line_ids.indicator_id
            self.env["customer.credit.evaluation.line"]._workflow_create(
                [{"evaluation_id": evaluation.id, "indicator_id": indicator.id} for indicator in missing]
            )
        self.action_refresh_figures()

    def action_refresh_figures(self):
        self._check_editable()
        for company, evaluations in self.grouped("company_id").items():
            figures = (
                self.env["customer.credit.indicator"]
                .with_company(company)
                ._figures_for(evaluations.partner_id)
            )
            for evaluation in evaluations:
                for line in evaluation.line_ids.filtered(lambda line: line.kind == "computed"):
                    figure = figures[evaluation.partner_id.id][line.indicator_id.computation]
                    line._workflow_write({"figure": figure, "score": line.indicator_id._score_of(figure)})
        return True

    # ------------------------------------------------------------------ workflow
    def _approval_group_xmlid(self):
        return MANAGER

    def action_submit(self):
        self._check_group(OFFICER, self.env._("Evaluations are made by the credit department."))
        self._check_state("draft")
        for evaluation in self:
            if evaluation.grade_id.risk_plan_required and not (
                (evaluation.risk_plan or "").strip() and evaluation.risk_plan_review_date
            ):
                raise UserError(
                    self.env._(
                        "Grade %(grade)s needs a risk plan and its review date.",
                        grade=evaluation.grade_id.display_name,
                    )
                )
        return self._approval_advance({"state": "submitted"})

    def action_approve(self):
        """Approve: the evaluation becomes the customer's current one, the previous is superseded,
        and the proposed limit and term apply (with the limit's history)."""
        previous = {}

        def approval(evaluation):
            partner = evaluation.partner_id.with_company(evaluation.company_id)
            previous[evaluation.id] = partner.credit_evaluation_id
            return {}

        self._approval_decide("approve", ("submitted",), "approved", values=approval)
        for evaluation in self:
            previous[evaluation.id]._workflow_write({"state": "superseded"})
            evaluation.partner_id._apply_credit_decision(
                evaluation.proposed_credit_limit,
                evaluation.proposed_term_days,
                # A stored reason: in the current language, the company's when the system decides.
                reason=evaluation.company_id._archive_for_reader(evaluation).env._(
                    "Evaluation %(name)s (grade %(grade)s)",
                    name=evaluation.name,
                    grade=evaluation.company_id._archive_for_reader(evaluation.grade_id).display_name,
                ),
                evaluation=evaluation,
                company=evaluation.company_id,
            )
            evaluation.partner_id.with_company(evaluation.company_id)._credit_decision_write(
                {
                    "credit_guarantee_required": evaluation.proposed_guarantee_required,
                    "credit_risk_plan": evaluation.risk_plan,
                    "credit_risk_plan_review_date": evaluation.risk_plan_review_date,
                }
            )
        return True

    def action_reject(self, reason):
        return self._approval_reject(reason)

    @api.onchange("grade_id")
    def _onchange_grade_id(self):
        """The grade proposes its limit, term and guarantee (奖惩机制); the officer may adjust them."""
        if self.grade_id:
            self.proposed_credit_limit = self.grade_id.default_credit_limit
            self.proposed_term_days = self.grade_id.credit_term_days
            self.proposed_guarantee_required = self.grade_id.guarantee_required

    def action_apply_grade_proposal(self):
        self._check_editable()
        for evaluation in self:
            evaluation.write(
                {
                    "proposed_credit_limit": evaluation.grade_id.default_credit_limit,
                    "proposed_term_days": evaluation.grade_id.credit_term_days,
                    "proposed_guarantee_required": evaluation.grade_id.guarantee_required,
                }
            )
        return True
