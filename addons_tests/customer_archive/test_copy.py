"""Duplicating a record either gives a new draft (a new number, no history, nothing the workflow
recorded) or is not offered (the form hides Duplicate, ``copy`` says why): never an unexpected error
(issue #12, item 8). Called as an RPC client would, by the lowest role that uses each form."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED
from .workflow_values_common import WorkflowValuesMixin

NOW = MONDAY_9AM_UTC - timedelta(minutes=30)
FORMS = "customer_archive.customer_archive_%s_view_form"


@freeze_time(NOW)
class TestCopy(WorkflowValuesMixin, BorrowCase):
    def test_an_archive_copy_is_a_new_temporary_archive_with_its_own_number(self):
        archive = self.ordinary
        archive.cabinet_id = self.cabinet
        archive.with_user(self.officer).action_formalise()
        archive.with_user(self.officer).action_record_review("current")
        archive.with_user(self.manager).action_set_legal_hold("Court case")
        copy = archive.with_user(self.officer).copy()
        self.assertRecordValues(
            copy,
            [
                {
                    "state": "temporary",
                    "partner_id": archive.partner_id.id,
                    "category_id": archive.category_id.id,
                    "department_id": archive.department_id.id,
                    "date_opened": NOW.date(),
                    "date_formalised": False,
                    "date_last_review": False,
                    "legal_hold": False,
                    "cabinet_id": False,
                    "lent_count": 0,
                }
            ],
        )
        self.assertNotEqual(copy.number, archive.number)
        series = archive.number.rsplit("-", 1)[0]
        self.assertTrue(copy.number.startswith(f"{NOW.year}-{self.department.code}-"), copy.number)
        self.assertTrue(series)
        self.assertFalse(copy.document_ids)
        self.assertFalse(copy.sudo().review_ids)
        self.assertFalse(copy.borrow_ids)
        self.assert_form_offers_copy("customer_archive.customer_archive_view_form")

    def test_requests_copy_as_new_drafts(self):
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        copy = request.with_user(self.sales_user).copy()
        self.assertRecordValues(copy, [{"state": "draft", "approver_id": False, "approval_date": False}])
        self.assertNotEqual(copy.name, request.name)
        self.assertGreater(copy.date_due, copy.date_start)
        self.assert_form_offers_copy(FORMS % "borrow")
        for name in ("share", "destruction"):
            self.assert_form_offers_copy(FORMS % name)

    def test_route_copies(self):
        route = self.env["customer.archive.route"].search([], limit=1)
        if route:
            user = self.env.ref("base.user_admin")
            self.assertTrue(route.with_user(user).copy())
        self.assert_form_offers_copy(FORMS % "route")

    def test_what_is_not_duplicated_says_so(self):
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        request.with_user(self.officer).action_lend(**SIGNED)
        request.with_user(self.officer).action_return("damaged", "Torn")
        repair = request.with_user(self.officer).repair_ids
        key_log = (
            self.env["customer.archive.cabinet.key.log"]
            .with_user(self.officer)
            .create({"cabinet_id": self.cabinet.id, "key": "office", "purpose": "File"})
        )
        delegation = (
            self.env["customer.archive.delegation"]
            .with_user(self.manager)
            .create({"delegate_id": self.deputy.id, "date_to": NOW + timedelta(days=1), "reason": "Trip"})
        )
        register = (
            self.env["customer.archive.destruction.register"]
            .sudo()
            ._workflow_create([{"company_id": self.company.id, "archive_number": "2001-TST-0001"}])
        )
        report, _created = self.env["customer.archive.monthly.report"]._get_or_create(
            self.company, fields.Date.today().replace(day=1)
        )
        alarm = (
            self.env["customer.archive.access.alarm"]
            .sudo()
            .create(
                {
                    "user_id": self.sales_user.id,
                    "kind": "denied",
                    "count": 5,
                    "window_start": NOW,
                    "raised_at": NOW,
                }
            )
        )
        for record, user, view in (
            (self.ordinary.document_ids[:1], self.officer, FORMS % "document"),
            (repair, self.officer, FORMS % "repair"),
            (key_log, self.officer, FORMS % "cabinet_key_log"),
            (delegation, self.manager, FORMS % "delegation"),
            (register.with_env(self.env), self.officer, FORMS % "destruction_register"),
            (self.cabinet, self.manager, FORMS % "cabinet"),
            (self.category_basic, self.manager, FORMS % "category"),
            (report, self.manager, FORMS % "monthly_report"),
            (alarm.with_env(self.env), self.manager, FORMS % "access_alarm"),
        ):
            with self.subTest(model=record._name):
                self.assert_copy_refused(record, user, view)
