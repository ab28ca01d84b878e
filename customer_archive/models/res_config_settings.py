from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .customer_archive_access_log import (
    DEFAULTS,
    PARAM_ALARM_ARCHIVES,
    PARAM_ALARM_DENIED,
    PARAM_ALARM_WINDOW,
    PARAM_RETENTION_DAYS,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    archive_number_format = fields.Char(related="company_id.archive_number_format", readonly=False)
    archive_sequence_padding = fields.Integer(related="company_id.archive_sequence_padding", readonly=False)
    archive_formalisation_days = fields.Integer(
        related="company_id.archive_formalisation_days", readonly=False
    )
    archive_secret_loan_hours = fields.Integer(related="company_id.archive_secret_loan_hours", readonly=False)
    archive_resource_calendar_id = fields.Many2one(
        related="company_id.resource_calendar_id", readonly=False, string="Working Calendar"
    )
    # Access log and alarms (报警机制)
    archive_alarm_archive_count = fields.Integer(
        string="Alarm: Archives per Window",
        config_parameter=PARAM_ALARM_ARCHIVES,
        default=DEFAULTS[PARAM_ALARM_ARCHIVES],
    )
    archive_alarm_denied_count = fields.Integer(
        string="Alarm: Refusals per Window",
        config_parameter=PARAM_ALARM_DENIED,
        default=DEFAULTS[PARAM_ALARM_DENIED],
    )
    archive_alarm_window_minutes = fields.Integer(
        string="Alarm Window (Minutes)",
        config_parameter=PARAM_ALARM_WINDOW,
        default=DEFAULTS[PARAM_ALARM_WINDOW],
    )
    archive_access_log_retention_days = fields.Integer(
        string="Keep the Access Log (Days)",
        config_parameter=PARAM_RETENTION_DAYS,
        default=DEFAULTS[PARAM_RETENTION_DAYS],
    )

    @api.constrains(
        "archive_alarm_archive_count",
        "archive_alarm_denied_count",
        "archive_alarm_window_minutes",
        "archive_access_log_retention_days",
    )
    def _check_access_settings(self):
        for settings in self:
            if (
                min(
                    settings.archive_alarm_archive_count,
                    settings.archive_alarm_denied_count,
                    settings.archive_alarm_window_minutes,
                    settings.archive_access_log_retention_days,
                )
                < 1
            ):
                raise ValidationError(
                    self.env._("Alarm thresholds, window and retention must be at least 1.")
                )
