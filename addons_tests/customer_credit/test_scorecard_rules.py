from odoo import Command
from odoo.exceptions import AccessError, ValidationError

from .credit_common import CreditCase


class TestScorecardRules(CreditCase):
    """The standard scorecard's indicators are data with XML ids (their names translated like all
    data), and an evaluation is scored only on weights that sum to 100, however they were edited."""

    def test_standard_indicators_have_ids_and_chinese_names(self):
        standard = self.env.ref("customer_credit.scorecard_standard").sudo()
        indicator = self.env.ref("customer_credit.indicator_share_paid_late")
        self.assertIn(indicator, standard.indicator_ids)
        self.assertEqual(len(standard.indicator_ids), 6)
        self.assertEqual(standard.total_weight, 100)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["customer_credit"], ["zh_CN"], overwrite=True)
        names = standard.with_context(lang="zh_CN").indicator_ids.mapped("name")
        self.assertEqual(names[0], "逾期付款占比")
        self.assertFalse(
            [name for name in names if name.isascii()], "every standard indicator reads in Chinese"
        )

    def test_indicator_edited_alone_cannot_score_an_evaluation(self):
        def scorecard(name):
            return (
                self.env["customer.credit.scorecard"]
                .with_user(self.credit_manager)
                .create(
                    {
                        "name": name,
                        "indicator_ids": [
                            Command.create({"name": "Finance", "weight": 50, "kind": "manual"}),
                            Command.create({"name": "Reputation", "weight": 50, "kind": "manual"}),
                        ],
                    }
                )
            )

        Evaluation = self.env["customer.credit.evaluation"].with_user(self.credit_officer)

        def values(card):
            return {
                "partner_id": self.customer.id,
                "scorecard_id": card.id,
                "risk_plan": "Cash on delivery",
                "risk_plan_review_date": self.today,
            }

        # Allowed path first: a scorecard whose weights sum to 100 scores an evaluation.
        self.assertEqual(len(Evaluation.create(values(scorecard("Good"))).line_ids), 2)
        # A credit manager raises one weight on the indicator itself (RPC write on the second
        # model): the scorecard's own constraint does not see it, the evaluation does.
        edited = scorecard("Edited")
        edited.indicator_ids[0].with_user(self.credit_manager).write({"weight": 60})
        count = Evaluation.search_count([])
        with self.assertRaises(ValidationError):
            Evaluation.create(values(edited))
        self.assertEqual(Evaluation.search_count([]), count)


class TestCreditDepartmentExports(CreditCase):
    """The credit department exports its lists (统计报表); a salesperson's export rights stay
    Odoo's default, and an export shows no more than the list does."""

    def test_credit_officer_may_export_and_hidden_fields_stay_hidden(self):
        officer = self.credit_officer
        self.assertTrue(officer.has_group("base.group_allow_export"))
        self.assertTrue(
            self.env.ref("customer_credit.user_liuyang_demo").has_group("base.group_allow_export")
        )
        rows = (
            self.env["res.partner"]
            .with_user(officer)
            .browse(self.customer.id)
            .export_data(["name", "credit_grade_id/name"])["datas"]
        )
        self.assertEqual(rows[0][0], self.customer.name)
        # The export rights do not open a field the user's groups do not see: payment habits are
        # the credit department's; a salesperson given export rights still cannot export them.
        salesperson = self.credit_user
        salesperson.groups_id = [Command.link(self.env.ref("base.group_allow_export").id)]
        Partner = self.env["res.partner"].with_user(salesperson)
        self.assertEqual(
            Partner.browse(self.customer.id).export_data(["name"])["datas"][0][0], self.customer.name
        )
        with self.assertRaises(AccessError):
            Partner.browse(self.customer.id).export_data(["payment_habits"])
