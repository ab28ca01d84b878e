from odoo import fields, models


class CustomerArchiveBorrowDecisionWizard(models.TransientModel):
    """The approver's decision on a lending request, with its options."""

    _name = "customer.archive.borrow.decision.wizard"
    _description = "Decide on a Lending Request"

    borrow_id = fields.Many2one("customer.archive.borrow", required=True)
    request_type = fields.Selection(related="borrow_id.request_type")
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="approve"
    )
    allow_long_loan = fields.Boolean(
        string="Allow Longer Than the Working Day",
        help="Needed when the request is due after the working day.",
    )
    copies_may_leave = fields.Boolean(string="Copies May Leave the Company")
    reason = fields.Text(string="Reason for Rejecting")

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "approve":
            self.borrow_id.action_approve(
                allow_long_loan=self.allow_long_loan, copies_may_leave=self.copies_may_leave
            )
        else:
            self.borrow_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
