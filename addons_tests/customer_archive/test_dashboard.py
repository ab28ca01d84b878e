from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED

BEFORE_WORK = MONDAY_9AM_UTC - timedelta(minutes=30)  # Monday 30 November 2026, 08:30 in Shanghai
AFTERNOON = datetime(2026, 11, 30, 6, 0, 0)  # 14:00 in Shanghai


class TestArchiveDashboard(BorrowCase):
    """The archive office overview counts, with each user's rights, what the lists it opens show."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.archive_formalisation_days = 5
        cls.Dashboard = cls.env["customer.archive.dashboard"]
        with freeze_time(BEFORE_WORK):
            cls._make_data()
        cls.env.flush_all()
        cls.env.cr.precommit.clear()

    @classmethod
    def _make_data(cls):
        def request(archive, user, hours, **values):
            return cls.request(cls, archive, user=user, hours=hours, **values)

        def lend(req):
            req.with_user(req.requester_id).action_submit()
            req.with_user(cls.manager).action_approve()
            req.with_user(cls.officer).action_lend(**SIGNED)
            return req

        other_archive = cls.create_archive(partner=cls.other_customer, name="Other's file")
        cls.add_documents(other_archive)
        # Lending: one request to decide per salesperson, two loans (one due at 13:00), copies out.
        cls.to_decide = request(cls.ordinary, cls.sales_user, 4)
        cls.to_decide.with_user(cls.sales_user).action_submit()
        cls.other_to_decide = request(other_archive, cls.other_sales_user, 4)
        cls.other_to_decide.with_user(cls.other_sales_user).action_submit()
        cls.lent_late = lend(request(cls._archive_with_documents("ordinary"), cls.sales_user, 4))
        cls.lent_on_time = lend(request(cls._archive_with_documents("ordinary"), cls.sales_user, 7))
        cls.copies_out = lend(
            request(cls._archive_with_documents("ordinary"), cls.sales_user, 4, request_type="photocopy")
        )
        cls.copies_out.with_user(cls.officer).action_return(copy_count=1, copy_pages=3)
        # Formalisation: 5 working days after the completion documents; "near" is 2 working days.
        cls.deadline_today = cls._received(cls.create_archive(name="Due today"), "2026-11-23")
        cls.deadline_passed = cls._received(cls.create_archive(name="Late"), "2026-11-16")
        cls.deadline_later = cls._received(cls.create_archive(name="Later"), "2026-11-30")
        # Stale: never reviewed since 2020; one above the officer's clearance, one of another salesperson.
        cls.stale = cls.create_archive(name="Old", date_opened="2020-01-06")
        cls.stale_top_secret = cls.create_archive(
            name="Old top secret", date_opened="2020-01-06", confidentiality="top_secret"
        )
        cls.stale_other = cls.create_archive(
            partner=cls.other_customer, name="Old other", date_opened="2020-01-06"
        )

    @classmethod
    def _received(cls, archive, day):
        archive.with_user(cls.officer).action_receive_completion_documents(day)
        return archive

    def tiles(self, user):
        data = self.Dashboard.with_user(user).get_dashboard_data()
        return {tile["key"]: tile["count"] for section in data["sections"] for tile in section["tiles"]}

    def listed(self, user, key):
        """The records of the list a tile opens, checked against the tile's count."""
        action = self.Dashboard.with_user(user).action_open_tile(key)
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertFalse(action["context"], "no default filter of the menu's action on top of the tile")
        records = self.env[action["res_model"]].with_user(user).search(action["domain"])
        self.assertEqual(len(records), self.tiles(user)[key], key)
        return records.sudo()  # sudo: compared with records the test made, whoever may read them

    @freeze_time(AFTERNOON)
    def test_sales_staff_see_their_own_requests_and_customers(self):
        self.assertEqual(
            self.tiles(self.sales_user),
            {
                "borrow_to_decide": 1,
                "borrow_lent": 2,
                "borrow_overdue": 1,
                "borrow_copies_out": 1,
                "archive_deadline_near": 1,
                "archive_formalisation_overdue": 1,
                "archive_stale": 2,
            },
        )
        expected = {
            "borrow_to_decide": self.to_decide,
            "borrow_lent": self.lent_late | self.lent_on_time,
            "borrow_overdue": self.lent_late,
            "borrow_copies_out": self.copies_out,
            "archive_deadline_near": self.deadline_today,
            "archive_formalisation_overdue": self.deadline_passed,
            "archive_stale": self.stale | self.stale_top_secret,  # cleared for top secret
        }
        for key, records in expected.items():
            with self.subTest(key=key):
                self.assertEqual(self.listed(self.sales_user, key), records)
        other = self.tiles(self.other_sales_user)
        self.assertEqual((other["borrow_to_decide"], other["borrow_lent"], other["archive_stale"]), (1, 0, 1))
        self.assertEqual(self.listed(self.other_sales_user, "archive_stale"), self.stale_other)

    @freeze_time(AFTERNOON)
    def test_the_archive_office_sees_everything_within_its_clearance(self):
        mine = {
            "borrow_to_decide": (
                self.to_decide | self.other_to_decide,
                self.to_decide | self.other_to_decide,
            ),
            "borrow_overdue": (self.lent_late | self.lent_on_time, self.lent_late),
            "archive_stale": (
                self.stale | self.stale_top_secret | self.stale_other,
                self.stale | self.stale_other,
            ),
        }
        for key, (created, expected) in mine.items():
            with self.subTest(key=key):
                self.assertEqual(self.listed(self.officer, key) & created, expected)
        self.assertEqual(self.listed(self.officer, "borrow_lent") & self.lent_late, self.lent_late)
        self.assertGreaterEqual(self.tiles(self.officer)["archive_stale"], 2)

    @freeze_time(BEFORE_WORK)
    def test_loans_are_overdue_only_after_their_due_time(self):
        self.assertEqual(self.tiles(self.sales_user)["borrow_overdue"], 0)

    def test_users_without_archive_rights_get_no_tile(self):
        self.assertEqual(
            self.Dashboard.with_user(self.plain_user).get_dashboard_data(), {"sections": [], "charts": []}
        )
        with self.assertRaises(UserError):
            self.Dashboard.with_user(self.plain_user).action_open_tile("borrow_overdue")

    @freeze_time(AFTERNOON)
    def test_counting_costs_the_same_whatever_the_number_of_records(self):
        Dashboard = self.Dashboard.with_user(self.officer)
        Dashboard.get_dashboard_data()  # warm the caches (record rules, translations)
        self.env.invalidate_all()
        with self.assertQueryCount(QUERIES):
            Dashboard.get_dashboard_data()
        for _i in range(20):
            self.create_archive(name="Old", date_opened="2020-01-06")
            self.request(self.ordinary, start=AFTERNOON).with_user(self.sales_user).action_submit()
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(QUERIES):
            data = Dashboard.get_dashboard_data()
        counts = {tile["key"]: tile["count"] for section in data["sections"] for tile in section["tiles"]}
        self.assertGreaterEqual(counts["archive_stale"], 22)
        self.assertGreaterEqual(counts["borrow_to_decide"], 22)

    def test_shares_and_alarms_show_to_those_who_decide_on_them(self):
        share = (
            self.env["customer.archive.share"]
            .with_user(self.sales_user)
            .create(
                {
                    "archive_id": self.ordinary.id,
                    "grantee_user_ids": [(6, 0, self.other_sales_user.ids)],
                    "purpose": "Joint visit",
                    "date_end": datetime(2026, 12, 31).date(),
                }
            )
        )
        share.with_user(self.sales_user).action_submit()
        self.env["customer.archive.access.alarm"].create(
            {
                "user_id": self.sales_user.id,
                "kind": "denied",
                "raised_at": AFTERNOON,
                "window_start": BEFORE_WORK,
                "count": 5,
                "threshold": 5,
            }
        )
        self.assertNotIn("share_to_decide", self.tiles(self.sales_user))
        self.assertNotIn("access_alarms", self.tiles(self.officer))
        self.assertEqual(self.listed(self.officer, "share_to_decide"), share)
        self.assertEqual(self.tiles(self.manager)["access_alarms"], 1)
        self.assertEqual(len(self.listed(self.manager, "access_alarms")), 1)

    def test_the_overview_is_the_apps_first_screen_and_its_assets_load(self):
        root = self.env.ref("customer_archive.customer_archive_menu_root")
        action = self.env.ref("customer_archive.customer_archive_dashboard_action")
        menus = self.env["ir.ui.menu"].with_user(self.sales_user).load_web_menus(debug=False)
        self.assertEqual(menus[root.id]["actionID"], action.id)
        bundle = self.env["ir.qweb"]._get_asset_bundle("web.assets_backend")
        scripts = {asset.url: asset for asset in bundle.javascripts}
        script = scripts["/customer_archive/static/src/dashboard/dashboard.js"]
        self.assertIn("odoo.define('@customer_archive/dashboard/dashboard'", script.content)
        self.assertIn(f'registry.category("actions").add("{action.tag}"', script.content)
        self.assertIn("customer_archive.Dashboard", bundle.generate_xml_bundle())
        self.assertIn(
            "/customer_archive/static/src/dashboard/dashboard.scss",
            [asset.url for asset in bundle.stylesheets],
        )
        bundle.css()  # compiles the backend's SCSS with the overview's
        self.assertFalse(bundle.css_errors)


# Queries of one overview: one count per tile (the stale archives by their stored date), the
# working time for the near-deadline tile (calendar, attendances, public holidays, make-up days).
QUERIES = 24
