from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerArchiveBorrowLendWizard(models.TransientModel):
    """The hand-out at the counter (登记签名): the officer shows what is lent, the borrower signs
    for it on the officer's screen, the officer countersigns and confirms. The request's own
    hand-out (``action_lend``) checks and records it all."""

    _name = "customer.archive.borrow.lend.wizard"
    _description = "Hand Out an Archive"
    # Names an archive for one action and hands out nothing by itself: not in the access log.
    _archive_access_log = False

    borrow_id = fields.Many2one("customer.archive.borrow", required=True)
    request_type = fields.Selection(related="borrow_id.request_type")
    requester_id = fields.Many2one(related="borrow_id.requester_id", string="Borrower")
    archive_id = fields.Many2one(related="borrow_id.archive_id")
    purpose = fields.Text(related="borrow_id.purpose")
    date_due = fields.Datetime(related="borrow_id.date_due", string="Due (at the latest)")
    document_ids = fields.Many2many(
        "customer.archive.document",
        compute="_compute_document_ids",
        string="Documents Handed Out",
    )
    officer_name = fields.Char(default=lambda self: self.env.user.name, readonly=True)
    # Kept in the wizard's own row until the hand-out copies them onto the request.
    borrower_signature = fields.Binary(string="Borrower's Signature", attachment=False)
    officer_signature = fields.Binary(string="Officer's Signature", attachment=False)

    @api.depends("borrow_id")
    def _compute_document_ids(self):
        for wizard in self:
            try:
                wizard.document_ids = wizard.borrow_id._documents_to_lend() if wizard.borrow_id else False
            except UserError:
                wizard.document_ids = False  # the hand-out says why

    def action_confirm(self):
        """Hand the archive out with both signatures; from the scan screen, back to it."""
        self.ensure_one()
        self.borrow_id.action_lend(
            borrower_signature=self.borrower_signature, officer_signature=self.officer_signature
        )
        if self.env.context.get("customer_archive_scan_next"):
            return self.env["customer.archive.scan"]._reopen_empty(
                self.env._("%(request)s handed out. Scan the next folder.", request=self.borrow_id.name)
            )
        return {"type": "ir.actions.act_window_close"}
