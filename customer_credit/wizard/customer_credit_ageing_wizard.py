from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.customer_credit_ageing import AGEING_BUCKETS


class CustomerCreditAgeingWizard(models.TransientModel):
    """The receivables ageing of a company's customers at a date: on screen (list, pivot) or as a
    PDF (账龄分析表)."""

    _name = "customer.credit.ageing.wizard"
    _description = "Receivables Ageing Report"

    date = fields.Date(string="At", required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.constrains("company_id")
    def _check_company_of_user(self):
        # A company the user does not work in (an RPC call can name any): its figures are not theirs;
        # the error does not name it (a guessed id would tell a company's name).
        for wizard in self:
            if wizard.company_id not in self.env.user.company_ids:
                raise ValidationError(self.env._("Choose one of your companies."))

    def _ageing_context(self):
        self.ensure_one()
        return {"ageing_date": fields.Date.to_string(self.date), "ageing_company_id": self.company_id.id}

    def action_open(self):
        """The ageing rows at the wizard's date for its company, as a list and a pivot."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit.customer_credit_ageing_action"
        )
        action["context"] = {**self._ageing_context(), "search_default_group_partner": 1}
        action["display_name"] = self.env._(
            "Receivables Ageing at %(date)s", date=fields.Date.to_string(self.date)
        )
        return action

    def action_print(self):
        """The ageing report as a PDF (QWeb)."""
        self.ensure_one()
        return self.env.ref("customer_credit.action_report_customer_credit_ageing").report_action(self)

    @api.model
    def _ageing_buckets(self):
        """[(field name, label)] of the age buckets, labels in the user's language."""
        labels = dict(self.env["customer.credit.ageing"]._fields["bucket"]._description_selection(self.env))
        return [(name, labels[name]) for name, _label in AGEING_BUCKETS]

    def _ageing_report_rows(self):
        """(rows, totals) of the PDF: [(customer, {bucket: amount, 'residual': total})] and the sums
        of every column, at the wizard's date for its company, in one query."""
        self.ensure_one()
        Ageing = self.env["customer.credit.ageing"].with_context(**self._ageing_context())
        rows = Ageing._ageing_by_partner([("company_id", "=", self.company_id.id)])
        totals = {name: sum(values[name] for _partner, values in rows) for name in rows[0][1]} if rows else {}
        return rows, totals
