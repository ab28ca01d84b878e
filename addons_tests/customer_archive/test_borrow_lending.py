import threading
import time
from datetime import timedelta

import psycopg2
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED

NOW = MONDAY_9AM_UTC - timedelta(minutes=30)


@freeze_time(NOW)
class TestPhotocopy(BorrowCase):
    def lent_photocopy(self, copies_may_leave=False):
        request = self.request(self.ordinary, request_type="photocopy")
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve(copies_may_leave=copies_may_leave)
        request.with_user(self.officer).action_lend(**SIGNED)
        request.with_user(self.officer).action_return("complete", copy_count=3, copy_pages=12)
        return request

    def test_photocopy_closes_only_when_copies_are_verified(self):
        request = self.lent_photocopy()
        self.assertEqual((request.copy_count, request.copy_pages), (3, 12))
        self.assertFalse(request.copies_may_leave)
        with self.assertRaises(UserError):
            request.with_user(self.officer).action_close()
        self.assertEqual(request.state, "returned")
        request.with_user(self.officer).action_verify_copies()
        self.assertEqual(request.state, "done")
        self.assertEqual(request.copies_verified_by_id, self.officer)

    def test_approver_releases_copies_for_outside_use(self):
        request = self.lent_photocopy(copies_may_leave=True)
        self.assertTrue(request.copies_may_leave)
        with self.assertRaises(AccessError):
            request.with_user(self.officer).action_release_copies()
        request.with_user(self.manager).action_release_copies()
        self.assertEqual(request.copies_released_by_id, self.manager)
        request.with_user(self.officer).action_close()
        self.assertEqual(request.state, "done")

    def test_a_borrow_has_no_copies_to_verify_or_release(self):
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve(copies_may_leave=True)
        self.assertFalse(request.copies_may_leave)
        with self.assertRaises(UserError):
            request.with_user(self.manager).action_release_copies()


@freeze_time(NOW)
class TestSingleLoan(BorrowCase):
    def approved(self, archive, documents=None):
        values = {"document_ids": [(6, 0, documents.ids)]} if documents else {}
        request = self.request(archive, **values)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        return request

    def test_an_archive_out_cannot_be_lent_again(self):
        first, second = self.approved(self.ordinary), self.approved(self.ordinary)
        first.with_user(self.officer).action_lend(**SIGNED)
        with self.assertRaises(UserError):
            second.with_user(self.officer).action_lend(**SIGNED)
        self.assertEqual(second.state, "approved")
        self.assertEqual(self.ordinary.lent_count, 1)
        first.with_user(self.officer).action_return()
        second.with_user(self.officer).action_lend(**SIGNED)
        self.assertEqual(second.state, "lent")

    def test_different_documents_of_one_archive_can_be_out_together(self):
        documents = self.ordinary.document_ids
        first = self.approved(self.ordinary, documents[:1])
        second = self.approved(self.ordinary, documents[1:2])
        whole = self.approved(self.ordinary)
        first.with_user(self.officer).action_lend(**SIGNED)
        second.with_user(self.officer).action_lend(**SIGNED)
        self.assertEqual(self.ordinary.lent_count, 2)
        with self.assertRaises(UserError):
            whole.with_user(self.officer).action_lend(**SIGNED)


@freeze_time(NOW)
class TestDamage(BorrowCase):
    def test_damage_creates_a_repair_and_notifies_managers(self):
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        request.with_user(self.officer).action_lend(**SIGNED)
        with self.assertRaises(UserError):
            request.with_user(self.officer).action_return("damaged")
        request.with_user(self.officer).action_return("damaged", "Cover torn")
        repair = request.with_user(self.officer).repair_ids
        self.assertEqual(
            (repair.kind, repair.state, repair.description), ("damaged", "to_repair", "Cover torn")
        )
        self.assertEqual(set(self.ordinary.document_ids.mapped("condition")), {"damaged"})
        self.assertIn(self.manager, repair.activity_ids.user_id)
        with self.assertRaises(UserError):
            self.env["customer.archive.repair"].with_user(self.officer).create(
                {"archive_id": self.ordinary.id, "kind": "damaged", "description": "x"}
            )
        with self.assertRaises(AccessError):
            repair.with_user(self.sales_user).action_mark_repaired()
        repair.with_user(self.officer).action_mark_repaired()
        self.assertEqual(repair.state, "repaired")
        self.assertEqual(set(self.ordinary.document_ids.mapped("condition")), {"good"})
        with self.assertRaises(UserError):
            repair.with_user(self.officer).action_mark_lost()

    def test_the_officer_names_the_damaged_documents_of_a_whole_archive_loan(self):
        self.assertGreater(len(self.ordinary.document_ids), 1)
        torn, *intact = self.ordinary.document_ids
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        request.with_user(self.officer).action_lend(**SIGNED)
        outsider = self.secret.document_ids[:1]
        for damaged, result in ((outsider.ids, "damaged"), (torn.ids, "complete")):
            with self.subTest(result=result), self.assertRaises(UserError):
                request.with_user(self.officer).action_return(
                    result, "Cover torn", damaged_document_ids=damaged
                )
        self.assertEqual(request.state, "lent")
        # The take-back window lists each document lent: the officer marks the torn one.
        wizard = (
            self.env["customer.archive.borrow.return.wizard"]
            .with_user(self.officer)
            .create({"borrow_id": request.id, "integrity_note": "Cover torn"})
        )
        self.assertEqual(wizard.line_ids.document_id, self.ordinary.document_ids)
        wizard.line_ids.filtered(lambda line: line.document_id == torn).integrity_result = "damaged"
        self.assertEqual(wizard.integrity_result, "damaged")
        wizard.action_confirm()
        self.assertEqual(request.integrity_result, "damaged")
        repair = request.with_user(self.officer).repair_ids
        self.assertEqual(repair.document_ids, torn)
        self.assertEqual(torn.condition, "damaged")
        self.assertEqual({doc.condition for doc in intact}, {"good"})

    def test_missing_items_are_recorded_lost(self):
        document = self.ordinary.document_ids[:1]
        request = self.request(self.ordinary, document_ids=[(6, 0, document.ids)])
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        request.with_user(self.officer).action_lend(**SIGNED)
        request.with_user(self.officer).action_return("missing", "Licence copy not returned")
        request.with_user(self.officer).repair_ids.action_mark_lost()
        self.assertEqual(document.condition, "missing")
        self.assertEqual((self.ordinary.document_ids - document).mapped("condition"), ["good"])


