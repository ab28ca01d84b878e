from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerArchiveHandover(models.Model):
    """A departing employee's handover (离职员工必须提交审核): what passed to whom, kept as evidence."""

    _name = "customer.archive.handover"
    _description = "Archive Handover"
    _inherit = ["customer.archive.workflow.mixin"]
    _order = "date desc, id desc"

    from_user_id = fields.Many2one("res.users", string="Leaving User", required=True, readonly=True)
    to_user_id = fields.Many2one("res.users", string="Taken Over By", required=True, readonly=True)
    done_by_id = fields.Many2one("res.users", string="Recorded By", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True)
    summary = fields.Text(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self._in_workflow():
            raise UserError(self.env._("Handovers are recorded by the handover wizard."))
        return super().create(vals_list)

    def write(self, vals):
        if self:
            raise UserError(self.env._("A handover record cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if self:
            raise UserError(self.env._("Handover records are never deleted."))
        return super().unlink()
