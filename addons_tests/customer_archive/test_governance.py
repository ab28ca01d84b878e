import base64
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .common import CustomerArchiveCase

LATER = "2037-06-01 09:00:00"  # past the 10-year retention of basic-information archives


class GovernanceCase(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.attachment = cls.env["ir.attachment"].create(
            {"name": "card.pdf", "datas": base64.b64encode(b"%PDF archive card")}
        )
        cls.old = cls.formal_archive(name="old file")
        cls.old.document_ids[:1].attachment_ids = cls.attachment
        cls.old_secret = cls.formal_archive(name="old secret", confidentiality="secret")

    @classmethod
    def formal_archive(cls, **values):
        with freeze_time("2026-03-02 09:00:00"):
            archive = cls.create_archive(**values)
            cls.add_documents(archive)
            archive.action_formalise()
        return archive

    def destruction(self, archives, user=None):
        return (
            self.env["customer.archive.destruction"]
            .with_user(user or self.officer)
            .create(
                {
                    "line_ids": [
                        (0, 0, {"archive_id": a.id, "appraisal": "Customer gone for ten years"})
                        for a in archives
                    ]
                }
            )
        )


class TestRetentionAndReview(GovernanceCase):
    def test_retention_end_follows_the_category(self):
        self.assertEqual(self.old.retention_end_date, date(2036, 3, 2))
        contract = self.formal_archive(category=self.category_contract)
        self.assertFalse(contract.retention_end_date)  # kept permanently

    def test_review_records_and_stale_flag(self):
        with freeze_time("2027-03-05 09:00:00"):
            self.assertFalse(self.old.is_stale)
            due = self.env["customer.archive"]._cron_schedule_reviews()
            self.assertIn(self.old, due)
            self.assertNotIn(self.old, self.env["customer.archive"]._cron_schedule_reviews())
        with freeze_time("2028-03-05 09:00:00"):
            self.old.invalidate_recordset(["is_stale"])
            self.assertTrue(self.old.is_stale)
            self.assertIn(self.old, self.env["customer.archive"].search([("is_stale", "=", True)]))
            with self.assertRaises(AccessError):
                self.old.with_user(self.sales_user).action_record_review("current")
            self.old.with_user(self.officer).action_record_review("updated", "New legal representative")
            self.old.invalidate_recordset(["is_stale"])
            self.assertFalse(self.old.is_stale)
        self.assertEqual(self.old.review_ids.reviewer_id, self.officer)
        self.assertEqual(self.old.date_last_review, date(2028, 3, 5))
        with self.assertRaises(UserError):
            self.old.review_ids.with_user(self.executive).write({"outcome": "current"})

    def test_stale_filter_is_one_sql_condition_that_agrees_with_the_flag(self):
        Archive = self.env["customer.archive"]
        with freeze_time("2028-03-05 09:00:00"):
            # The search method answers with a condition on a stored date, never a list of ids.
            domain = Archive._search_is_stale("=", True)
            self.assertNotIn("id", [leaf[0] for leaf in domain if isinstance(leaf, list | tuple)])
            for operator, value in (("=", True), ("!=", True), ("=", False), ("!=", False)):
                found = Archive.search([("is_stale", operator, value), ("id", "=", self.old.id)])
                wanted = self.old.is_stale == ((operator == "=") == value)
                self.assertEqual(bool(found), wanted, (operator, value))
            self.assertTrue(self.old.is_stale)
            self.assertEqual(self.old.date_stale, date(2028, 3, 2))

    def test_legal_hold_needs_a_manager_and_a_reason(self):
        with self.assertRaises(AccessError):
            self.old.with_user(self.officer).action_set_legal_hold("Lawsuit")
        with self.assertRaises(UserError):
            self.old.with_user(self.manager).action_set_legal_hold(" ")
        self.old.with_user(self.manager).action_set_legal_hold("Lawsuit 2037-12")
        self.assertEqual((self.old.legal_hold, self.old.legal_hold_user_id), (True, self.manager))
        with self.assertRaises(UserError):
            self.old.with_user(self.executive).write({"legal_hold": False})


@freeze_time(LATER)
class TestDestruction(GovernanceCase):
    def test_destruction_from_proposal_to_register(self):
        destruction = self.destruction(self.old)
        destruction.with_user(self.officer).action_submit()
        destruction.with_user(self.manager).action_approve()
        with self.assertRaises(ValidationError):
            destruction.with_user(self.officer).action_destroy()
        destruction.with_user(self.officer).write(
            {"supervisor_id": self.manager.id, "date_planned": "2037-06-01", "method": "shredding"}
        )
        destruction.with_user(self.officer).action_destroy()
        self.assertEqual((destruction.state, self.old.state), ("done", "destroyed"))
        self.assertFalse(self.attachment.exists())
        entry = destruction.register_ids
        self.assertEqual(
            (
                entry.archive_number,
                entry.partner_name,
                entry.method,
                entry.supervisor_name,
                entry.approver_name,
            ),
            (self.old.number, self.customer.name, "shredding", self.manager.name, self.manager.name),
        )
        self.assertIn("card.pdf", entry.state_snapshot)
        # A destroyed archive is never edited, lent, shared or filled again (issue 11, evidence).
        with self.assertRaises(UserError):
            self.env["customer.archive.borrow"].with_user(self.sales_user).create(
                {
                    "archive_id": self.old.id,
                    "content": "x",
                    "purpose": "y",
                    "date_start": "2037-06-02 01:00:00",
                    "date_due": "2037-06-02 03:00:00",
                }
            )
        with self.assertRaises(UserError):
            self.env["customer.archive.share"].with_user(self.sales_user).create(
                {"archive_id": self.old.id, "purpose": "y", "date_end": "2037-07-01"}
            )
        with self.assertRaises(UserError):
            self.add_documents(self.old)
        with self.assertRaises(UserError):
            self.old.with_user(self.manager).write({"name": "renamed"})
        self.assertEqual(self.old.name, "old file")
        # The list and its certificate are final once carried out.
        certificate = (
            {"method": "incineration"},
            {"supervisor_id": self.officer.id},
            {"date_planned": "2037-06-09"},
        )
        for values in certificate:
            with self.assertRaises(UserError):
                destruction.with_user(self.officer).write(values)
        self.assertEqual((destruction.method, destruction.supervisor_id), ("shredding", self.manager))
        # Its chatter stays open: a note is not an edit.
        destruction.with_user(self.officer).message_post(body="Certificate scanned")
        for env in (self.env(user=self.executive), self.env(su=True)):
            with self.assertRaises(UserError):
                entry.with_env(env).write({"method": "incineration"})
            with self.assertRaises(UserError):
                entry.with_env(env).unlink()
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "customer_archive.action_report_destruction_certificate", destruction.ids
        )
        self.assertIn(self.old.number.encode(), html)
        self.assertIn(self.manager.name.encode(), html)

    def test_secret_lists_need_the_executive_and_nobody_approves_their_own(self):
        destruction = self.destruction(self.old_secret)
        destruction.with_user(self.officer).action_submit()
        with self.assertRaises(AccessError):
            destruction.with_user(self.manager).action_approve()
        destruction.with_user(self.executive).action_approve()
        own = self.destruction(self.old, user=self.manager)
        own.with_user(self.manager).action_submit()
        with self.assertRaises(AccessError):
            own.with_user(self.manager).action_approve()
        self.assertEqual(own.state, "submitted")

    def asked(self, destruction):
        approval = self.env.ref("customer_archive.mail_activity_type_approval")
        # sudo: every approver's activity
        return destruction.sudo().activity_ids.filtered(
            lambda activity: activity.activity_type_id == approval
        )

    def test_submitting_asks_the_approvers_of_the_level_and_the_officer_is_told(self):
        ordinary = self.destruction(self.old)
        ordinary.with_user(self.officer).action_submit()
        self.assertIn(self.manager, self.asked(ordinary).user_id)
        self.assertNotIn(self.officer, self.asked(ordinary).user_id)
        secret = self.destruction(self.old_secret)
        secret.with_user(self.officer).action_submit()
        self.assertIn(self.executive, self.asked(secret).user_id)
        self.assertNotIn(self.manager, self.asked(secret).user_id)
        secret.with_user(self.executive).action_reject("Keep it for the audit")
        self.assertFalse(self.asked(secret))
        told = secret.message_ids.filtered(lambda message: self.officer.partner_id in message.partner_ids)
        self.assertIn("Keep it for the audit", str(told.body))

    def test_a_delegation_for_lending_only_does_not_decide_destruction(self):
        deputy = new_test_user(
            self.env, "ca_gov_deputy", groups="customer_archive.group_archive_officer", name="Deputy Ke"
        )
        Delegation = self.env["customer.archive.delegation"].with_user(self.manager)
        values = {
            "delegate_id": deputy.id,
            "date_from": fields.Datetime.now() - timedelta(hours=1),
            "date_to": fields.Datetime.now() + timedelta(days=1),
            "reason": "Training week",
        }
        lending = self.env.ref("customer_archive.request_type_borrow")
        limited = Delegation.create(dict(values, request_type_ids=[(6, 0, lending.ids)]))
        destruction = self.destruction(self.old)
        destruction.with_user(self.officer).action_submit()
        self.assertNotIn(deputy, self.asked(destruction).user_id)
        with self.assertRaises(AccessError):
            destruction.with_user(deputy).action_approve()
        self.assertEqual(destruction.state, "submitted")
        limited.action_revoke()
        Delegation.create(values)
        other = self.destruction(self.formal_archive(name="another old file"))
        other.with_user(self.officer).action_submit()
        self.assertIn(deputy, self.asked(other).user_id)
        other.with_user(deputy).action_approve()
        self.assertEqual((other.state, other.approved_on_behalf_of_id), ("approved", self.manager))

    def test_guards_of_the_destruction_steps(self):
        destruction = self.destruction(self.old)
        with self.assertRaises(AccessError):
            destruction.with_user(self.sales_user).action_submit()
        with self.assertRaises(UserError):
            destruction.with_user(self.officer).action_destroy()
        self.assertEqual(destruction.state, "draft")
        destruction.with_user(self.officer).action_submit()
        destruction.with_user(self.manager).action_approve()
        destruction.with_user(self.officer).write(
            {"supervisor_id": self.officer.id, "date_planned": "2037-06-01", "method": "shredding"}
        )
        with self.assertRaises(AccessError):
            destruction.with_user(self.officer).action_destroy()
        self.assertEqual((destruction.state, self.old.state), ("approved", "formal"))

    def test_archives_that_may_not_go(self):
        young = self.formal_archive(category=self.category_contract)
        held = self.formal_archive(name="held")
        held.with_user(self.manager).action_set_legal_hold("Audit")
        for archive in (young, held):
            destruction = self.destruction(archive)
            with self.subTest(archive=archive.name), self.assertRaises(UserError):
                destruction.with_user(self.officer).action_submit()
            self.assertEqual(destruction.state, "draft")
        self.destruction(self.old)
        with self.assertRaises(ValidationError):
            self.destruction(self.old)

    def test_a_lent_archive_is_not_destroyed(self):
        self.old._workflow_write({"lent_count": 1})
        destruction = self.destruction(self.old)
        with self.assertRaises(UserError):
            destruction.with_user(self.officer).action_submit()
        self.assertEqual(self.old.state, "formal")