class TestConcurrentLending(BorrowCase):
    """Two officers hand out the same archive at the same moment, on separate connections."""

    def _setup_committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
            department = env["customer.archive.department"].create({"name": "Race", "code": "RACE"})
            archive = env["customer.archive"].create(
                {
                    "partner_id": env.ref("base.main_partner").id,
                    "category_id": env.ref("customer_archive.category_basic").id,
                    "department_id": department.id,
                    # Not this year: the test's own transaction holds this year's number counter.
                    "date_opened": "2098-01-05",
                }
            )
            env["customer.archive.document"].create(
                {"archive_id": archive.id, "type_id": env.ref("customer_archive.document_type_basic_card").id}
            )
            now = env.cr.now().replace(tzinfo=None)
            requests = env["customer.archive.borrow"].create(
                [
                    {
                        "archive_id": archive.id,
                        "content": "race",
                        "purpose": "race",
                        "date_start": now,
                        "date_due": now + timedelta(hours=8),
                    }
                    for _ in range(2)
                ]
            )
            requests._workflow_write({"state": "approved"})
            return department.id, archive.id, requests.ids

    def _lend(self, cr, request_id):
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        env["customer.archive.borrow"].browse(request_id).action_lend(**SIGNED)

    def test_two_hand_outs_never_both_succeed(self):
        department_id, archive_id, (first_id, second_id) = self._setup_committed()
        outcome = {}

        def second_officer():
            for _attempt in range(5):  # like Odoo's RPC layer: retry on a serialization failure
                cr = self.registry.cursor()
                try:
                    self._lend(cr, second_id)
                    cr.commit()
                    outcome["second"] = "lent"
                    return
                except psycopg2.errors.SerializationFailure:
                    cr.rollback()
                    outcome["retried"] = True
                except UserError as error:
                    cr.rollback()
                    outcome["second"] = str(error)
                    return
                finally:
                    cr.close()

        first_cr = self.registry.cursor()
        try:
            self._lend(first_cr, first_id)
            thread = threading.Thread(target=second_officer)
            thread.start()
            time.sleep(1.0)
            self.assertTrue(thread.is_alive())  # waiting for the first hand-out
            first_cr.commit()
            thread.join(30)
        finally:
            first_cr.close()
            with self.registry.cursor() as cr:
                cr.execute(
                    "SELECT state FROM customer_archive_borrow WHERE id IN %s ORDER BY id",
                    [(first_id, second_id)],
                )
                states = [row[0] for row in cr.fetchall()]
                cr.execute("SELECT lent_count FROM customer_archive WHERE id = %s", [archive_id])
                lent_count = cr.fetchone()[0]
                cr.execute("DELETE FROM customer_archive_borrow WHERE id IN %s", [(first_id, second_id)])
                cr.execute("DELETE FROM customer_archive_document WHERE archive_id = %s", [archive_id])
                cr.execute("DELETE FROM customer_archive WHERE id = %s", [archive_id])
                cr.execute("DELETE FROM customer_archive_department WHERE id = %s", [department_id])
                cr.execute("DELETE FROM customer_archive_number_counter WHERE year = 2098")
        self.assertTrue(outcome.get("retried"))
        self.assertIn("already lent", outcome.get("second", ""))
        self.assertEqual(states, ["lent", "approved"])
        self.assertEqual(lent_count, 1)
