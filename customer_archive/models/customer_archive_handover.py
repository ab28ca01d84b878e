from odoo import fields, models


class CustomerArchiveHandover(models.Model):
    """A departing employee's handover (离职员工必须提交审核): what passed to whom, kept as evidence."""

    _name = "customer.archive.handover"
    _description = "Archive Handover"
    _inherit = ["customer.archive.evidence.mixin"]
    _order = "date desc, id desc"

    from_user_id = fields.Many2one("res.users", string="Leaving User", required=True, readonly=True)
    to_user_id = fields.Many2one("res.users", string="Taken Over By", required=True, readonly=True)
    done_by_id = fields.Many2one("res.users", string="Recorded By", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True)
    summary = fields.Text(readonly=True)
