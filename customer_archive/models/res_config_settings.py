from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    archive_number_format = fields.Char(related="company_id.archive_number_format", readonly=False)
    archive_sequence_padding = fields.Integer(related="company_id.archive_sequence_padding", readonly=False)
    archive_formalisation_days = fields.Integer(
        related="company_id.archive_formalisation_days", readonly=False
    )
    archive_resource_calendar_id = fields.Many2one(
        related="company_id.resource_calendar_id", readonly=False, string="Working Calendar"
    )
