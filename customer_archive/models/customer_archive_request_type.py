from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerArchiveRequestType(models.Model):
    """A kind of request that needs a decision (lending, share, destruction, credit...): what a
    delegation (委托书) may be limited to. Made by the modules' data, one per model using the
    approval engine."""

    _name = "customer.archive.request.type"
    _description = "Request Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    model = fields.Char(required=True, help="The technical name of the requests' model.")
    sequence = fields.Integer(default=10)

    _sql_constraints = [("model_unique", "UNIQUE(model)", "A request type is defined once per model.")]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        raise UserError(self.env._("Request types are part of the modules; they are not deleted."))
