from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .credit_common import CreditCase


class TestScorecard(CreditCase):
    def test_weights_sum_to_100(self):
        indicator = self.scorecard.indicator_ids[:1]
        with self.assertRaises(ValidationError):
            self.scorecard.with_user(self.credit_manager).write(
                {"indicator_ids": [(1, indicator.id, {"weight": indicator.weight + 5})]}
            )
        self.assertEqual(self.scorecard.total_weight, 100)
        with self.assertRaises(ValidationError):
            self.env["customer.credit.scorecard"].with_user(self.credit_manager).create(
                {"name": "Bad", "indicator_ids": [(0, 0, {"name": "Only", "weight": 60, "kind": "manual"})]}
            )

    def test_grades_refuse_negative_limits_and_terms(self):
        grade = self.grades[:1]
        for values in ({"default_credit_limit": -1}, {"credit_term_days": -5}, {"min_score": 120}):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                grade.write(values)


class TestEvaluation(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice(cls.customer, 1000, days_ago=400, due_days=30)  # first invoice over a year ago, unpaid
        cls.invoice(cls.customer, 3000, days_ago=10)

    def evaluate(self, user=None, **values):
        return (
            self.env["customer.credit.evaluation"]
            .with_user(user or self.credit_officer)
            .create(
                {
                    "partner_id": self.customer.id,
                    "scorecard_id": self.scorecard.id,
                    "risk_plan": "Cash on delivery until the overdue invoice is paid",
                    "risk_plan_review_date": self.today,
                    **values,
                }
            )
        )

    def score_manual(self, evaluation, score):
        for line in evaluation.line_ids.filtered(lambda line: line.kind == "manual"):
            line.score = score

    def test_computed_indicators_are_filled_from_the_accounts(self):
        evaluation = self.evaluate()
        lines = {
            line.indicator_id.computation: line for line in evaluation.line_ids if line.kind == "computed"
        }
        # Share paid late: the only invoice due so far is still open, 370 days late (issue #10).
        self.assertAlmostEqual(lines["overdue_share"].figure, 1.0)
        self.assertAlmostEqual(lines["overdue_share"].score, 0)
        self.assertGreater(lines["years_of_cooperation"].figure, 1)
        self.assertAlmostEqual(lines["sales_12_months"].figure, 3000)
        self.assertAlmostEqual(lines["average_days_late"].figure, 370)
        self.assertEqual(lines["average_days_late"].score, 0)
        with self.assertRaises(ValidationError):
            lines["overdue_share"].score = 100
        # Not even with a context an RPC caller could send.
        forged = (
            lines["overdue_share"].with_user(self.credit_officer).with_context(customer_credit_refresh=True)
        )
        for values in ({"score": 100}, {"figure": 0.0}):
            with self.subTest(values=values), self.assertRaises(UserError):  # ValidationError is one too
                forged.write(values)
        self.assertAlmostEqual(lines["overdue_share"].score, 0)

    def test_scores_stay_between_0_and_100(self):
        evaluation = self.evaluate()
        manual = evaluation.line_ids.filtered(lambda line: line.kind == "manual")[:1]
        with self.assertRaises(ValidationError):
            manual.score = 101
        with self.assertRaises(ValidationError):
            manual.score = -1

    def test_approval_makes_it_current_and_applies_limit_and_term(self):
        first = self.evaluate(proposed_credit_limit=50000, proposed_term_days=30)
        self.score_manual(first, 100)
        self.assertEqual(
            first.total_score, round(sum(line.score * line.weight / 100 for line in first.line_ids), 2)
        )
        self.assertTrue(first.grade_id)
        first.with_user(self.credit_officer).action_submit()
        first.with_user(self.credit_manager).action_approve()
        customer = self.customer.with_user(self.credit_officer)
        self.assertEqual(customer.credit_evaluation_id, first)
        self.assertEqual(customer.credit_grade_id, first.grade_id)
        customer = self.customer.with_company(self.company).sudo()  # sudo: no credit rights in the test env
        self.assertEqual((customer.credit_limit, customer.credit_term_days), (50000, 30))
        second = self.evaluate(proposed_credit_limit=20000, proposed_term_days=15)
        second.with_user(self.credit_officer).action_submit()
        second.with_user(self.credit_manager).action_approve()
        self.assertEqual(first.state, "superseded")
        self.assertEqual(customer.credit_evaluation_id, second)
        history = customer.credit_limit_history_ids.sorted("id")
        self.assertEqual([(h.previous_limit, h.new_limit) for h in history], [(0, 50000), (50000, 20000)])
        self.assertEqual(history.approver_id, self.credit_manager)
        self.assertEqual(history[-1].evaluation_id, second)

    def test_submitting_asks_the_credit_managers_and_the_officer_is_told(self):
        approval = self.env.ref("customer_archive.mail_activity_type_approval")

        def asked(evaluation):
            return evaluation.sudo().activity_ids.filtered(  # sudo: every approver's activity
                lambda activity: activity.activity_type_id == approval
            )

        evaluation = self.evaluate()
        mine = evaluation.with_user(self.credit_officer).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.credit_officer.id, summary="Call the bank"
        )
        with self.assertRaises(AccessError):
            evaluation.with_user(self.credit_user).action_submit()
        self.assertEqual((evaluation.state, asked(evaluation).ids), ("draft", []))
        evaluation.with_user(self.credit_officer).action_submit()
        self.assertEqual(asked(evaluation).user_id, self.credit_manager)
        with self.assertRaises(UserError):
            evaluation.with_user(self.credit_officer).action_submit()
        evaluation.with_user(self.credit_manager).action_approve()
        self.assertFalse(asked(evaluation))
        self.assertTrue(mine.exists())
        told = evaluation.message_ids.filtered(
            lambda message: self.credit_officer.partner_id in message.partner_ids
        )
        self.assertIn(self.credit_manager.name, str(told.body))
        with self.assertRaises(UserError):
            evaluation.with_user(self.credit_manager).action_reject("Too late")
        self.assertEqual((evaluation.state, evaluation.rejection_reason), ("approved", False))

    def test_an_approved_evaluation_is_never_changed_nor_deleted(self):
        evaluation = self.evaluate()
        evaluation.with_user(self.credit_officer).action_submit()
        with self.assertRaises(UserError):
            evaluation.with_user(self.credit_officer).write({"proposed_credit_limit": 1})
        evaluation.with_user(self.credit_manager).action_approve()
        for values in ({"note": "x"}, {"state": "draft"}, {"proposed_credit_limit": 9}):
            with self.subTest(values=values), self.assertRaises(UserError):
                evaluation.with_user(self.credit_manager).write(values)
        with self.assertRaises(UserError):
            evaluation.line_ids[:1].with_user(self.credit_manager).write({"comment": "changed"})
        with self.assertRaises(UserError):
            evaluation.with_user(self.credit_manager).unlink()
        self.assertEqual(evaluation.state, "approved")

    def test_a_scorecard_change_never_rewrites_past_evaluations(self):
        evaluation = self.evaluate()
        self.score_manual(evaluation, 80)
        score = evaluation.total_score
        weights = evaluation.line_ids.mapped("weight")
        indicators = self.scorecard.indicator_ids.sorted("id")[:2]
        # Moving five points between two indicators keeps the sum at 100: still refused once used.
        with self.assertRaises(UserError):
            self.scorecard.with_user(self.credit_manager).write(
                {
                    "indicator_ids": [
                        (1, indicators[0].id, {"weight": indicators[0].weight + 5}),
                        (1, indicators[1].id, {"weight": indicators[1].weight - 5}),
                    ]
                }
            )
        with self.assertRaises(UserError):
            indicators[0].with_user(self.credit_manager).unlink()
        self.assertEqual(evaluation.line_ids.mapped("weight"), weights)
        self.assertEqual(evaluation.total_score, score)
        # Wording is not scoring: it may still be improved.
        indicators[0].with_user(self.credit_manager).description = "Clearer wording"

    def test_only_a_credit_manager_approves_and_never_their_own(self):
        evaluation = self.evaluate()
        evaluation.with_user(self.credit_officer).action_submit()
        other_officer = new_test_user(self.env, "cc_officer2", groups="customer_credit.group_credit_officer")
        with self.assertRaises(AccessError):
            evaluation.with_user(other_officer).action_approve()
        own = self.evaluate(user=self.credit_manager)
        own.with_user(self.credit_manager).action_submit()
        with self.assertRaises(AccessError):
            own.with_user(self.credit_manager).action_approve()
        self.assertEqual((evaluation.state, own.state), ("submitted", "submitted"))
        with self.assertRaises(UserError):
            evaluation.with_user(self.credit_manager).action_reject(" ")
        evaluation.with_user(self.credit_manager).action_reject("Figures out of date")
        self.assertEqual(evaluation.state, "rejected")

    def test_a_credit_manager_delegates_decisions_to_a_credit_officer(self):
        evaluation = self.evaluate()
        evaluation.with_user(self.credit_officer).action_submit()
        deputy = new_test_user(self.env, "cc_deputy", groups="customer_credit.group_credit_officer")
        with self.assertRaises(AccessError):
            evaluation.with_user(deputy).action_approve()
        Delegation = self.env["customer.archive.delegation"]
        # Credit officers do not give delegations; the manager does, for the credit decisions only.
        with self.assertRaises(AccessError):
            Delegation.with_user(self.credit_officer).create(
                {
                    "delegate_id": deputy.id,
                    "date_to": fields.Datetime.now() + timedelta(days=3),
                    "reason": "x",
                }
            )
        manager_group = self.env.ref("customer_credit.group_credit_manager")
        delegation = Delegation.with_user(self.credit_manager).create(
            {
                "delegate_id": deputy.id,
                "delegated_group_id": manager_group.id,
                "date_to": fields.Datetime.now() + timedelta(days=3),
                "reason": "Business trip to Chengdu",
            }
        )
        self.assertEqual(Delegation.with_user(deputy).search([]), delegation)
        evaluation.with_user(deputy).action_approve()
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(
            (evaluation.approver_id, evaluation.approved_on_behalf_of_id, evaluation.approval_delegation_id),
            (deputy, self.credit_manager, delegation),
        )

    def test_bad_evaluations_are_refused(self):
        with self.assertRaises(ValidationError):
            self.evaluate(proposed_credit_limit=-10)
        with self.assertRaises(AccessError):
            self.env["customer.credit.evaluation"].with_user(self.credit_user).create(
                {"partner_id": self.customer.id, "scorecard_id": self.scorecard.id}
            )
        self.customer.active = False
        with self.assertRaises(UserError):
            self.evaluate()
        self.assertFalse(
            self.env["customer.credit.evaluation"]
            .sudo()  # sudo: the accounting test user has no credit rights
            .search([("partner_id", "=", self.customer.id)])
        )

    def test_grade_c_needs_a_risk_plan_and_brings_its_penalties(self):
        evaluation = self.evaluate(risk_plan=False, risk_plan_review_date=False)
        self.score_manual(evaluation, 0)
        self.assertEqual(evaluation.grade_id.code, "C")
        with self.assertRaises(UserError):
            evaluation.with_user(self.credit_officer).action_submit()
        self.assertEqual(evaluation.state, "draft")
        evaluation.with_user(self.credit_officer).write(
            {"risk_plan": "Weekly follow-up of payments", "risk_plan_review_date": self.today}
        )
        evaluation.with_user(self.credit_officer).action_apply_grade_proposal()
        self.assertTrue(evaluation.proposed_guarantee_required)
        self.assertIn("require a guarantee", evaluation.proposal_summary)
        evaluation.with_user(self.credit_officer).action_submit()
        evaluation.with_user(self.credit_manager).action_approve()
        partner = self.customer.with_company(self.company).sudo()  # sudo: no credit rights in the test env
        self.assertTrue(partner.credit_guarantee_required)
        self.assertEqual(partner.credit_risk_plan, "Weekly follow-up of payments")

    def test_a_better_grade_proposes_a_reward(self):
        self.customer.with_user(self.credit_manager)._apply_credit_decision(1000, 10, reason="Start")
        evaluation = self.evaluate()
        self.score_manual(evaluation, 100)
        evaluation.write({"proposed_credit_limit": 5000, "proposed_term_days": 30})
        self.assertEqual(evaluation.proposal_summary, "raise the limit, extend the term")
