"""The one approval engine (issue 12), tested once through a share, called as an RPC client would:
submit → decide asks whoever acts next with one approval activity each (never the requester; the
deputy under a delegation in force), each step closes only those activities, each decision is told
to the requester in their language; a wrong role raises AccessError, a wrong state UserError, and
nothing changes. The specifics of each request type (who decides, levels, delegation by type) are
tested beside its model."""

from datetime import date, timedelta

from odoo import api, fields
from odoo.exceptions import AccessError, UserError
from odoo.service.model import get_public_method
from odoo.tests import new_test_user

from .common import CustomerArchiveCase

SHARE = "customer.archive.share"
APPROVAL = "customer_archive.mail_activity_type_approval"
EXECUTIVE = "customer_archive.group_archive_executive"
MANAGER = "customer_archive.group_archive_manager"


def rpc(user, records, method, *args):
    """Call ``method`` on ``records`` as ``user`` the way /web/dataset/call_kw does."""
    model = records.with_user(user).browse()
    get_public_method(model, method)
    return api.call_kw(model, method, [records.ids, *args], {})


class TestApprovalEngine(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archive = cls.create_archive(partner=cls.other_customer, name="Framework contract")
        cls.add_documents(cls.archive)
        cls.deputy = new_test_user(
            cls.env, "ca_engine_deputy", groups="customer_archive.group_archive_officer", name="Deputy Ma"
        )
        cls.approval = cls.env.ref(APPROVAL)

    def share(self, requester=None):
        return (
            self.env[SHARE]
            .with_user(requester or self.other_sales_user)
            .create(
                {
                    "archive_id": self.archive.id,
                    "grantee_user_ids": [(6, 0, self.sales_user.ids)],
                    "purpose": "Joint tender with the eastern region",
                    "date_end": date.today() + timedelta(days=1),
                }
            )
        )

    def asked(self, record):
        return record.sudo().activity_ids.filtered(  # sudo: every approver's activity
            lambda activity: activity.activity_type_id == self.approval
        )

    def own_to_do(self, record, user):
        return record.with_user(user).activity_schedule(
            "mail.mail_activity_data_todo", user_id=user.id, summary="Brief the team"
        )

    def snapshot(self, record):
        record.invalidate_recordset()
        return (record.state, record.approver_id, record.rejection_reason, self.asked(record).ids)

    # ------------------------------------------------------------------ who is asked
    def test_submitting_asks_each_approver_once_and_never_the_requester(self):
        share = self.share()
        rpc(self.other_sales_user, share, "action_submit")
        asked = self.asked(share)
        self.assertIn(self.manager, asked.user_id)
        self.assertIn(self.executive, asked.user_id)  # an executive is an archive manager too
        self.assertEqual(len(asked), len(asked.user_id), "one activity per person")
        self.assertNotIn(self.other_sales_user, asked.user_id)
        self.assertNotIn(self.env.ref("base.user_admin"), asked.user_id)
        self.assertTrue(all(activity.automated for activity in asked))
        # A manager's own request: the others are asked, not the manager.
        own = self.share(requester=self.manager)
        rpc(self.manager, own, "action_submit")
        self.assertIn(self.executive, self.asked(own).user_id)
        self.assertNotIn(self.manager, self.asked(own).user_id)

    def test_under_a_delegation_the_deputy_is_asked_instead_of_the_delegator(self):
        delegation = (
            self.env["customer.archive.delegation"]
            .with_user(self.manager)
            .create(
                {
                    "delegate_id": self.deputy.id,
                    "delegated_group_id": self.env.ref(MANAGER).id,
                    "date_to": fields.Datetime.now() + timedelta(days=2),
                    "reason": "Business trip to Guangzhou",
                }
            )
        )
        share = self.share()
        rpc(self.other_sales_user, share, "action_submit")
        self.assertIn(self.deputy, self.asked(share).user_id)
        self.assertNotIn(self.manager, self.asked(share).user_id)
        rpc(self.deputy, share, "action_approve")
        self.assertEqual(
            (share.approver_id, share.approved_on_behalf_of_id, share.approval_delegation_id),
            (self.deputy, self.manager, delegation),
        )
        self.assertFalse(self.asked(share))
        # Revoked, it asks nobody in the delegator's place any more.
        delegation.with_user(self.manager).action_revoke()
        again = self.share()
        rpc(self.other_sales_user, again, "action_submit")
        self.assertIn(self.manager, self.asked(again).user_id)
        self.assertNotIn(self.deputy, self.asked(again).user_id)

    # ------------------------------------------------------------------ steps keep own to-dos
    def test_each_step_closes_only_the_approval_activities(self):
        for step in ("action_approve", "action_reject", "action_cancel"):
            with self.subTest(step=step):
                share = self.share()
                mine = self.own_to_do(share, self.other_sales_user)
                rpc(self.other_sales_user, share, "action_submit")
                self.assertTrue(self.asked(share))
                theirs = self.own_to_do(share, self.manager)
                if step == "action_approve":
                    rpc(self.manager, share, step)
                elif step == "action_reject":
                    rpc(self.manager, share, step, "Not needed for the tender")
                else:
                    rpc(self.other_sales_user, share, step)
                self.assertFalse(self.asked(share))
                self.assertTrue(mine.exists())
                self.assertTrue(theirs.exists())

    # ------------------------------------------------------------------ the requester is told
    def test_a_decision_is_told_to_the_requester_in_their_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_archive", "customer_credit"], ["zh_CN"], overwrite=True
        )
        self.other_sales_user.lang = "zh_CN"
        self.manager.lang = "en_US"
        share = self.share()
        rpc(self.other_sales_user, share, "action_submit")
        rpc(self.manager, share, "action_approve")
        told = share.sudo().message_ids.filtered(  # sudo: the chatter as stored
            lambda message: self.other_sales_user.partner_id in message.partner_ids
        )
        self.assertEqual(len(told), 1)
        self.assertIn("已批准", str(told.body))
        self.assertIn(self.manager.name, str(told.body))
        refused = self.share()
        rpc(self.other_sales_user, refused, "action_submit")
        rpc(self.manager, refused, "action_reject", "Tender withdrawn")
        told = refused.sudo().message_ids.filtered(  # sudo: as above
            lambda message: self.other_sales_user.partner_id in message.partner_ids
        )
        self.assertIn("已驳回", str(told.body))
        self.assertIn("Tender withdrawn", str(told.body))

    # ------------------------------------------------------------------ guards
    def test_a_wrong_role_raises_access_error_and_changes_nothing(self):
        share = self.share()
        # Submitting is the requester's (or a manager's): another salesperson is refused.
        with self.assertRaises(AccessError):
            rpc(self.sales_user, share, "action_submit")
        self.assertEqual(share.state, "draft")
        rpc(self.other_sales_user, share, "action_submit")
        before = self.snapshot(share)
        for user, method, args in (
            (self.sales_user, "action_approve", ()),
            (self.officer, "action_approve", ()),
            (self.officer, "action_reject", ("No",)),
            (self.other_sales_user, "action_approve", ()),  # the requester
            (self.sales_user, "action_cancel", ()),
        ):
            with self.subTest(user=user.login, method=method), self.assertRaises(AccessError):
                rpc(user, share, method, *args)
            self.assertEqual(self.snapshot(share), before)
        # The engine's own steps are not callable over RPC at all.
        for method in ("_approval_decide", "_approval_advance", "_approval_ask"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                rpc(self.manager, share, method, "approve", ("submitted",), "approved")
        self.assertEqual(self.snapshot(share), before)

    def test_who_asked_is_not_rewritten(self):
        share = self.share()
        for user in (self.other_sales_user, self.officer, self.manager):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                share.with_user(user).write({"requester_id": self.manager.id})
        share.invalidate_recordset()
        self.assertEqual(share.requester_id, self.other_sales_user)
        share.with_user(self.other_sales_user).write({"requester_id": self.other_sales_user.id})

    def test_the_requester_cannot_decide_even_as_an_approver(self):
        share = self.share(requester=self.manager)
        rpc(self.manager, share, "action_submit")
        before = self.snapshot(share)
        with self.assertRaises(AccessError):
            rpc(self.manager, share, "action_approve")
        self.assertEqual(self.snapshot(share), before)

    def test_a_wrong_state_raises_user_error_and_changes_nothing(self):
        share = self.share()
        for user, method, args in (
            (self.manager, "action_approve", ()),
            (self.manager, "action_reject", ("Too early",)),
        ):
            with self.subTest(method=method), self.assertRaises(UserError):
                rpc(user, share, method, *args)
            self.assertEqual(self.snapshot(share), ("draft", self.env["res.users"], False, []))
        rpc(self.other_sales_user, share, "action_submit")
        rpc(self.manager, share, "action_approve")
        before = self.snapshot(share)
        for user, method, args in (
            (self.executive, "action_approve", ()),
            (self.executive, "action_reject", ("Changed my mind",)),
            (self.other_sales_user, "action_submit", ()),
            (self.other_sales_user, "action_cancel", ()),
        ):
            with self.subTest(method=method), self.assertRaises(UserError):
                rpc(user, share, method, *args)
            self.assertEqual(self.snapshot(share), before)

    def test_a_refusal_needs_its_reason(self):
        share = self.share()
        rpc(self.other_sales_user, share, "action_submit")
        before = self.snapshot(share)
        with self.assertRaises(UserError):
            rpc(self.manager, share, "action_reject", "  ")
        self.assertEqual(self.snapshot(share), before)

    def test_the_refusal_window_runs_the_requests_own_refusal(self):
        share = self.share()
        rpc(self.other_sales_user, share, "action_submit")
        action = rpc(self.manager, share, "action_open_refusal")
        Wizard = self.env[action["res_model"]].with_user(self.manager).with_context(action["context"])
        wizard = Wizard.create({"reason": "Tender withdrawn"})
        self.assertEqual(wizard.record_name, share.display_name)
        # Its guards apply: the requester cannot refuse through it either.
        with self.assertRaises(AccessError):
            Wizard.with_user(self.other_sales_user).create({"reason": "Mine"}).action_confirm()
        rpc(self.manager, wizard, "action_confirm")
        self.assertEqual((share.state, share.rejection_reason), ("rejected", "Tender withdrawn"))
        # Only requests of the engine are refused through it.
        stranger = Wizard.create({"res_model": "res.partner", "res_id": self.customer.id, "reason": "x"})
        with self.assertRaises(UserError):
            stranger.action_confirm()

    # ------------------------------------------------------------------ who decides by level
    def test_secret_and_above_is_decided_by_an_executive(self):
        Share = self.env[SHARE]
        for level, group in (
            ("ordinary", MANAGER),
            ("secret", EXECUTIVE),
            ("confidential", EXECUTIVE),
            ("top_secret", EXECUTIVE),
        ):
            record = Share.new({"confidentiality_rank": Share._confidentiality_rank_of(level)})
            with self.subTest(level=level):
                self.assertEqual(record._approval_group_by_level(), group)
