"""The credit limit that control uses changes only through a credit decision, each change with its
limit-history row (issue #10, section 2)."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .credit_common import CreditCase


class TestDecidedFields(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An accountant who may edit contacts: Odoo lets accounting set credit limits.
        cls.accountant = new_test_user(
            cls.env,
            "cc_accountant",
            groups="account.group_account_manager,base.group_partner_manager",
            name="Accountant Qian",
        )
        # A credit manager with accounting and contact rights: the decision path is still the only one.
        cls.super_manager = new_test_user(
            cls.env,
            "cc_manager_acc",
            groups="customer_credit.group_credit_manager,account.group_account_manager,"
            "base.group_partner_manager",
            name="Credit and Accounting Manager Wu",
        )
        cls.customer.with_user(cls.credit_manager)._credit_change_limit(1000, 30, "Initial limit")

    def decided(self, partner=None):
        partner = (partner or self.customer).with_company(self.company).sudo()  # sudo: reads the values
        partner.invalidate_recordset()
        return (
            partner.credit_limit,
            partner.credit_term_days,
            partner.credit_guarantee_required,
            partner.credit_on_hold,
        )

    def test_plain_writes_are_refused_for_every_user(self):
        before = self.decided()
        history = self.customer.sudo().credit_limit_history_ids  # sudo: the history as it stands
        for user in (self.accountant, self.credit_manager, self.super_manager):
            for values in (
                {"credit_limit": 99999},
                {"use_partner_credit_limit": False},
                {"credit_term_days": 120},
                {"credit_guarantee_required": True},
                {"credit_on_hold": True},
                {"name": "Renamed too", "credit_limit": 5},
            ):
                with self.subTest(user=user.login, values=values), self.assertRaises(AccessError):
                    self.customer.with_user(user).write(values)
        self.assertEqual(self.decided(), before)
        self.assertEqual(self.customer.name, "华南电子")
        self.assertEqual(self.customer.sudo().credit_limit_history_ids, history)  # sudo: as above
        # Writing the values they already have changes nothing (a form saved whole, a contact merge).
        self.customer.with_user(self.super_manager).write({"credit_limit": 1000, "credit_on_hold": False})
        self.assertEqual(self.decided(), before)
        # Other fields stay editable for whoever may edit contacts.
        self.customer.with_user(self.accountant).write({"phone": "+86 20 1234 5678"})
        self.assertEqual(self.customer.phone, "+86 20 1234 5678")

    def test_create_copy_and_import_do_not_set_them(self):
        Partner = self.env["res.partner"].with_user(self.super_manager)
        with self.assertRaises(AccessError):
            Partner.create({"name": "Born with credit", "credit_limit": 50000})
        with self.assertRaises(AccessError):
            Partner.with_context(default_credit_on_hold=False).create({"name": "Born without hold"})
        with self.assertRaises(AccessError):
            self.customer.with_user(self.super_manager).copy({"credit_term_days": 90})
        self.assertFalse(Partner.search([("name", "in", ("Born with credit", "Born without hold"))]))
        # A copy starts without the decided values (copy=False) and without the history.
        twin = self.customer.with_user(self.super_manager).copy()
        self.assertEqual(self.decided(twin), (0.0, 0, False, False))
        self.assertFalse(twin.sudo().credit_limit_history_ids)  # sudo: the history, to compare
        # Imports (``load``) report the refusal and neither create nor update anything.
        result = Partner.load(["name", "credit_limit"], [["Imported customer", "7000"]])
        self.assertFalse(result["ids"])
        self.assertTrue(result["messages"])
        self.assertFalse(Partner.search([("name", "=", "Imported customer")]))
        result = Partner.load([".id", "credit_term_days"], [[str(self.customer.id), "365"]])
        self.assertFalse(result["ids"])
        self.assertEqual(self.decided(), (1000.0, 30, False, False))

    def test_recorded_change_by_a_credit_manager(self):
        Wizard = self.env["customer.credit.limit.change.wizard"].with_user(self.credit_manager)
        action = self.customer.with_user(self.credit_manager).action_credit_change_limit()
        wizard = Wizard.with_context(action["context"]).create(
            {"new_limit": 2500, "new_term_days": 45, "reason": "Two years of punctual payment"}
        )
        self.assertEqual((wizard.current_limit, wizard.current_term_days), (1000, 30))
        wizard.action_confirm()
        self.assertEqual(self.decided(), (2500.0, 45, False, False))
        history = self.customer.sudo().credit_limit_history_ids[:1]  # sudo: the newest row, to check
        self.assertRecordValues(
            history,
            [
                {
                    "previous_limit": 1000,
                    "new_limit": 2500,
                    "previous_term_days": 30,
                    "new_term_days": 45,
                    "reason": "Two years of punctual payment",
                    "approver_id": self.credit_manager.id,
                    "approved_on_behalf_of_id": False,
                    "company_id": self.company.id,
                }
            ],
        )

    def test_recorded_change_needs_a_reason_and_sane_values(self):
        Wizard = self.env["customer.credit.limit.change.wizard"].with_user(self.credit_manager)
        for values in (
            {"new_limit": 2000, "new_term_days": 30, "reason": "   "},
            {"new_limit": -1, "new_term_days": 30, "reason": "Typo"},
            {"new_limit": 2000, "new_term_days": -3, "reason": "Typo"},
        ):
            wizard = Wizard.create({"partner_id": self.customer.id, **values})
            with self.subTest(values=values), self.assertRaises(UserError):
                wizard.action_confirm()
        self.assertEqual(self.decided(), (1000.0, 30, False, False))
        self.assertEqual(len(self.customer.sudo().credit_limit_history_ids), 1)  # sudo: count rows

    def test_credit_officer_changes_a_limit_only_under_a_delegation(self):
        Wizard = self.env["customer.credit.limit.change.wizard"].with_user(self.credit_officer)
        wizard = Wizard.create(
            {
                "partner_id": self.customer.id,
                "new_limit": 9000,
                "new_term_days": 60,
                "reason": "Asked by sales",
            }
        )
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertEqual(self.decided(), (1000.0, 30, False, False))
        # Sales staff cannot even open the form.
        with self.assertRaises(AccessError):
            self.env["customer.credit.limit.change.wizard"].with_user(self.credit_user).create(
                {"partner_id": self.customer.id, "new_limit": 1, "new_term_days": 1, "reason": "x"}
            )
        now = fields.Datetime.now()
        delegation = (
            self.env["customer.archive.delegation"]
            .with_user(self.credit_manager)
            .create(
                {
                    "delegate_id": self.credit_officer.id,
                    "delegated_group_id": self.env.ref("customer_credit.group_credit_manager").id,
                    "date_from": now - timedelta(hours=1),
                    "date_to": now + timedelta(days=7),
                    "reason": "Annual leave",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(self.decided(), (9000.0, 60, False, False))
        history = self.customer.sudo().credit_limit_history_ids[:1]  # sudo: the newest row, to check
        self.assertEqual(
            (history.approver_id, history.approved_on_behalf_of_id, history.delegation_id),
            (self.credit_officer, self.credit_manager, delegation),
        )

    def test_history_is_made_only_by_decisions_and_never_changed(self):
        history = self.customer.sudo().credit_limit_history_ids  # sudo: the row to attack
        values = {
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "new_limit": 1_000_000,
            "reason": "Looks decided",
            "approver_id": self.credit_manager.id,
        }
        with self.assertRaises(UserError):
            self.env["customer.credit.limit.history"].with_user(self.credit_manager).create(values)
        # Not even the system writes it by hand: rows come from ``_apply_credit_decision``.
        History = self.env["customer.credit.limit.history"].sudo()  # sudo: the rule holds for the system too
        with self.assertRaises(UserError):
            History.create(values)
        with self.assertRaises(UserError):
            history.with_user(self.credit_manager).write({"new_limit": 5})
        with self.assertRaises(UserError):
            history.sudo().write({"new_limit": 5})  # sudo: as above
        with self.assertRaises(UserError):
            history.sudo().unlink()  # sudo: as above
        self.assertRecordValues(history, [{"new_limit": 1000, "reason": "Initial limit"}])
        self.assertEqual(History.search_count([("partner_id", "=", self.customer.id)]), 1)


class TestCompanyDefaultLimit(CreditCase):
    """Odoo's accounting settings set a company default credit limit (ir.default). It is the limit of
    customers without a decision (when the company controls all customers); it never replaces the
    limit decided for a customer, even a decided limit equal to the default of that moment."""

    def test_default_limit_does_not_lift_a_decided_limit(self):
        self.customer.with_user(self.credit_manager)._credit_change_limit(0, 0, "Cash only")
        stranger = self.env["res.partner"].create({"name": "Walk-in customer", "is_company": True})
        settings = self.env["res.config.settings"].sudo()  # sudo: the administrator's settings form
        settings.create({"account_default_credit_limit": 50000}).execute()
        self.assertEqual(
            self.env["ir.default"]
            .sudo()
            ._get_model_defaults("res.partner")
            .get("credit_limit"),  # sudo: reads
            50000,
        )
        limits = (self.customer | stranger).with_company(self.company).sudo()  # sudo: reads the limits
        limits.invalidate_recordset()
        self.assertEqual(limits.mapped("credit_limit"), [0.0, 50000.0])
        # Control follows the decision: an order of the managed customer is held.
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
                                "price_unit": 100,
                                "tax_id": [],
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "credit_hold")

    def test_decision_in_one_company_keeps_the_others(self):
        other = self.env["res.company"].create({"name": "华南电子 second seller"})
        self.credit_manager.company_ids = [Command.link(other.id)]
        self.customer.with_user(self.credit_manager)._credit_change_limit(800, 15, "First company")
        self.customer.with_user(self.credit_manager).with_company(other)._credit_change_limit(
            0, 0, "Second company: cash only"
        )
        partner = self.customer.sudo()  # sudo: reads the limits
        partner.invalidate_recordset()
        self.assertEqual(partner.with_company(self.company).credit_limit, 800)
        self.assertEqual(partner.with_company(other).credit_limit, 0)
        self.env["ir.default"].sudo().set(
            "res.partner", "credit_limit", 800, company_id=self.company.id
        )  # sudo
        self.customer.with_user(self.credit_manager).with_company(other)._credit_change_limit(
            500, 0, "Second company again"
        )
        partner.invalidate_recordset()
        self.env["ir.default"].sudo().set(
            "res.partner", "credit_limit", 3000, company_id=self.company.id
        )  # sudo
        self.assertEqual(partner.with_company(self.company).credit_limit, 800)
        self.assertEqual(partner.with_company(other).credit_limit, 500)


class TestDecisionsLeaveTheirHistory(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.credit_user  # sales staff apply for credit for their own customers

    def test_application_and_evaluation_approvals_record_their_source(self):
        application = (
            self.env["customer.credit.application"]
            .with_user(self.credit_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "requested_limit": 80000,
                    "requested_term_days": 45,
                    "reason": "New distribution contract",
                }
            )
        )
        application.action_submit()
        application.with_user(self.credit_officer).action_review("Two years of timely payments")
        application.with_user(self.credit_manager).action_approve(
            60000, 30, self.today, self.today + timedelta(days=365), "Open account"
        )
        evaluation = (
            self.env["customer.credit.evaluation"]
            .with_user(self.credit_officer)
            .create(
                {
                    "partner_id": self.customer.id,
                    "scorecard_id": self.scorecard.id,
                    "proposed_credit_limit": 40000,
                    "proposed_term_days": 20,
                    "proposed_guarantee_required": True,
                    "risk_plan": "Cash on delivery",
                    "risk_plan_review_date": self.today,
                }
            )
        )
        evaluation.action_submit()
        evaluation.with_user(self.credit_manager).action_approve()
        history = self.customer.sudo().credit_limit_history_ids.sorted("id")  # sudo: reads the rows
        self.assertRecordValues(
            history,
            [
                {
                    "previous_limit": 0,
                    "new_limit": 60000,
                    "new_term_days": 30,
                    "application_id": application.id,
                    "evaluation_id": False,
                    "approver_id": self.credit_manager.id,
                },
                {
                    "previous_limit": 60000,
                    "new_limit": 40000,
                    "new_term_days": 20,
                    "application_id": False,
                    "evaluation_id": evaluation.id,
                    "approver_id": self.credit_manager.id,
                },
            ],
        )
        partner = self.customer.with_company(self.company).sudo()  # sudo: reads the decided values
        self.assertEqual(
            (partner.credit_limit, partner.credit_term_days, partner.credit_guarantee_required),
            (40000, 20, True),
        )
