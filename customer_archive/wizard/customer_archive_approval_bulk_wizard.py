from odoo import api, fields, models
from odoo.exceptions import UserError

APPROVAL_MIXIN = "customer.archive.approval.mixin"


class CustomerArchiveApprovalBulkWizard(models.TransientModel):
    """Approve or refuse several requests at once (lending requests, shares...): each through its
    own decision step (``action_approve`` or its refusal step), with the checks of a decision taken
    one by one: the approver's right, the request's state and level rules, never one's own request.
    Requests refused keep their state; the window lists them with the reason."""

    _name = "customer.archive.approval.bulk.wizard"
    _description = "Decide on Several Requests"
    _inherit = ["customer.archive.bulk.mixin"]

    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_ids = fields.Json(string="Record IDs", required=True, readonly=True)
    request_count = fields.Integer(string="Requests Selected", compute="_compute_request_names")
    request_names = fields.Text(string="Requests", compute="_compute_request_names")
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Refuse")], required=True, default="approve"
    )
    reason = fields.Text(
        help="Why the requests are refused, told to each requester; or why credit holds are released."
    )
    # The options of a lending decision (customer.archive.borrow.action_approve).
    allow_long_loan = fields.Boolean(
        string="Allow Longer Than the Working Day",
        help="Needed for the requests due after the working day.",
    )
    copies_may_leave = fields.Boolean(string="Copies May Leave the Company")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        if model:
            values.update(res_model=model, res_ids=list(self.env.context.get("active_ids") or []))
        return values

    def _requests(self):
        """The requests decided: records of a model of the approval engine only."""
        self.ensure_one()
        if self.res_model not in self.env.registry[APPROVAL_MIXIN]._inherit_children:
            raise UserError(self.env._("Only requests waiting for a decision are decided here."))
        return self.env[self.res_model].browse(self.res_ids or [])

    @api.depends("res_model", "res_ids")
    def _compute_request_names(self):
        for wizard in self:
            requests = wizard._requests() if wizard.res_model else []
            # What the user may read of them: the others are refused by their step.
            readable = requests and requests._filtered_access("read")
            wizard.request_count = len(requests)
            wizard.request_names = ", ".join(readable.mapped("display_name")) if readable else False

    def action_confirm(self):
        """Take the decision on each request (see ``customer.archive.bulk.mixin._bulk_run``).
        Raises UserError, before anything, when a refusal has no reason."""
        self.ensure_one()
        requests = self._requests()
        if self.decision == "reject" and not (self.reason or "").strip():
            raise UserError(self.env._("Say why the requests are refused."))
        return self._bulk_run(requests, self._decide)

    def _decide(self, request):
        if self.decision == "reject":
            return getattr(request, request._approval_refusal_method)(self.reason)
        method = request._approval_bulk_approval_method
        if not method:
            raise UserError(
                self.env._(
                    "%(request)s is approved on its own, with its details.", request=request.display_name
                )
            )
        return getattr(request, method)(**{name: self[name] for name in request._approval_bulk_options})
