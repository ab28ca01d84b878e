from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerCreditEvaluationLine(models.Model):
    _name = "customer.credit.evaluation.line"
    _description = "Credit Evaluation Line"
    # A line is its indicator (还款记录, 经营年限…), not "customer.credit.evaluation.line,37".
    _rec_name = "indicator_id"
    _inherit = ["customer.archive.workflow.mixin"]
    _workflow_fields = frozenset({"figure", "indicator_id"})
    _order = "evaluation_id, sequence, id"

    evaluation_id = fields.Many2one(
        "customer.credit.evaluation", required=True, ondelete="cascade", index=True
    )
    indicator_id = fields.Many2one("customer.credit.indicator", required=True)
    sequence = fields.Integer(related="indicator_id.sequence")
    kind = fields.Selection(related="indicator_id.kind")
    # The weight when the line was made: a later scorecard change never rewrites an evaluation.
    weight = fields.Float(compute="_compute_weight", store=True, readonly=True)
    figure = fields.Float(readonly=True, help="The figure a computed indicator was scored on.")
    score = fields.Float(help="Points from 0 to 100.")
    comment = fields.Text()

    @api.depends("indicator_id")
    def _compute_weight(self):
        for line in self:
            line.weight = line.indicator_id.weight

    @api.constrains("score")
    def _check_score(self):
        for line in self:
            if not 0 <= line.score <= 100:
                raise ValidationError(self.env._("A score lies between 0 and 100."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self._in_workflow():
            evaluations = self.env["customer.credit.evaluation"].browse(
                [v.get("evaluation_id") for v in vals_list]
            )
            evaluations._check_editable()
            for vals in vals_list:
                self._check_workflow_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        # Figures (and the scores of computed indicators) come from the accounts, written by the
        # evaluation's refresh through the workflow; nobody sets them by hand.
        if not self._in_workflow():
            # A line moved to another evaluation would change that one's score: both are drafts.
            moved_to = self.env["customer.credit.evaluation"].browse(vals.get("evaluation_id") or [])
            (self.evaluation_id | moved_to)._check_editable()
            self._check_workflow_fields(vals)
            if "score" in vals and any(line.kind == "computed" for line in self):
                raise ValidationError(self.env._("Computed indicators are scored from their figures."))
        return super().write(vals)
