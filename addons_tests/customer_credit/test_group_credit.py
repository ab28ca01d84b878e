from odoo import Command
from odoo.addons.customer_credit.models.res_partner import CREDIT_FEW
from odoo.exceptions import AccessError, UserError

from .test_exposure import ExposureCase


class TestGroupCredit(ExposureCase):
    """Who owes the money: the debtor is the commercial entity of the invoice address, and a
    company under a managed customer without a decision of its own counts under its limit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.group = Partner.create({"name": "华南集团", "is_company": True})
        cls.branch = Partner.create(
            {"name": "华南集团 深圳分公司", "is_company": True, "parent_id": cls.group.id}
        )
        cls.own = Partner.create(
            {"name": "华南集团 广州分公司", "is_company": True, "parent_id": cls.group.id}
        )
        cls.buyer = Partner.create({"name": "采购 王", "parent_id": cls.branch.id})  # a contact of the branch
        cls.invoice_address = Partner.create({"name": "财务部", "type": "invoice", "parent_id": cls.group.id})
        cls.group._apply_credit_decision(5000, 30, "Group limit")
        cls.own._apply_credit_decision(1000, 30, "Its own limit")

    def test_debtors(self):
        debtors = (self.group | self.branch | self.own | self.buyer | self.invoice_address)._credit_debtor(
            self.company
        )
        self.assertEqual(
            debtors,
            {
                self.group.id: self.group.id,
                self.branch.id: self.group.id,
                self.own.id: self.own.id,
                self.buyer.id: self.group.id,
                self.invoice_address.id: self.group.id,
            },
        )

    def test_branch_counts_in_its_parent_the_one_with_a_decision_stands_alone(self):
        self.taxed_invoice(self.buyer, 1000)  # the contact's invoice rolls up to the branch, then the group
        self.taxed_order(self.branch, 2000)
        self.taxed_invoice(self.own, 400)
        group_exposure = (1000 + 2000) * 1.13
        figures = self.env["res.partner"]._credit_exposure_figures(
            self.company, (self.group | self.branch | self.own).ids
        )
        self.assertEqual(set(figures), {self.group.id, self.own.id})  # the branch is no debtor
        self.assertAlmostEqual(figures[self.group.id].exposure, group_exposure)
        self.assertAlmostEqual(figures[self.own.id].exposure, 400 * 1.13)
        for partner in (self.group, self.branch, self.buyer):
            with self.subTest(partner=partner.name):
                self.assertFigures(
                    partner, credit_exposure=group_exposure, credit_available=5000 - group_exposure
                )
        self.assertFigures(self.own, credit_exposure=452, credit_available=1000 - 452)

    def test_without_a_managed_parent_the_branch_stands_alone(self):
        loose = self.env["res.partner"].create({"name": "独立集团", "is_company": True})
        child = self.env["res.partner"].create(
            {"name": "独立子公司", "is_company": True, "parent_id": loose.id}
        )
        self.taxed_invoice(child, 100)
        self.assertEqual(child._credit_debtor(self.company), {child.id: child.id})
        self.assertFigures(child, credit_exposure=113)
        self.assertFigures(loose, credit_exposure=0)
        self.company.credit_enforce_all = True  # every customer is managed: the group controls it
        self.assertEqual(child._credit_debtor(self.company), {child.id: loose.id})
        self.assertFigures(loose, credit_exposure=113)

    def test_order_invoiced_to_another_customer_counts_in_that_customer(self):
        other = self.env["res.partner"].create({"name": "下单客户", "is_company": True})
        order = self.taxed_order(other, 1000, invoice_partner=self.invoice_address)
        self.assertEqual(order.partner_invoice_id, self.invoice_address)
        self.assertFigures(self.group, credit_uninvoiced_orders=1130, credit_exposure=1130)
        self.assertFigures(other, credit_uninvoiced_orders=0, credit_exposure=0)

    def test_searches_follow_the_debtor(self):
        self.taxed_invoice(self.branch, 1000, days_ago=70)  # 1130, 40 days overdue
        self.taxed_invoice(self.buyer, 4000, post=False)  # a draft: 1130 + 4520 over the group's 5000
        Partner = self.env["res.partner"].with_user(self.credit_officer)
        over = Partner.search([("credit_over_limit", "=", True), ("id", "child_of", self.group.id)])
        self.assertEqual(over, self.group | self.branch | self.buyer | self.invoice_address)
        not_over = Partner.search([("credit_over_limit", "=", False), ("id", "child_of", self.group.id)])
        self.assertEqual(not_over, self.own)
        late = Partner.search([("credit_overdue_days", ">", 30), ("id", "child_of", self.group.id)])
        self.assertEqual(late, self.group | self.branch | self.buyer | self.invoice_address)
        # Sales staff find only their own customers.
        self.branch.user_id = self.credit_user
        Sales = self.env["res.partner"].with_user(self.credit_user)
        found = Sales.search([("credit_over_limit", "=", True), ("id", "child_of", self.group.id)])
        self.assertEqual(found, self.branch | self.buyer)

    def test_few_and_many_partners_have_the_same_group_figures(self):
        """The statement finds the partners of a group going down from the debtors asked about
        when they are few, and from every company with a parent when they are many
        (``_credit_figures_sql``): both give each partner its debtor and its figures, however deep
        the group, and the same as the statement over every debtor."""
        Partner = self.env["res.partner"]
        # a company under a contact of the branch, one under that, and one under the company with
        # its own decision (placed by the credit manager): the first two count in the group, the
        # third in that company
        placing = Partner.with_user(self.credit_manager)
        plant = placing.create({"name": "华南集团 东莞工厂", "is_company": True, "parent_id": self.buyer.id})
        store = placing.create({"name": "华南集团 东莞仓库", "is_company": True, "parent_id": plant.id})
        shop = placing.create({"name": "广州分公司 门市部", "is_company": True, "parent_id": self.own.id})
        plant, store, shop = (plant | store | shop).with_env(self.env)
        self.taxed_invoice(plant, 100)
        self.taxed_order(store, 200)
        self.taxed_invoice(shop, 300)
        self.taxed_invoice(self.branch, 400)
        others = Partner.create(
            [{"name": f"其他客户 {n}", "is_company": True} for n in range(CREDIT_FEW + 5)]
        )
        partners = (
            self.group | self.branch | self.own | self.buyer | self.invoice_address | plant | store | shop
        )
        group_exposure = (100 + 200 + 400) * 1.13
        self.assertEqual(
            (plant | store | shop)._credit_debtor(self.company),
            {plant.id: self.group.id, store.id: self.group.id, shop.id: self.own.id},
        )
        # each partner alone (few), all of them with others (many)
        many = {row[0]: row for row in (partners | others)._credit_partner_rows(self.company)}
        for partner in partners:
            with self.subTest(partner=partner.name):
                (alone,) = partner._credit_partner_rows(self.company)
                self.assertEqual(alone, many[partner.id])
        self.assertAlmostEqual(many[store.id][9], group_exposure)  # the exposure column
        self.assertAlmostEqual(many[shop.id][9], 300 * 1.13)
        # the debtors' figures: few, many, every debtor
        debtors = [self.group.id, self.own.id]
        few = Partner._credit_exposure_figures(self.company, debtors)
        many = Partner._credit_exposure_figures(self.company, debtors + others.ids)
        every = Partner._credit_exposure_figures(self.company)
        for debtor_id in debtors:
            with self.subTest(debtor=debtor_id):
                self.assertEqual(few[debtor_id], many[debtor_id])
                self.assertEqual(few[debtor_id], every[debtor_id])
        self.assertAlmostEqual(few[self.group.id].exposure, group_exposure)
        self.assertAlmostEqual(few[self.own.id].exposure, 300 * 1.13)

    def test_a_decision_counts_on_a_customer_never_on_a_contact(self):
        """Credit decisions are made on customers in their own right (信用授予规则): none on a
        contact, whoever asks and by whichever path; one left on a company since made a contact
        controls nothing, and a company placed under it counts in the group, alone or among many."""
        History = self.env["customer.credit.limit.history"].sudo()  # sudo: the test user has no credit rights
        before = History.search_count([])
        # by the one home of decisions: refused, nothing written
        with self.assertRaises(UserError) as refused:
            self.buyer.with_user(self.credit_manager)._apply_credit_decision(900, 30, "On the buyer")
        self.assertIn("Credit decisions are made on customers, not on their contacts", str(refused.exception))
        self.assertEqual(History.search_count([]), before)
        # by an evaluation or an application made as an RPC client would (the form's domain aside)
        Evaluation = self.env["customer.credit.evaluation"].with_user(self.credit_officer)
        Application = self.env["customer.credit.application"].with_user(self.credit_user)
        with self.assertRaises(UserError) as refused:
            Evaluation.create({"partner_id": self.buyer.id, "scorecard_id": self.scorecard.id})
        self.assertIn("采购 王 is a contact of 华南集团", str(refused.exception))
        with self.assertRaises(UserError) as refused:
            Application.create({"partner_id": self.buyer.id, "requested_limit": 900, "reason": "More"})
        self.assertIn("not on their contacts", str(refused.exception))
        evaluation = Evaluation.create({"partner_id": self.own.id, "scorecard_id": self.scorecard.id})
        with self.assertRaises(UserError) as refused:
            evaluation.write({"partner_id": self.invoice_address.id})
        self.assertIn("财务部 is a contact of 华南集团", str(refused.exception))
        self.assertEqual(evaluation.partner_id, self.own)
        # an import and a copy reach the same check
        loaded = Evaluation.load(["partner_id/.id", "scorecard_id/.id"], [[self.buyer.id, self.scorecard.id]])
        self.assertFalse(loaded["ids"])
        self.assertIn("not on their contacts", loaded["messages"][0]["message"])
        with self.assertRaises(UserError):
            evaluation.copy({"partner_id": self.buyer.id})
        # a contact the user may not read is refused as reading it is, not named
        elsewhere = self.env["res.company"].sudo().create({"name": "他公司"})  # sudo: set-up, no user in it
        Partners = self.env["res.partner"].sudo()  # sudo: set-up, a contact in that company
        hidden = Partners.create(
            {"name": "他公司秘密联系人", "company_id": elsewhere.id, "parent_id": self.group.id}
        )
        with self.assertRaises(AccessError) as refused:
            Application.create({"partner_id": hidden.id, "requested_limit": 900, "reason": "More"})
        self.assertNotIn("他公司秘密联系人", str(refused.exception))
        # nor a customer of that company, whom the user may not read either
        customer_elsewhere = Partners.create(
            {"name": "他公司客户", "company_id": elsewhere.id, "is_company": True}
        )
        applications = self.env[
            "customer.credit.application"
        ].sudo()  # sudo: counted, the test user reads none
        before = applications.search_count([])
        with self.assertRaises(AccessError) as refused:
            Application.create(
                {"partner_id": customer_elsewhere.id, "requested_limit": 900, "reason": "More"}
            )
        self.assertNotIn("他公司客户", str(refused.exception))
        self.assertEqual(applications.search_count([]), before)
        # a subsidiary (a company under its group) is a customer in its own right: both pass (an
        # application by its salesperson)
        self.branch.user_id = self.credit_user
        self.assertTrue(
            Application.create({"partner_id": self.branch.id, "requested_limit": 900, "reason": "More"})
        )
        self.assertEqual(Evaluation.search_count([("partner_id", "=", self.buyer.id)]), 0)

        # A company with its own decision made a contact of the group, then a company placed under
        # it, by the credit manager: the old decision is passed over, the group controls both.
        Partner = self.env["res.partner"].with_user(self.credit_manager)
        former = Partner.create({"name": "华南集团 旧惠州公司", "is_company": True})
        former.with_env(self.env)._apply_credit_decision(2000, 30, "Its own limit, before it joined")
        former.write({"is_company": False, "parent_id": self.group.id})
        depot = Partner.create({"name": "华南集团 惠州仓库", "is_company": True, "parent_id": former.id})
        former, depot = (former | depot).with_env(self.env)
        self.taxed_invoice(depot, 100)
        self.taxed_invoice(self.branch, 400)
        group_exposure = (100 + 400) * 1.13
        self.assertEqual(
            (former | depot)._credit_debtor(self.company), {former.id: self.group.id, depot.id: self.group.id}
        )
        others = self.env["res.partner"].create(
            [{"name": f"其他客户 {n}", "is_company": True} for n in range(CREDIT_FEW + 5)]
        )
        many = {
            row[0]: row for row in (former | depot | self.group | others)._credit_partner_rows(self.company)
        }
        for partner in (former, depot, self.group):
            with self.subTest(partner=partner.name):
                (alone,) = partner._credit_partner_rows(self.company)
                self.assertEqual(alone, many[partner.id])
                self.assertEqual(alone[1], self.group.id)  # the debtor column
                self.assertAlmostEqual(alone[9], group_exposure)  # the exposure column
        every = self.env["res.partner"]._credit_exposure_figures(self.company)
        self.assertAlmostEqual(every[self.group.id].exposure, group_exposure)
        self.assertNotIn(former.id, every)
        self.assertFigures(depot, credit_exposure=group_exposure, credit_available=5000 - group_exposure)

    def test_a_limit_is_its_decisions_whatever_the_moves_and_merges(self):
        """A customer's limit is that of its latest decision (信用授予规则): made a contact, it shows
        its company's (Odoo copies it); detached again, its own decided limit comes back, and a
        partner never decided has none. A merge into a contact that would hold decisions is
        refused; a merge into a customer leaves it the limit and term of its latest decision."""
        manager = self.credit_manager
        manager.groups_id = [Command.link(self.env.ref("base.group_partner_manager").id)]
        Partner = self.env["res.partner"].with_user(manager)

        def limit(partner):
            return partner.sudo().with_company(self.company).credit_limit  # sudo: an accounting field

        decided = Partner.create({"name": "独立客户 甲", "is_company": True})
        decided.with_env(self.env)._apply_credit_decision(900, 30, "Its own limit")
        never = Partner.create({"name": "独立客户 乙", "is_company": True})
        for partner in (decided, never):
            partner.write({"is_company": False, "parent_id": self.group.id})
        self.assertEqual((limit(decided), limit(never)), (5000, 5000))  # the group's, copied by Odoo
        (decided | never).write({"parent_id": False, "is_company": True})  # both in one statement
        self.assertEqual((limit(decided), limit(never)), (900, 0))
        # a contact under a contact whose parent is deleted: a customer in its own right, its limit none
        person = Partner.create({"name": "采购 孙", "parent_id": self.group.id})
        orphan = Partner.create({"name": "采购 孙 助理", "parent_id": person.id})
        self.assertEqual(limit(orphan), 5000)  # the group's, copied by Odoo
        person.sudo().unlink()  # sudo: whoever may delete a contact
        self.assertEqual((orphan.commercial_partner_id, limit(orphan)), (orphan, 0))

        # merging a person with a decision into a contact, which stays one: refused, nothing moved
        person = Partner.create({"name": "个人客户 丁", "email": "merge@example.com"})
        person.with_env(self.env)._apply_credit_decision(700, 30, "Its own limit")
        self.buyer.sudo().email = "merge@example.com"  # sudo: Odoo merges partners of one e-mail only
        History = self.env["customer.credit.limit.history"].sudo()  # sudo: the test user has no credit rights
        rows = History.search([("partner_id", "=", person.id)])
        Wizard = self.env["base.partner.merge.automatic.wizard"].with_user(manager)
        with self.assertRaises(UserError) as refused:
            Wizard.create(
                {"partner_ids": [Command.set((person | self.buyer).ids)], "dst_partner_id": self.buyer.id}
            ).action_merge()
        self.assertIn("would be on a contact", str(refused.exception))
        self.assertTrue(person.exists())
        self.assertEqual(rows.partner_id, person)
        self.assertFalse(History.search_count([("partner_id", "=", self.buyer.id)]))
        decided.sudo().email = "merge@example.com"  # sudo: as above
        # merging a customer into another: the kept one has the limit of the latest decision
        other = Partner.create({"name": "独立客户 丙", "is_company": True, "email": "merge@example.com"})
        other.with_env(self.env)._apply_credit_decision(300, 30, "Its own limit")
        decided.with_env(self.env)._apply_credit_decision(1200, 60, "Raised, after the other's")
        Wizard.create(
            {"partner_ids": [Command.set((decided | other).ids)], "dst_partner_id": other.id}
        ).action_merge()
        self.assertFalse(decided.exists())
        kept = other.sudo().with_company(self.company)  # sudo: the limit and term, accounting fields
        self.assertEqual((kept.credit_limit, kept.credit_term_days), (1200, 60))  # of the latest decision

    def test_a_customer_with_a_decision_being_made_is_not_made_a_contact(self):
        """A customer with an evaluation or application still being decided is not made a contact
        (the decision would be on a contact, refused only when approved), by its salesperson or by
        anyone; once decided or rejected, it may be."""
        Partner = self.env["res.partner"].with_user(self.credit_user)
        customer = Partner.create({"name": "独立客户 戊", "is_company": True, "user_id": self.credit_user.id})
        other = Partner.create({"name": "独立客户 己", "is_company": True, "user_id": self.credit_user.id})
        Application = self.env["customer.credit.application"].with_user(self.credit_user)
        application = Application.create(
            {"partner_id": customer.id, "requested_limit": 900, "reason": "More"}
        )
        application.action_submit()
        for vals in (
            {"is_company": False, "parent_id": other.id},
            {"company_type": "person", "parent_id": other.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError) as refused:
                customer.write(vals)
            self.assertIn("being decided on 独立客户 戊", str(refused.exception))
        self.assertEqual((customer.parent_id, customer.commercial_partner_id), (Partner.browse(), customer))
        with self.assertRaises(UserError):
            customer.with_user(self.credit_manager).write({"is_company": False, "parent_id": other.id})
        application.with_user(self.credit_officer).action_review("Checked")
        application.with_user(self.credit_manager).action_reject("No")
        customer.write({"is_company": False, "parent_id": other.id})
        self.assertEqual(customer.commercial_partner_id, other)
