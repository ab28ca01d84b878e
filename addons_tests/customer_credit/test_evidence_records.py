"""Credit evidence (limit history, events credit control records) shares the archive's evidence mixin;
what the credit workflows record is read-only on every path; a copy is a new draft or is refused and
hidden (issue #12, items 3, 4 and 8)."""

from datetime import timedelta

from lxml import etree

from odoo import Command
from odoo.exceptions import UserError

from .credit_common import CreditCase

MIXIN = "customer.archive.evidence.mixin"
FORMS = "customer_credit.customer_credit_%s_view_form"


class TestCreditEvidence(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.credit_user  # sales staff apply for credit for their own customers
        cls.history = cls.customer.with_user(cls.credit_manager)._credit_change_limit(
            1000, 30, "Initial limit"
        )

    # ------------------------------------------------------------------ helpers
    def assert_recorded(self, record, user, values, create_values=None):
        """Refused to ``user`` by write, import and (with ``create_values``) create; an onchange
        saves nothing; nothing changes."""
        names = list(values)
        before = record.sudo().read(names)
        Model = record.with_user(user)
        count = Model.sudo().search_count([])
        for name, value in values.items():
            with self.subTest(field=name, path="write"), self.assertRaises(UserError):
                Model.write({name: value})
            if record._fields[name].type in ("char", "text", "integer", "float", "monetary", "selection"):
                with self.subTest(field=name, path="load"):
                    result = Model.load([".id", name], [[str(record.id), str(value)]])
                    self.assertFalse(result["ids"], result)
            if create_values is not None:
                with self.subTest(field=name, path="create"), self.assertRaises(UserError):
                    Model.browse().create(dict(create_values, **{name: value}))
        Model.onchange(dict(values), [], {name: {} for name in names})
        record.invalidate_recordset()
        self.assertEqual(record.sudo().read(names), before)
        self.assertEqual(Model.sudo().search_count([]), count)

    def assert_copy_refused(self, record, user, view_xmlid):
        count = record.sudo().search_count([])
        with self.assertRaises(UserError) as refused:
            record.with_user(user).copy()
        self.assertIs(type(refused.exception), UserError)  # a clear refusal, not a missing right
        self.assertEqual(record.sudo().search_count([]), count)
        self.assertEqual(etree.fromstring(self.env.ref(view_xmlid).arch).get("duplicate"), "0")

    def assert_form_offers_copy(self, view_xmlid):
        self.assertNotIn(etree.fromstring(self.env.ref(view_xmlid).arch).get("duplicate"), ("0", "false"))

    def held_order(self, amount=1500):
        order = (
            self.env["sale.order"]
            .with_user(self.credit_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_a.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                                "tax_id": [],
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        return order, order.sudo().credit_hold_ids  # sudo: the accounting test user has no credit rights

    # ------------------------------------------------------------------ item 4
    def test_limit_history_and_system_events_are_evidence(self):
        self.assertLessEqual(
            {"customer.credit.limit.history", "customer.credit.event"},
            set(self.env.registry[MIXIN]._inherit_children),
        )
        history = self.history
        self.assertEqual((history.new_limit, history.approver_id), (1000, self.credit_manager))
        values = {
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "new_limit": 99999,
            "reason": "By hand",
            "approver_id": self.credit_manager.id,
        }
        for user in (self.credit_officer, self.credit_manager):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self.env["customer.credit.limit.history"].with_user(user).create(values)
        with self.assertRaises(UserError):
            self.env["customer.credit.limit.history"].sudo().create(values)  # sudo: not even the superuser
        for user in (self.credit_officer, self.credit_manager):
            for action in (
                lambda record: record.write({"new_limit": 5}),
                lambda record: record.unlink(),
                lambda record: record.copy(),
            ):
                with self.subTest(user=user.login), self.assertRaises(UserError):
                    action(history.with_user(user))
        with self.assertRaises(UserError):
            history.sudo().write({"reason": "rewritten"})  # sudo: not even the superuser
        with self.assertRaises(UserError):
            history.sudo().unlink()  # sudo: as above
        self.assertEqual((history.new_limit, history.reason), (1000, "Initial limit"))

        order, hold = self.held_order()
        hold.with_user(self.credit_manager).action_release("Paid in advance")
        event = (
            self.env["customer.credit.event"]
            .with_user(self.credit_officer)
            .search([("sale_order_id", "=", order.id)])
        )
        self.assertTrue(event.is_system)
        for user in (self.credit_officer, self.credit_manager):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    event.with_user(user).write({"amount": 1})
                with self.assertRaises(UserError):
                    event.with_user(user).unlink()
                self.assert_copy_refused(event, user, FORMS % "event")
        with self.assertRaises(UserError):
            event.sudo().write({"description": "Nothing happened"})  # sudo: not even the superuser
        # Chatter is not the event: a note may still come.
        event.with_user(self.credit_officer).message_post(body="Customer called")
        # An event entered by hand is the officer's: changed until it is closed, never deleted.
        manual = (
            self.env["customer.credit.event"]
            .with_user(self.credit_officer)
            .create({"partner_id": self.customer.id, "event_type": "reward", "description": "Prompt payer"})
        )
        manual.with_user(self.credit_officer).write({"description": "Prompt payer, two years"})
        with self.assertRaises(UserError):
            manual.with_user(self.credit_officer).unlink()

    # ------------------------------------------------------------------ items 3 and 8
    def test_application_workflow_values_and_copy(self):
        Application = self.env["customer.credit.application"].with_user(self.credit_user)
        request = {"partner_id": self.customer.id, "requested_limit": 8000, "reason": "New contract"}
        application = Application.create(dict(request))
        application.action_submit()
        application.with_user(self.credit_officer).action_review("Good payer")
        application.with_user(self.credit_manager).action_approve(
            6000, 30, self.today, self.today + timedelta(days=365), "Open account"
        )
        recorded = {
            "granted_limit": 99999,
            "granted_term_days": 90,
            "valid_to": self.today + timedelta(days=3650),
            "reviewer_id": self.credit_user.id,
            "review_note": "fine",
            "approver_id": self.credit_user.id,
            "approval_date": application.approval_date - timedelta(days=1),
            "grant_method": "cash",
            "state": "draft",
            "name": "SX/0",
        }
        for user in (self.credit_user, self.credit_officer, self.credit_manager):
            with self.subTest(user=user.login):
                self.assert_recorded(application, user, recorded)
        draft = Application.create(dict(request))
        self.assert_recorded(draft, self.credit_user, recorded, request)
        copy = application.with_user(self.credit_user).copy()
        self.assertRecordValues(
            copy,
            [
                {
                    "state": "draft",
                    "requested_limit": 8000,
                    "granted_limit": 0,
                    "reviewer_id": False,
                    "approver_id": False,
                    "valid_to": False,
                    "requester_id": self.credit_user.id,
                }
            ],
        )
        self.assertNotEqual(copy.name, application.name)
        self.assert_form_offers_copy(FORMS % "application")

    def test_evaluation_workflow_values_and_copy(self):
        Evaluation = self.env["customer.credit.evaluation"].with_user(self.credit_officer)
        values = {
            "partner_id": self.customer.id,
            "scorecard_id": self.scorecard.id,
            "risk_plan": "Cash on delivery",
            "risk_plan_review_date": self.today,
        }
        evaluation = Evaluation.create(values)
        for line in evaluation.line_ids.filtered(lambda line: line.kind == "manual"):
            line.score = 80
        evaluation.action_submit()
        evaluation.with_user(self.credit_manager).action_approve()
        recorded = {"state": "draft", "approver_id": self.credit_officer.id, "total_score": 100}
        self.assert_recorded(evaluation, self.credit_officer, recorded, values)
        # Its scores stay: no line moves into it, none of its lines is rewritten.
        draft = Evaluation.create(values)
        line = draft.line_ids.filtered(lambda line: line.kind == "manual")[:1]
        with self.assertRaises(UserError):
            line.with_user(self.credit_officer).write({"evaluation_id": evaluation.id})
        with self.assertRaises(UserError):
            evaluation.line_ids[:1].with_user(self.credit_officer).write({"score": 0})
        self.assertEqual(line.evaluation_id, draft)
        copy = evaluation.with_user(self.credit_officer).copy()
        self.assertRecordValues(copy, [{"state": "draft", "approver_id": False, "date": self.today}])
        self.assertEqual(copy.line_ids.indicator_id, evaluation.line_ids.indicator_id)
        self.assertNotEqual(copy.line_ids, evaluation.line_ids)
        self.assert_form_offers_copy(FORMS % "evaluation")

    def test_holds_are_never_rewritten_nor_duplicated(self):
        _order, hold = self.held_order()
        recorded = {
            "state": "released",
            "reason": "fine",
            "order_amount": 1,
            "exposure": 0,
            "credit_limit": 10**6,
        }
        for user in (self.credit_officer, self.credit_manager):
            with self.subTest(user=user.login):
                self.assert_recorded(hold, user, recorded)
                self.assert_copy_refused(hold, user, FORMS % "hold")
        with self.assertRaises(UserError):
            hold.with_user(self.credit_manager).write({"approver_id": self.credit_manager.id})
        self.assertEqual(hold.state, "pending")
        # Who asked is not rewritten afterwards either (found by an RPC attack: a credit officer
        # could name anyone as the requester of any hold, decided ones included).
        requester = hold.requester_id
        for user in (self.credit_officer, self.credit_manager):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                hold.with_user(user).write({"requester_id": user.id})
        hold.invalidate_recordset()
        self.assertEqual(hold.requester_id, requester)
        # Writing the same requester back (a form saving it unchanged) passes.
        hold.with_user(self.credit_manager).write({"requester_id": requester.id})

    def test_scorecards_copy(self):
        copy = self.scorecard.with_user(self.credit_manager).copy()
        self.assertEqual(copy.indicator_ids.mapped("name"), self.scorecard.indicator_ids.mapped("name"))
        self.assert_form_offers_copy(FORMS % "scorecard")
