from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.float_utils import float_compare


class CustomerCreditScorecard(models.Model):
    """A scorecard (评分体系): weighted indicators whose weights sum to 100."""

    _name = "customer.credit.scorecard"
    _description = "Credit Scorecard"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    indicator_ids = fields.One2many(
        "customer.credit.indicator", "scorecard_id", string="Indicators", copy=True
    )
    total_weight = fields.Float(compute="_compute_total_weight")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    active = fields.Boolean(default=True)

    @api.depends("indicator_ids.weight")
    def _compute_total_weight(self):
        for scorecard in self:
            scorecard.total_weight = sum(scorecard.indicator_ids.mapped("weight"))

    @api.constrains("indicator_ids")
    def _check_weights(self):
        for scorecard in self:
            if float_compare(sum(scorecard.indicator_ids.mapped("weight")), 100.0, precision_digits=2):
                raise ValidationError(
                    self.env._(
                        "The weights of scorecard %(name)s sum to %(total)s; they must sum to 100.",
                        name=scorecard.name,
                        total=round(sum(scorecard.indicator_ids.mapped("weight")), 2),
                    )
                )
