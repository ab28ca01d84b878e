import re
import string
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .customer_archive_number_counter import SEQUENCE_MARK

NUMBER_PLACEHOLDERS = {"year", "department", "category", "sequence"}
DEFAULT_NUMBER_FORMAT = "{year}-{department}-{sequence}"


class ResCompany(models.Model):
    _inherit = "res.company"

    archive_number_format = fields.Char(
        default=DEFAULT_NUMBER_FORMAT,
        required=True,
        help="Pattern of new archive numbers. Placeholders: {year}, {department}, "
        "{category}, {sequence}. {year} and {sequence} are required because the "
        "sequence restarts every year.",
    )
    archive_sequence_padding = fields.Integer(default=4, required=True)
    archive_formalisation_days = fields.Integer(
        default=5,
        required=True,
        help="Working days allowed between receiving the completion documents and "
        "turning a temporary archive into a formal one.",
    )

    archive_secret_loan_hours = fields.Integer(
        string="Secret Loan Hours",
        default=4,
        required=True,
        help="Longest loan of a secret archive, from the hand-out (the company rules say four hours).",
    )

    @api.constrains("archive_secret_loan_hours")
    def _check_archive_secret_loan_hours(self):
        for company in self:
            if not 1 <= company.archive_secret_loan_hours <= 24:
                raise ValidationError(self.env._("A secret loan lasts between 1 and 24 hours."))

    @api.constrains("archive_number_format", "archive_sequence_padding", "archive_formalisation_days")
    def _check_archive_number_format(self):
        for company in self:
            used = set(re.findall(r"{(\w*)}", company.archive_number_format or ""))
            unknown = used - NUMBER_PLACEHOLDERS
            if unknown:
                raise ValidationError(
                    self.env._(
                        "Unknown placeholder(s) in the archive number format: %(names)s. "
                        "Use {year}, {department}, {category} and {sequence}.",
                        names=", ".join(sorted(unknown)),
                    )
                )
            if not {"year", "sequence"} <= used:
                raise ValidationError(
                    self.env._("The archive number format must contain {year} and {sequence}.")
                )
            if not 1 <= company.archive_sequence_padding <= 10:
                raise ValidationError(self.env._("The sequence padding must be between 1 and 10 digits."))
            if company.archive_formalisation_days < 1:
                raise ValidationError(
                    self.env._("The formalisation period must be at least one working day.")
                )

    def _archive_number_series(self, year, department_code, category_code):
        """The number series of an archive opened in ``year`` in that department and category: the
        company's number format with all but the sequence filled in (e.g. ``2026-SAL-{sequence}``).
        Each series has its own counter, so that it has no gaps (断号). Returns a str."""
        self.ensure_one()
        return self.archive_number_format.format(
            year=year,
            department=department_code or "",
            category=category_code or "",
            sequence=SEQUENCE_MARK,
        )

    def _archive_format_number(self, year, department_code, category_code, sequence):
        self.ensure_one()
        return self.archive_number_format.format(
            year=year,
            department=department_code or "",
            category=category_code or "",
            sequence=str(sequence).zfill(self.archive_sequence_padding),
        )

    def _archive_parse_number(self, number, department_code, category_code):
        """Read an archive number written outside the system (an imported paper register)
        against the company's number format, for the given department and category codes.

        Returns ``(year, sequence)`` as integers, or None when the number does not follow the
        format (other codes, a year that is not four digits, a sequence shorter than the padding).
        """
        self.ensure_one()
        values = {"department": department_code or "", "category": category_code or ""}
        pattern, seen = [], set()
        for literal, name, _spec, _conversion in string.Formatter().parse(self.archive_number_format):
            pattern.append(re.escape(literal))
            if name is None:
                continue
            if name in values:
                pattern.append(re.escape(values[name]))
            elif name in seen:
                pattern.append(f"(?P={name})")
            elif name == "year":
                pattern.append(r"(?P<year>\d{4})")
            else:
                pattern.append(rf"(?P<sequence>\d{{{self.archive_sequence_padding},}})")
            seen.add(name)
        match = re.fullmatch("".join(pattern), number or "")
        if not match:
            return None
        return int(match["year"]), int(match["sequence"])

    def _archive_tz(self):
        """The company's time zone: its working calendar's (else its address's), never the server's
        nor that of whoever runs a scheduled action."""
        self.ensure_one()
        return pytz.timezone(self.resource_calendar_id.tz or self.partner_id.tz or "UTC")

    def _archive_today(self):
        """Today's date in the company's time zone: what the company's day rules count from."""
        self.ensure_one()
        return pytz.utc.localize(fields.Datetime.now()).astimezone(self._archive_tz()).date()

    def _archive_for_reader(self, records, user=None):
        """``records`` in the context of what the server writes for people (activities, e-mails,
        chatter notes, alarms): in the language of ``user``, the recipient (the company's when
        they have none), and in the company's time zone, cutoffs included. Without ``user`` (a
        chatter note, a stored text everybody reads): the current language, else the company's, so
        that what a scheduled action or a data import writes reads in the company's language.

        Returns ``records`` with that context; ``res.company._archive_for_reader`` is the one place
        where the language and time of server-made output are chosen."""
        self.ensure_one()
        lang = (user.lang if user else self.env.lang) or self._archive_lang()
        return records.with_context(lang=lang, tz=self._archive_tz().zone)

    def _archive_work_intervals(self, start, stop):
        """The working time of the company between ``start`` and ``stop`` (aware datetimes), as a
        sorted list of ``(begin, end)`` aware UTC datetimes.

        The one home of "when does the company work": the attendances of its working calendar
        minus public holidays (Odoo's global time off, 法定节假日), plus the make-up working days
        (调休上班, ``customer.archive.workday``) worked with the hours of a Monday. Without a
        calendar: every day, all day."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            return [(start.astimezone(pytz.utc), stop.astimezone(pytz.utc))]
        tz = self._archive_tz()
        intervals = [
            (begin.astimezone(pytz.utc), end.astimezone(pytz.utc))
            for begin, end, _meta in calendar._work_intervals_batch(start, stop)[False]
        ]
        monday = calendar.attendance_ids.filtered(
            lambda attendance: attendance.dayofweek == "0"
            and attendance.day_period != "lunch"
            and not attendance.display_type
        )
        workdays = (
            self.env["customer.archive.workday"]
            .sudo()  # sudo: the make-up working days only, whoever asks for a deadline
            .search(
                [
                    ("company_id", "=", self.id),
                    ("calendar_id", "in", [False, calendar.id]),
                    ("date", ">=", start.astimezone(tz).date()),
                    ("date", "<=", stop.astimezone(tz).date()),
                ]
            )
        )
        worked = {begin.astimezone(tz).date() for begin, _end in intervals}
        for day in set(workdays.mapped("date")) - worked:
            for attendance in monday:
                begin = tz.localize(datetime.combine(day, time.min) + timedelta(hours=attendance.hour_from))
                end = tz.localize(datetime.combine(day, time.min) + timedelta(hours=attendance.hour_to))
                begin, end = max(begin, start), min(end, stop)
                if begin < end:
                    intervals.append((begin.astimezone(pytz.utc), end.astimezone(pytz.utc)))
        return sorted(intervals)

    def _archive_working_days(self, start, stop):
        """The local dates with working time between ``start`` and ``stop`` (aware), in order,
        each with the end of its working time (aware UTC): ``[(date, end), ...]``."""
        tz = self._archive_tz()
        day_ends = {}
        for _begin, end in self._archive_work_intervals(start, stop):
            day = end.astimezone(tz).date()
            day_ends[day] = max(day_ends.get(day, end), end)
        return sorted(day_ends.items())

    def _archive_end_of_working_day(self, moment):
        """End of the working day of ``moment`` (naive UTC), as naive UTC: the end of the last
        attendance of that day on the company's calendar (public holidays excluded, make-up
        working days included). After the end of the day's work, or on a day without work, the
        end of the next working day: a loan handed out after hours is due when the next working
        day ends, never overdue at hand-out."""
        self.ensure_one()
        tz = self._archive_tz()
        moment_utc = pytz.utc.localize(moment)
        local_day = moment_utc.astimezone(tz).date()
        if not self.resource_calendar_id:
            return self._archive_end_of_day(moment)
        # One look at the calendar for the coming weeks: the first day whose work ends after now.
        start = tz.localize(datetime.combine(local_day, time.min))
        stop = tz.localize(datetime.combine(local_day + timedelta(days=31), time.max))
        later = [end for _day, end in self._archive_working_days(start, stop) if end > moment_utc]
        if not later:
            return self._archive_end_of_day(moment)
        return later[0].astimezone(pytz.utc).replace(tzinfo=None)

    def _archive_lang(self):
        """The language of what the server makes for the company (reports, titles): the company's
        own, else the current one."""
        self.ensure_one()
        return self.partner_id.lang or self.env.lang or "en_US"

    def _archive_end_of_day(self, moment):
        """Midnight at the end of the calendar day of ``moment`` (naive UTC), as naive UTC."""
        self.ensure_one()
        tz = self._archive_tz()
        local_day = pytz.utc.localize(moment).astimezone(tz).date()
        return tz.localize(datetime.combine(local_day, time.max)).astimezone(pytz.utc).replace(tzinfo=None)

    def _archive_add_working_days(self, start_date, days):
        """Return the date that is ``days`` working days after ``start_date``.

        The single place for working-day arithmetic: it follows the company's working time
        (``_archive_work_intervals``: calendar, public holidays, make-up working days).
        ``start_date`` itself does not count.
        """
        self.ensure_one()
        if not self.resource_calendar_id or days <= 0:
            return start_date + timedelta(days=days)
        tz = self._archive_tz()
        first = start_date + timedelta(days=1)
        span = days * 2 + 30  # weekends and the longest holiday week fit in
        for _attempt in range(10):
            start = tz.localize(datetime.combine(first, time.min))
            stop = tz.localize(datetime.combine(first + timedelta(days=span), time.max))
            working = self._archive_working_days(start, stop)
            if len(working) >= days:
                return working[days - 1][0]
            span *= 2
        return start_date + timedelta(days=days)
