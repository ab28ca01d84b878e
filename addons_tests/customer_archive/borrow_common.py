from datetime import datetime, timedelta

from odoo.tests import new_test_user

from .common import CustomerArchiveCase

# A Monday; the company works 08:00-17:00 Shanghai time (00:00-09:00 UTC), Monday to Friday.
MONDAY_9AM_UTC = datetime(2026, 11, 30, 1, 0, 0)  # 09:00 in Shanghai
END_OF_MONDAY_WORK = datetime(2026, 11, 30, 9, 0, 0)  # 17:00 in Shanghai


class BorrowCase(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        calendar = cls.env["resource.calendar"].create(
            {
                "name": "8-17 Shanghai",
                "tz": "Asia/Shanghai",
                "attendance_ids": [
                    (0, 0, {"name": f"day {day}", "dayofweek": str(day), "hour_from": 8, "hour_to": 17})
                    for day in range(5)
                ],
            }
        )
        cls.company.resource_calendar_id = calendar
        # Cleared for everything, so that the level rules, not the clearance, are what is tested.
        cls.sales_user.archive_clearance = "top_secret"
        cls.deputy = new_test_user(
            cls.env, "ca_deputy", groups="customer_archive.group_archive_officer", name="Deputy Wu"
        )
        cls.deputy.archive_clearance = "secret"
        cls.ordinary = cls._archive_with_documents("ordinary")
        cls.secret = cls._archive_with_documents("secret")
        cls.confidential = cls._archive_with_documents("confidential")
        cls.top_secret = cls._archive_with_documents("top_secret")
        cls.Borrow = cls.env["customer.archive.borrow"]
        cls.env.flush_all()
        cls.env.cr.precommit.clear()

    @classmethod
    def _archive_with_documents(cls, level):
        archive = cls.create_archive(confidentiality=level, name=f"{level} archive")
        cls.add_documents(archive)
        return archive

    def request(self, archive, user=None, request_type="borrow", start=MONDAY_9AM_UTC, hours=4, **values):
        return self.Borrow.with_user(user or self.sales_user).create(
            {
                "archive_id": archive.id,
                "request_type": request_type,
                "content": "Contract and acceptance records",
                "purpose": "After-sales service visit",
                "date_start": start,
                "date_due": start + timedelta(hours=hours),
                **values,
            }
        )