class TestGovernanceOverview(GovernanceCase):
    """The archive office's overview shows what its retention work needs (A12): archives whose
    retention has ended (and no legal hold stops), those under a legal hold, repairs open."""

    def counted(self, user, key):
        Dashboard = self.env["customer.archive.dashboard"].with_user(user)
        data = Dashboard.get_dashboard_data()
        counts = {tile["key"]: tile["count"] for section in data["sections"] for tile in section["tiles"]}
        action = Dashboard.action_open_tile(key)
        records = self.env[action["res_model"]].with_user(user).search(action["domain"])
        self.assertEqual(len(records), counts[key], key)
        return records

    def test_retention_ended_legal_holds_and_repairs_are_on_the_overview(self):
        held = self.formal_archive(name="held file")
        held.with_user(self.manager).action_set_legal_hold("Court case")
        damaged = (
            self.env["customer.archive.repair"]
            .sudo()  # sudo: made as the integrity check of a return makes it
            ._workflow_create([{"archive_id": self.old.id, "kind": "damaged", "description": "Page 2 torn"}])
        )
        with freeze_time(LATER):
            ended = self.counted(self.officer, "archive_retention_ended")
        self.assertIn(self.old, ended)
        self.assertNotIn(held, ended)  # a legal hold stops any disposal
        self.assertIn(held, self.counted(self.officer, "archive_legal_hold"))
        self.assertEqual(self.counted(self.officer, "repair_open") & damaged, damaged)
        # Before the retention ends, nothing of this test is counted.
        self.assertNotIn(self.old, self.counted(self.officer, "archive_retention_ended"))
        # Sales staff have none of these tiles.
        Dashboard = self.env["customer.archive.dashboard"].with_user(self.sales_user)
        keys = {
            tile["key"] for section in Dashboard.get_dashboard_data()["sections"] for tile in section["tiles"]
        }
        self.assertFalse(keys & {"archive_retention_ended", "archive_legal_hold", "repair_open"})
        with self.assertRaises(UserError):
            Dashboard.action_open_tile("repair_open")
