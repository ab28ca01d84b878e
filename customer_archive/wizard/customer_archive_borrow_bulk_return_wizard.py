from odoo import api, fields, models
from odoo.exceptions import UserError

BORROW = "customer.archive.borrow"


class CustomerArchiveBorrowBulkReturnWizard(models.TransientModel):
    """A borrower brings several loans back at once: the officer checks each (complete, damaged,
    missing; the copies of a photocopy counted) and takes them back in one go, each through the
    request's own take-back step (``action_return``) with its checks: the archive office only,
    never one's own loan, only loans out. A loan refused stays out; the window lists it with the
    reason."""

    _name = "customer.archive.borrow.bulk.return.wizard"
    _description = "Take Back Several Loans"
    _inherit = ["customer.archive.bulk.mixin"]
    # A counter tool: it names loans for one step and hands out nothing itself.
    _archive_access_log = False

    borrower_id = fields.Many2one("res.users", readonly=True)
    line_ids = fields.One2many(
        "customer.archive.borrow.bulk.return.line", "wizard_id", string="Loans Brought Back"
    )

    @api.model
    def default_get(self, fields_list):
        """The loans selected in the list, which must be one borrower's (UserError otherwise)."""
        values = super().default_get(fields_list)
        requests = self._bulk_active_records(BORROW)
        if requests:
            if len(requests.requester_id) > 1:
                raise UserError(
                    self.env._("Take back the loans of one borrower at a time: select only theirs.")
                )
            values["borrower_id"] = requests.requester_id.id
            values["line_ids"] = [fields.Command.create({"borrow_id": request.id}) for request in requests]
        return values

    def action_confirm(self):
        """Take each loan back as its line says (see ``customer.archive.bulk.mixin._bulk_run``)."""
        self.ensure_one()
        lines = {line.borrow_id.id: line for line in self.line_ids}
        return self._bulk_run(self.line_ids.borrow_id, lambda request: lines[request.id]._take_back())
