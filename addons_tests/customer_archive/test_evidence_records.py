"""Evidence records (key log, reviews, handovers, destruction register, access log) share one mixin:
made only by their workflow, never changed, never deleted, never duplicated (issue #12, item 4)."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import CustomerArchiveCase

MIXIN = "customer.archive.evidence.mixin"


class TestEvidenceRecords(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archive = cls.create_archive(confidentiality="secret", name="Supply contract")
        cls.admin = cls.env.ref("base.user_admin")

    # ------------------------------------------------------------------ helpers
    def assert_frozen(self, record, users, values):
        """``record`` refuses ``values``, a deletion and a copy from each of ``users`` and from the
        superuser, and keeps what it had."""
        names = list(values)
        before = record.sudo().read(names)
        for user in users:
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    record.with_user(user).write(values)
                with self.assertRaises(UserError):
                    record.with_user(user).unlink()
                with self.assertRaises(UserError):
                    record.with_user(user).copy()
        with self.assertRaises(UserError):
            record.sudo().write(values)  # sudo: not even the superuser changes evidence
        with self.assertRaises(UserError):
            record.sudo().unlink()  # sudo: as above
        record.invalidate_recordset()
        self.assertTrue(record.exists())
        self.assertEqual(record.sudo().read(names), before)

    def review(self):
        self.archive.with_user(self.officer).action_record_review("current", note="All there")
        return self.env["customer.archive.review"].search([("archive_id", "=", self.archive.id)])

    # ------------------------------------------------------------------ the mixin
    def test_every_evidence_model_uses_the_one_mixin(self):
        expected = {
            "customer.archive.cabinet.key.log",
            "customer.archive.review",
            "customer.archive.handover",
            "customer.archive.destruction.register",
            "customer.archive.access.log",
        }
        using = set(self.env.registry[MIXIN]._inherit_children)
        self.assertLessEqual(expected, using)
        for name in expected:
            with self.subTest(model=name):
                cls = type(self.env[name])
                # No copy of the guards of its own: write and deletion come from the mixin.
                own = [
                    klass
                    for klass in cls.__mro__
                    if name in (klass.__dict__.get("_name"), klass.__dict__.get("_inherit"))
                ]
                self.assertTrue(own)
                self.assertFalse([klass for klass in own if {"write", "unlink"} & set(klass.__dict__)])

    # ------------------------------------------------------------------ key log
    def test_key_log_entered_by_the_officer_stamped_by_the_system(self):
        Log = self.env["customer.archive.cabinet.key.log"].with_user(self.officer)
        log = Log.create(
            {
                "cabinet_id": self.cabinet.id,
                "key": "office",
                "purpose": "File archives",
                # A form sends its defaults: who and when are the real ones anyway.
                "user_id": self.manager.id,
                "date": "2020-01-01 08:00:00",
            }
        )
        self.assertEqual(log.user_id, self.officer)
        self.assertGreater(log.date, datetime(2025, 1, 1))
        with self.assertRaises(UserError):
            Log.create({"cabinet_id": self.cabinet.id, "key": "office", "purpose": "x", "company_id": 1})
        with self.assertRaises(AccessError):
            self.env["customer.archive.cabinet.key.log"].with_user(self.sales_user).create(
                {"cabinet_id": self.cabinet.id, "key": "office", "purpose": "x"}
            )
        self.assert_frozen(
            log, (self.officer, self.manager, self.executive, self.admin), {"purpose": "changed"}
        )

    # ------------------------------------------------------------------ reviews
    def test_reviews_come_from_the_review_step_only(self):
        with self.assertRaises(UserError):
            self.env["customer.archive.review"].with_user(self.officer).create(
                {"archive_id": self.archive.id, "outcome": "current"}
            )
        with self.assertRaises(UserError):  # not even the superuser, outside the review step
            self.env["customer.archive.review"].create({"archive_id": self.archive.id, "outcome": "current"})
        self.assertFalse(self.env["customer.archive.review"].search([("archive_id", "=", self.archive.id)]))
        review = self.review()
        self.assertEqual((review.reviewer_id, review.outcome), (self.officer, "current"))
        self.assert_frozen(
            review, (self.officer, self.manager, self.executive), {"outcome": "to_close", "note": "x"}
        )

    # ------------------------------------------------------------------ handovers
    def test_handovers_come_from_the_wizard_only(self):
        values = {
            "from_user_id": self.sales_user.id,
            "to_user_id": self.other_sales_user.id,
            "done_by_id": self.manager.id,
            "date": fields.Datetime.now(),
        }
        for user in (self.manager, self.executive):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self.env["customer.archive.handover"].with_user(user).create(values)
        # sudo: the handover wizard writes it as the system
        handover = self.env["customer.archive.handover"].sudo()._workflow_create([values])
        self.assert_frozen(
            handover.with_env(self.env), (self.manager, self.executive), {"summary": "nothing"}
        )

    # ------------------------------------------------------------------ destruction register
    def test_the_destruction_register_is_written_by_destructions_only(self):
        values = {"company_id": self.company.id, "archive_number": "2020-TST-0001"}
        for user in (self.officer, self.manager, self.executive):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self.env["customer.archive.destruction.register"].with_user(user).create(values)
        register = self.env["customer.archive.destruction.register"].sudo()._workflow_create([values])
        self.assert_frozen(
            register.with_env(self.env), (self.manager, self.executive), {"archive_number": "2020-TST-0002"}
        )

    # ------------------------------------------------------------------ access log
    def test_the_access_log_is_kept_until_its_retention_ends(self):
        self.archive.with_user(self.officer).read(["number"])
        Log = self.env["customer.archive.access.log"]
        entry = Log.search([("user_id", "=", self.officer.id), ("archive_id", "=", self.archive.id)])
        self.assertEqual(len(entry), 1)
        with self.assertRaises(AccessError):
            Log.with_user(self.manager).create({"user_id": self.manager.id, "action": "read"})
        self.assert_frozen(entry, (self.manager, self.executive), {"details": "edited"})
        # Retention is the one way out: the scheduled action, and the workflow's own deletion.
        entry.sudo()._workflow_unlink()
        self.assertFalse(entry.exists())
        old = Log.sudo().create(
            {"user_id": self.officer.id, "action": "read", "logged_at": datetime.now() - timedelta(days=5000)}
        )
        Log._cron_purge_expired()
        self.assertFalse(old.exists())
