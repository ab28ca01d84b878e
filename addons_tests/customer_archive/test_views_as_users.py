"""What the web client does when a user opens our menus: load the views, then read the records
with the fields the views show. A field the user may not read would break the screen."""

from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED


def _fields_of(arch):
    return {
        node.get("name") for node in etree.fromstring(arch).iter("field") if node.getparent().tag != "groupby"
    }


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestScreensOpen(BorrowCase):
    def _open(self, user, records, view_types=("list", "form")):
        model = records.with_user(user)
        views = model.get_views([(False, view_type) for view_type in view_types])
        for view_type in view_types:
            arch = views["views"][view_type]["arch"]
            readable = [name for name in _fields_of(arch) if name in model._fields]
            spec = {name: {} for name in readable}
            result = (
                model.web_read(spec)
                if view_type == "form"
                else model.web_search_read([("id", "in", records.ids)], spec)["records"]
            )
            self.assertEqual(len(result), len(records), f"{records._name} {view_type} as {user.login}")

    def test_sales_user_screens(self):
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        self._open(self.sales_user, self.ordinary, ("list", "form", "kanban"))
        self._open(self.sales_user, request)
        self._open(self.sales_user, self.customer, ("form",))
        self._open(self.sales_user, self.card_of(self.customer))
        self._open(self.sales_user, self.ordinary.document_ids)

    def test_officer_and_manager_screens(self):
        request = self.request(self.ordinary, request_type="photocopy")
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        request.with_user(self.officer).action_lend(**SIGNED)
        request.with_user(self.officer).action_return("damaged", "torn", copy_count=1, copy_pages=2)
        for user in (self.officer, self.manager):
            self._open(user, request)
            self._open(user, self.ordinary)
            self._open(user, request.with_user(self.officer).repair_ids)
            self._open(user, self.cabinet)
            self._open(user, self.customer, ("form",))
            self._open(user, self.card_of(self.customer))
        report, _created = self.env["customer.archive.monthly.report"]._get_or_create(
            self.company, MONDAY_9AM_UTC.date().replace(day=1)
        )
        self._open(self.manager, report)
        delegation = (
            self.env["customer.archive.delegation"]
            .with_user(self.executive)
            .create(
                {
                    "delegate_id": self.deputy.id,
                    "date_to": MONDAY_9AM_UTC + timedelta(days=1),
                    "reason": "away",
                }
            )
        )
        self._open(self.deputy, delegation)
        self._open(self.executive, delegation)
