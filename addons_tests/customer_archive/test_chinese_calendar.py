from datetime import date, datetime

from odoo.exceptions import AccessError

from .common import CustomerArchiveCase


class TestChineseCalendar(CustomerArchiveCase):
    """Working days follow China's public holiday schedule: public holidays (法定节假日) are
    Odoo's global time off, make-up working days (调休上班) are worked; the 2026 schedule ships
    with the addon, administrators enter the others."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        calendar = cls.env["resource.calendar"].create(
            {
                "name": "Mon-Fri 8-17",
                "tz": "Asia/Shanghai",
                "attendance_ids": [
                    (0, 0, {"name": f"day {day}", "dayofweek": str(day), "hour_from": 8, "hour_to": 17})
                    for day in range(5)
                ],
            }
        )
        cls.company.resource_calendar_id = calendar

    def test_2026_schedule_ships_with_the_addon(self):
        spring = self.env.ref("customer_archive.holiday_2026_spring_festival")
        self.assertFalse(spring.resource_id)
        self.assertEqual(spring.date_from, datetime(2026, 2, 14, 16, 0))
        workdays = self.env["customer.archive.workday"].search([("date", ">=", "2026-01-01")])
        self.assertEqual(
            sorted(workdays.mapped("date")),
            [
                date(2026, 1, 4),
                date(2026, 2, 14),
                date(2026, 2, 28),
                date(2026, 5, 9),
                date(2026, 9, 20),
                date(2026, 10, 10),
            ],
        )

    def test_working_days_skip_holidays_and_count_make_up_days(self):
        company = self.company
        # Friday 13 February 2026 + 1 working day: Saturday 14th is worked (春节调休).
        self.assertEqual(company._archive_add_working_days(date(2026, 2, 13), 1), date(2026, 2, 14))
        # From the 14th: the Spring Festival runs 15–23 February; the next working day is the 24th.
        self.assertEqual(company._archive_add_working_days(date(2026, 2, 14), 1), date(2026, 2, 24))
        # National Day: from Wednesday 30 September, 1–7 October off, Saturday 10th worked.
        self.assertEqual(company._archive_add_working_days(date(2026, 9, 30), 1), date(2026, 10, 8))
        self.assertEqual(company._archive_add_working_days(date(2026, 9, 30), 3), date(2026, 10, 10))
        # An ordinary week is untouched: Friday 27 November + 5 working days = Friday 4 December.
        self.assertEqual(company._archive_add_working_days(date(2026, 11, 27), 5), date(2026, 12, 4))

    def test_loans_out_after_hours_are_due_on_the_next_working_day(self):
        company = self.company
        # Friday 13 February 2026, 20:00 in Shanghai (12:00 UTC): after hours; the next working day
        # is the make-up Saturday, whose work ends at 17:00 (09:00 UTC).
        self.assertEqual(
            company._archive_end_of_working_day(datetime(2026, 2, 13, 12, 0)), datetime(2026, 2, 14, 9, 0)
        )
        # Saturday 14th at 20:00: the holiday week follows; due on Tuesday 24th at 17:00.
        self.assertEqual(
            company._archive_end_of_working_day(datetime(2026, 2, 14, 12, 0)), datetime(2026, 2, 24, 9, 0)
        )

    def test_an_administrator_enters_a_make_up_day_others_cannot(self):
        Workday = self.env["customer.archive.workday"]
        values = {"date": "2027-02-20", "name": "春节调休上班"}
        with self.assertRaises(AccessError):
            Workday.with_user(self.manager).create(values)
        self.assertFalse(Workday.search([("date", "=", "2027-02-20")]))
        admin = self.env.ref("base.user_admin")
        Workday.with_user(admin).create(values)
        # Saturday 20 February 2027 is now a working day: from Friday 19th, one working day later.
        self.assertEqual(self.company._archive_add_working_days(date(2027, 2, 19), 1), date(2027, 2, 20))
        # Managers read them (the deadlines they are shown depend on them).
        self.assertTrue(Workday.with_user(self.manager).search([("date", "=", "2027-02-20")]))
