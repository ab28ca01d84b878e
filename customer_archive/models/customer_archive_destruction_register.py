from odoo import fields, models

from .customer_archive_access_logged_mixin import REGISTER
from .customer_archive_confidentiality_mixin import CONFIDENTIALITY_LEVELS
from .customer_archive_destruction import DESTRUCTION_METHODS


class CustomerArchiveDestructionRegister(models.Model):
    """The permanent destruction register (销毁清册): what was destroyed, approved and supervised by
    whom, how and when. Nobody edits or deletes it, administrators included."""

    _name = "customer.archive.destruction.register"
    _description = "Destruction Register"
    _inherit = ["customer.archive.evidence.mixin", "customer.archive.access.logged.mixin"]
    _order = "date_destroyed desc, id desc"
    # Its rows describe destroyed archives as text: exported, they are logged as themselves.
    _archive_access_log = REGISTER
    _rec_name = "archive_number"

    destruction_id = fields.Many2one("customer.archive.destruction", string="Destruction List", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    archive_number = fields.Char(required=True, readonly=True)
    partner_name = fields.Char(string="Customer", readonly=True)
    category_name = fields.Char(string="Category", readonly=True)
    confidentiality = fields.Selection(CONFIDENTIALITY_LEVELS, readonly=True)
    date_opened = fields.Date(readonly=True)
    date_formalised = fields.Date(readonly=True)
    retention_end_date = fields.Date(readonly=True)
    appraisal = fields.Text(readonly=True)
    approver_name = fields.Char(string="Approved By", readonly=True)
    approved_on_behalf_of_name = fields.Char(string="On Behalf Of", readonly=True)
    supervisor_name = fields.Char(string="Supervisor", readonly=True)
    officer_name = fields.Char(string="Carried Out By", readonly=True)
    method = fields.Selection(DESTRUCTION_METHODS, readonly=True)
    date_destroyed = fields.Date(readonly=True)
    state_snapshot = fields.Text(string="Archive Before Destruction", readonly=True)
