from odoo import api, fields, models


class CustomerArchiveWorkday(models.Model):
    """A make-up working day (调休上班日): a weekend day that China's public holiday schedule
    makes a working day, so that a holiday week is bridged. Odoo's working calendars know public
    holidays (global time off) but not extra working days; deadlines, loan due times and overdue
    flags count these days as working days with the hours of a Monday of the calendar (see
    ``res.company._archive_work_intervals``). Entered each year by an administrator with the
    public holidays, or loaded from the schedule the addon ships."""

    _name = "customer.archive.workday"
    _description = "Make-up Working Day"
    _order = "date desc"
    _rec_name = "date"

    date = fields.Date(required=True, index=True)
    name = fields.Char(string="Reason", required=True, translate=True, help="e.g. 春节调休上班")
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="The working calendar this day is worked on; empty: every calendar of the company.",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    _sql_constraints = [
        (
            "date_calendar_unique",
            "UNIQUE NULLS NOT DISTINCT (company_id, calendar_id, date)",
            "This day is already a make-up working day.",
        )
    ]

    @api.depends("date", "name")
    def _compute_display_name(self):
        for day in self:
            day.display_name = f"{day.date} {day.name or ''}".strip() if day.date else day.name
