from odoo import fields, models

CREDIT_USER = "customer_credit.group_credit_user"


class CustomerCreditPreviewMixin(models.AbstractModel):
    """The customer's credit seen on a document before it is confirmed or posted (C6): the
    debtor's figures with the document counted, and whether the check would hold it and why,
    within what the reader's group may see (grade, limit, exposure, available credit and overdue:
    credit users, for their own customers — the salesperson follows up their overdue customers, 催收
    — and the credit department for all). Read-only: nothing is written while a document is read.

    Each document computes them in ``_compute_credit_preview`` with its own check (sales orders:
    ``_credit_reasons``; invoices: ``_credit_hold_reason``, both through
    ``res.partner._credit_block``) and names the exposure and the available credit in its terms."""

    _name = "customer.credit.preview.mixin"
    _description = "Credit Preview on a Document"

    credit_currency_id = fields.Many2one("res.currency", compute="_compute_credit_preview")
    credit_debtor_id = fields.Many2one(
        "res.partner",
        string="Credit Customer",
        compute="_compute_credit_preview",
        groups=CREDIT_USER,
        help="The customer whose credit limit controls this document (its company or group).",
    )
    credit_grade_id = fields.Many2one(
        "customer.credit.grade", compute="_compute_credit_preview", groups=CREDIT_USER
    )
    credit_limit = fields.Monetary(
        currency_field="credit_currency_id", compute="_compute_credit_preview", groups=CREDIT_USER
    )
    credit_exposure = fields.Monetary(
        currency_field="credit_currency_id",
        compute="_compute_credit_preview",
        groups=CREDIT_USER,
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        currency_field="credit_currency_id",
        compute="_compute_credit_preview",
        groups=CREDIT_USER,
    )
    credit_overdue_amount = fields.Monetary(
        string="Customer Overdue",
        currency_field="credit_currency_id",
        compute="_compute_credit_preview",
        groups=CREDIT_USER,
    )
    credit_overdue_days = fields.Integer(
        string="Oldest Overdue (Days)", compute="_compute_credit_preview", groups=CREDIT_USER
    )
    credit_shown = fields.Boolean(string="Credit Figures Shown", compute="_compute_credit_preview")
    credit_would_hold = fields.Boolean(string="Would Be Held", compute="_compute_credit_preview")
    credit_would_hold_reason = fields.Text(string="Why It Would Be Held", compute="_compute_credit_preview")

    def _compute_credit_preview(self):
        raise NotImplementedError
