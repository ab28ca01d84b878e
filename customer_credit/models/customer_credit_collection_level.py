from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerCreditCollectionLevel(models.Model):
    """A collection level (催收等级): reached when a customer's oldest unsettled receivable is
    overdue this many days. The daily monitoring then sends the reminder letter of the level once per
    overdue episode and gives the salesperson a collection task."""

    _name = "customer.credit.collection.level"
    _description = "Collection Level"
    _order = "days_overdue, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    # Empty: the level applies to every company without levels of its own.
    company_id = fields.Many2one("res.company", index=True, default=lambda self: self.env.company)
    days_overdue = fields.Integer(
        required=True, help="Days the oldest overdue receivable is past its due date."
    )
    send_letter = fields.Boolean(
        default=True, help="Send the customer a reminder letter on reaching the level."
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Letter Template",
        domain=[("model", "=", "res.partner")],
        help="E-mail carrying the reminder letter (催款函) to the customer.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "days_company_uniq",
            "unique(company_id, days_overdue)",
            "A level for these days overdue exists already.",
        ),
    ]

    @api.constrains("days_overdue")
    def _check_days_overdue(self):
        if any(level.days_overdue <= 0 for level in self):
            raise ValidationError(self.env._("A collection level starts after at least one day overdue."))

    @api.model
    def _levels_of(self, company):
        """The levels applying to ``company``, fewest days first: its own, else the shared ones."""
        levels = self.search([("company_id", "=", company.id)])
        return levels or self.search([("company_id", "=", False)])
