"""What the workflow records (counts, results, who and when) is read-only to every RPC caller, the
request's own requester included: write, create, import, onchange, copy (issue #12, item 3)."""

from datetime import timedelta

from freezegun import freeze_time

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED
from .workflow_values_common import WorkflowValuesMixin

NOW = MONDAY_9AM_UTC - timedelta(minutes=30)


@freeze_time(NOW)
class TestRecordedValues(WorkflowValuesMixin, BorrowCase):
    def returned_photocopy(self):
        request = self.request(self.ordinary, request_type="photocopy")
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        request.with_user(self.officer).action_lend(**SIGNED)
        request.with_user(self.officer).action_return("damaged", "Page 3 torn", copy_count=3, copy_pages=12)
        return request

    def test_lending_request(self):
        request = self.returned_photocopy()
        recorded = {
            "copy_count": 0,
            "copy_pages": 0,
            "integrity_result": "complete",
            "integrity_note": "fine",
            "approver_id": self.sales_user.id,
            "approval_date": NOW,
            "lent_by_id": self.sales_user.id,
            "date_lent": NOW,
            "date_returned": NOW,
            "received_by_id": self.sales_user.id,
            "copies_returned": True,
            "copies_may_leave": True,
            "state": "done",
            "name": "JY/0000",
        }
        for user in (self.sales_user, self.officer, self.manager):
            with self.subTest(user=user.login):
                self.assert_recorded(request, user, recorded)
        draft = self.request(self.ordinary)
        create_values = {
            "archive_id": self.ordinary.id,
            "content": "Contract",
            "purpose": "Visit",
            "date_start": MONDAY_9AM_UTC,
            "date_due": MONDAY_9AM_UTC + timedelta(hours=2),
        }
        self.assert_recorded(draft, self.sales_user, recorded, create_values)
        # A copy is a new draft of the copier: nothing recorded comes along.
        copy = request.with_user(self.sales_user).copy()
        self.assertRecordValues(
            copy,
            [
                {
                    "state": "draft",
                    "requester_id": self.sales_user.id,
                    "copy_count": 0,
                    "integrity_result": False,
                    "approver_id": False,
                    "date_lent": False,
                    "date_returned": False,
                    "copies_may_leave": False,
                    "date_start": NOW,
                }
            ],
        )
        self.assertNotEqual(copy.name, request.name)
        self.assertFalse(copy.repair_ids)

    def test_share(self):
        share = (
            self.env["customer.archive.share"]
            .with_user(self.sales_user)
            .create(
                {
                    "archive_id": self.ordinary.id,
                    "grantee_user_ids": [(6, 0, self.other_sales_user.ids)],
                    "purpose": "Joint visit",
                    "date_end": NOW.date() + timedelta(days=5),
                }
            )
        )
        share.with_user(self.sales_user).action_submit()
        share.with_user(self.manager).action_approve()
        recorded = {
            "shared_document_ids": [(6, 0, [])],
            "approver_id": self.sales_user.id,
            "approval_date": NOW,
            "revoked_by_id": self.sales_user.id,
            "date_revoked": NOW,
            "state": "revoked",
            "name": "GX/0000",
        }
        create_values = {
            "archive_id": self.ordinary.id,
            "purpose": "x",
            "date_end": NOW.date() + timedelta(days=5),
        }
        self.assert_recorded(share, self.sales_user, recorded, create_values)
        copy = share.with_user(self.sales_user).copy()
        self.assertRecordValues(
            copy,
            [
                {
                    "state": "draft",
                    "approver_id": False,
                    "shared_document_ids": [],
                    "requester_id": self.sales_user.id,
                }
            ],
        )

    def test_destruction_list_repair_and_delegation(self):
        destruction = (
            self.env["customer.archive.destruction"]
            .with_user(self.officer)
            .create({"line_ids": [(0, 0, {"archive_id": self.ordinary.id, "appraisal": "Customer gone"})]})
        )
        recorded = {
            "state": "approved",
            "approver_id": self.officer.id,
            "date_done": NOW.date(),
            "name": "XH/0",
        }
        self.assert_recorded(destruction, self.officer, recorded, {})
        copy = destruction.with_user(self.officer).copy()
        self.assertRecordValues(copy, [{"state": "draft", "approver_id": False, "date_done": False}])
        self.assertFalse(copy.line_ids)

        request = self.returned_photocopy()
        repair = request.with_user(self.officer).repair_ids
        self.assertEqual(repair.kind, "damaged")
        self.assert_recorded(
            repair,
            self.officer,
            {
                "state": "repaired",
                "repaired_by_id": self.officer.id,
                "date_done": NOW,
                "kind": "missing",
                "archive_id": self.secret.id,
                "borrow_id": False,
            },
        )

        delegation = (
            self.env["customer.archive.delegation"]
            .with_user(self.manager)
            .create(
                {
                    "delegate_id": self.deputy.id,
                    "date_from": NOW,
                    "date_to": NOW + timedelta(days=2),
                    "reason": "Trip",
                }
            )
        )
        self.assert_recorded(
            delegation,
            self.manager,
            {"state": "revoked", "revoked_by_id": self.manager.id, "date_revoked": NOW},
            {"delegate_id": self.deputy.id, "date_to": NOW + timedelta(days=1), "reason": "Trip"},
        )
