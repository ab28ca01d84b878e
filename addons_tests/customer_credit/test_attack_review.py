"""Holes found by an attacker in customer_credit, closed on the server and tested as an RPC caller
at the lowest role: the forbidden path raises and changes nothing, the allowed path works."""

from unittest import SkipTest

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .credit_common import CreditCase


class AttackCase(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A customer with credit only (a decided limit, no archive), the salesperson's own.
        cls.customer.with_user(cls.credit_manager)._apply_credit_decision(1000, 30, reason="Initial limit")
        cls.customer.user_id = cls.credit_user
        cls.other_sales = new_test_user(
            cls.env,
            "cc_attack_sales2",
            groups="sales_team.group_sale_salesman,customer_archive.group_archive_user,"
            "customer_credit.group_credit_user",
            name="Sales Qian",
        )
        cls.Partner = cls.env["res.partner"]


class TestSalespersonOfACustomer(AttackCase):
    """The salesperson decides who reads a customer's credit file: another salesperson does not
    take the customer over, whatever the value they write."""

    def test_another_salesperson_does_not_take_over_a_credit_customer(self):
        self.assertFalse(
            self.customer.sudo().customer_archive_ids
        )  # sudo: whatever the test user; credit only
        customer = self.customer.with_user(self.other_sales)
        for user in (self.other_sales, self.credit_user | self.other_sales, self.env.ref("base.user_admin")):
            with self.subTest(user_id=user.ids), self.assertRaises(AccessError):
                customer.write({"user_id": user[-1:].id})
        with self.assertRaises(AccessError):
            customer.write({"user_id": False})
        # An import is a write too.
        result = customer.load([".id", "user_id/.id"], [[str(customer.id), str(self.other_sales.id)]])
        self.assertFalse(result["ids"], result)
        self.assertEqual(self.customer.user_id, self.credit_user)
        self.assertFalse(self.customer.with_user(self.other_sales)._credit_visible_partners())

    def test_the_own_salesperson_and_the_credit_department_assign_it(self):
        # The salesperson gives their own customer to a colleague; the credit department, or the
        # archive office, reassigns it from anyone.
        self.customer.with_user(self.credit_user).write({"user_id": self.other_sales.id})
        self.assertEqual(self.customer.user_id, self.other_sales)
        self.customer.with_user(self.credit_officer).write({"user_id": self.credit_user.id})
        self.assertEqual(self.customer.user_id, self.credit_user)
        archive_officer = new_test_user(
            self.env, "cc_attack_archive", groups="customer_archive.group_archive_officer", name="Officer Bai"
        )
        self.customer.with_user(archive_officer).write({"user_id": self.other_sales.id})
        self.assertEqual(self.customer.user_id, self.other_sales)
        # Writing the salesperson it already has changes nothing and is no refusal (a form, an import).
        self.customer.with_user(self.credit_user).write({"user_id": self.other_sales.id})

    def test_a_customer_without_salesperson_is_claimed_and_a_new_one_is_created_as_ones_own(self):
        Partner = self.Partner.with_user(self.credit_user)
        prospect = self.Partner.create({"name": "无主客户", "is_company": True})
        prospect.with_user(self.credit_user).write({"user_id": self.credit_user.id})
        self.assertEqual(prospect.user_id, self.credit_user)
        mine = Partner.create({"name": "新客户", "is_company": True, "user_id": self.credit_user.id})
        self.assertEqual(mine.user_id, self.credit_user)
        # A contact created under it takes the company's salesperson (Odoo's compute).
        contact = Partner.create({"name": "采购 赵", "parent_id": mine.id})
        self.assertEqual(contact.user_id, self.credit_user)
        # Another salesperson's copy of the customer is a new partner: the original stays theirs.
        copy = self.customer.with_user(self.other_sales).copy({"user_id": self.other_sales.id})
        self.assertEqual((copy.user_id, self.customer.user_id), (self.other_sales, self.credit_user))

    def test_a_company_in_another_salespersons_group_is_not_claimed(self):
        """A company without a salesperson under another salesperson's customer buys on that
        customer's limit and shows its figures (集团授信): claiming it, by a write or an import,
        would show them. The group's own salesperson and the credit department assign it."""
        self.invoice(self.customer, 700)
        # made by the system (an import, a credit manager), as the set-up of the business
        branch = self.Partner.sudo().create(  # sudo: the set-up, above
            {"name": "华南电子 广州分公司", "is_company": True, "parent_id": self.customer.id}
        )
        self.assertEqual(branch._credit_debtor(self.company), {branch.id: self.customer.id})
        mine = branch.with_user(self.other_sales)
        with self.assertRaises(AccessError):
            mine.write({"user_id": self.other_sales.id})
        result = mine.load([".id", "user_id/.id"], [[str(branch.id), str(self.other_sales.id)]])
        self.assertFalse(result["ids"], result)
        self.assertFalse(branch.user_id)
        self.env.invalidate_all()
        self.assertEqual(mine.credit_exposure, 0)
        # allowed beside it: the group's salesperson, who then reads the group's figures
        branch.with_user(self.credit_user).write({"user_id": self.credit_user.id})
        self.assertEqual(branch.user_id, self.credit_user)
        self.assertAlmostEqual(branch.with_user(self.credit_user).credit_exposure, 700, 2)
        branch.with_user(self.credit_officer).write({"user_id": self.other_sales.id})
        self.assertEqual(branch.user_id, self.other_sales)

    def test_the_top_of_a_group_with_another_salespersons_company_is_not_claimed(self):
        """A group's top shows the figures of every company under it: not claimed by a
        salesperson while one of them is another's customer."""
        top = self.Partner.create({"name": "华南集团", "is_company": True})
        top.with_user(self.credit_manager)._apply_credit_decision(5000, 30, reason="Group limit")
        member = self.Partner.sudo().create(  # sudo: the set-up, as above
            {
                "name": "华南集团 深圳公司",
                "is_company": True,
                "parent_id": top.id,
                "user_id": self.credit_user.id,
            }
        )
        self.invoice(member, 900)
        self.assertEqual(member._credit_debtor(self.company), {member.id: top.id})
        with self.assertRaises(AccessError):
            top.with_user(self.other_sales).write({"user_id": self.other_sales.id})
        self.assertFalse(top.user_id)
        # the member's own salesperson claims it and reads the group's figures
        top.with_user(self.credit_user).write({"user_id": self.credit_user.id})
        self.assertAlmostEqual(top.with_user(self.credit_user).credit_exposure, 900, 2)

    def test_another_salesperson_does_not_merge_a_credit_customer_into_their_own(self):
        # Odoo's template user gives every internal user Contact Creation, which opens the merge.
        self.other_sales.groups_id = [Command.link(self.env.ref("base.group_partner_manager").id)]
        theirs = self.Partner.create(
            {
                "name": "钱的客户",
                "is_company": True,
                "user_id": self.other_sales.id,
                "email": "buy@example.com",
            }
        )
        self.customer.email = "buy@example.com"  # Odoo merges only partners of one e-mail but for admins
        History = self.env["customer.credit.limit.history"].sudo()  # sudo: the rows, whoever reads
        history = History.search([("partner_id", "=", self.customer.id)])
        self.assertTrue(history)
        Wizard = self.env["base.partner.merge.automatic.wizard"].with_user(self.other_sales)
        wizard = Wizard.create(
            {"partner_ids": [Command.set((self.customer | theirs).ids)], "dst_partner_id": theirs.id}
        )
        with self.assertRaises(AccessError):
            wizard.action_merge()
        self.assertTrue(self.customer.exists().active)
        self.assertEqual(self.customer.user_id, self.credit_user)
        self.assertEqual(history.partner_id, self.customer)
        # Two of their own customers are theirs to merge.
        double = self.Partner.create(
            {
                "name": "钱的客户 重复",
                "is_company": True,
                "user_id": self.other_sales.id,
                "email": "buy@example.com",
            }
        )
        Wizard.create(
            {"partner_ids": [Command.set((double | theirs).ids)], "dst_partner_id": theirs.id}
        ).action_merge()
        self.assertFalse(double.exists())


class TestCompaniesUnderAControlledCustomer(AttackCase):
    """集团授信: a company under a customer under credit control, without a decision of its own, buys
    on that customer's limit: only a credit manager places or creates one there."""

    def assert_outside(self, partner):
        self.assertFalse(partner.parent_id)
        self.assertEqual(partner._credit_debtor(self.company)[partner.id], partner.id)

    def test_sales_staff_and_credit_officers_do_not_create_a_company_under_it(self):
        count = self.Partner.search_count([])
        for user in (self.credit_user, self.credit_officer):
            Partner = self.Partner.with_user(user)
            attempts = {
                "is_company": {
                    "name": "华南电子 深圳分公司",
                    "is_company": True,
                    "parent_id": self.customer.id,
                },
                "company_type": {
                    "name": "深圳分公司",
                    "company_type": "company",
                    "parent_id": self.customer.id,
                },
            }
            for label, values in attempts.items():
                with self.subTest(user=user.login, path=label), self.assertRaises(AccessError):
                    Partner.create(values)
            with self.subTest(user=user.login, path="form default"), self.assertRaises(AccessError):
                Partner.with_context(default_parent_id=self.customer.id).create(
                    {"name": "广州分公司", "is_company": True}
                )
            with self.subTest(user=user.login, path="child_ids"), self.assertRaises(AccessError):
                self.customer.with_env(self.rpc_env(user)).write(
                    {"child_ids": [Command.create({"name": "东莞分公司", "is_company": True})]}
                )
        self.assertEqual(self.Partner.search_count([]), count)
        # A contact (a person) under it is how sales work.
        contact = self.Partner.with_user(self.credit_user).create(
            {"name": "采购 王经理", "parent_id": self.customer.id}
        )
        self.assertEqual(contact.commercial_partner_id, self.customer)
        # The credit manager places the branch on the group's credit.
        branch = self.Partner.with_user(self.credit_manager).create(
            {"name": "华南电子 深圳分公司", "is_company": True, "parent_id": self.customer.id}
        )
        self.assertEqual(branch._credit_debtor(self.company)[branch.id], self.customer.id)

    def test_an_independent_company_is_not_moved_under_it_but_by_a_credit_manager(self):
        independent = self.Partner.create(
            {"name": "独立公司", "is_company": True, "user_id": self.credit_user.id}
        )
        for user in (self.credit_user, self.credit_officer):
            for values in (
                {"parent_id": self.customer.id},
                {"parent_id": self.customer.id, "company_type": "company"},
            ):
                with self.subTest(user=user.login, values=values), self.assertRaises(AccessError):
                    independent.with_user(user).write(values)
            with self.subTest(user=user.login, path="child_ids"), self.assertRaises(AccessError):
                self.customer.with_env(self.rpc_env(user)).write(
                    {"child_ids": [Command.link(independent.id)]}
                )
            self.assert_outside(independent)
        # Under a contact of the customer: the same group.
        contact = self.Partner.create({"name": "采购 王", "parent_id": self.customer.id})
        with self.assertRaises(AccessError):
            independent.with_user(self.credit_user).write({"parent_id": contact.id})
        self.assert_outside(independent)
        # A customer outside credit control takes it; a credit manager places it in the group.
        loose = self.Partner.create({"name": "未管控客户", "is_company": True})
        independent.with_user(self.credit_user).write({"parent_id": loose.id})
        self.assertEqual(independent.parent_id, loose)
        independent.with_user(self.credit_user).write({"parent_id": False})
        independent.with_user(self.credit_manager).write({"parent_id": self.customer.id})
        self.assertEqual(independent._credit_debtor(self.company)[independent.id], self.customer.id)

    def test_a_company_with_its_own_decision_stands_alone_and_moves(self):
        own = self.Partner.create({"name": "自有额度公司", "is_company": True})
        own.with_user(self.credit_manager)._apply_credit_decision(500, 30, reason="Its own limit")
        own.with_user(self.credit_officer).write({"parent_id": self.customer.id})
        self.assertEqual(own._credit_debtor(self.company)[own.id], own.id)

    def test_with_every_customer_controlled_no_new_company_joins_a_group(self):
        self.company.credit_enforce_all = True
        loose = self.Partner.create({"name": "无额度客户", "is_company": True})
        with self.assertRaises(AccessError):
            self.Partner.with_user(self.credit_user).create(
                {"name": "无额度客户 分公司", "is_company": True, "parent_id": loose.id}
            )
        self.Partner.with_user(self.credit_user).create({"name": "联系人", "parent_id": loose.id})


class TestDemoUsersAreNoAdministrators(CreditCase):
    """Odoo gives every internal user the groups modules add to the template user (Invoicing and
    Sales Administrator); the demo's people have only what their roles need."""

    def test_demo_people_are_no_invoicing_sales_or_settings_administrators(self):
        salespeople = [
            f"customer_archive.user_{login}_demo" for login in ("wangfang", "chengang", "liqiang", "zhangwei")
        ]
        archive = [f"customer_archive.user_{login}_demo" for login in ("sunli", "zhaomin", "zhoujianhua")]
        credit = [f"customer_credit.user_{login}_demo" for login in ("liuyang", "huanglei")]
        if not self.env.ref(salespeople[0], raise_if_not_found=False):
            raise SkipTest("the demo data is not installed")
        for xmlid in salespeople + archive + credit:
            user = self.env.ref(xmlid)
            with self.subTest(user=user.login):
                for group in ("account.group_account_manager", "base.group_system", "base.group_erp_manager"):
                    self.assertFalse(user.has_group(group), group)
                # Billing is the credit department's only.
                self.assertEqual(user.has_group("account.group_account_invoice"), xmlid in credit)
                # The general manager runs sales; the others are no sales administrators.
                self.assertEqual(
                    user.has_group("sales_team.group_sale_manager"), xmlid.endswith("zhoujianhua_demo")
                )
        for xmlid in salespeople:
            user = self.env.ref(xmlid)
            self.assertTrue(user.has_group("sales_team.group_sale_salesman"))
            self.assertFalse(user.has_group("sales_team.group_sale_salesman_all_leads"))
            self.assertTrue(user.has_group("customer_credit.group_credit_user"))


class TestApplicationDocuments(AttackCase):
    """A credit application is decided on its documents (licences, financial statements): once
    submitted, their files are not swapped or deleted through the files themselves."""

    def apply(self, *files):
        Application = self.env["customer.credit.application"].with_user(self.credit_user)
        return Application.create(
            {
                "partner_id": self.customer.id,
                "requested_limit": 80000,
                "reason": "New distribution contract",
                "guarantee_type": "none",
                "document_ids": [Command.set([file.id for file in files])],
            }
        )

    def upload(self, res_id=0):
        # As the form's upload widget does: before the record is saved (no id), or after.
        Attachment = self.env["ir.attachment"].with_user(self.credit_user)
        return Attachment.create(
            {
                "name": "财务报表.pdf",
                "raw": b"real figures",
                "res_model": "customer.credit.application",
                "res_id": res_id,
            }
        )

    def test_the_documents_of_a_submitted_application_stay_as_submitted(self):
        before = self.upload()
        application = self.apply(before)
        after = self.upload(application.id)
        application.with_user(self.credit_user).write({"document_ids": [Command.link(after.id)]})
        # A draft's files are the requester's to change.
        before.with_user(self.credit_user).write({"raw": b"real figures"})
        application.with_user(self.credit_user).action_submit()
        files = before | after
        for file in files:
            attacks = {
                "replace the content": lambda f: f.write({"raw": b"forged"}),
                "replace the datas": lambda f: f.write({"datas": "Zm9yZ2Vk"}),
                "move it away": lambda f: f.write({"res_model": "res.partner", "res_id": self.customer.id}),
                "make it public": lambda f: f.write({"public": True}),
                "delete it": lambda f: f.unlink(),
            }
            for label, attack in attacks.items():
                with self.subTest(file=file.id, attack=label), self.assertRaises(UserError):
                    attack(file.with_user(self.credit_user))
        self.assertEqual(application.sudo().document_ids, files)
        self.assertEqual(set(files.sudo().mapped("raw")), {b"real figures"})
        # Its name is no part of the figures; the credit officer reviews on the same files.
        after.with_user(self.credit_user).write({"name": "2025 财务报表.pdf"})
        application.with_user(self.credit_officer).action_review("Figures checked")
        self.assertEqual(application.state, "reviewed")

    def test_a_document_is_a_file_of_the_application_itself(self):
        # A file attached to another record (the customer) would go with that record, by Odoo
        # itself, whatever the application's state: the file is uploaded to the application.
        elsewhere = (
            self.env["ir.attachment"]
            .with_user(self.credit_user)
            .create(
                {
                    "name": "营业执照.pdf",
                    "raw": b"licence",
                    "res_model": "res.partner",
                    "res_id": self.customer.id,
                }
            )
        )
        with self.assertRaises(UserError):
            self.apply(elsewhere)
        application = self.apply(self.upload())
        with self.assertRaises(UserError):
            application.with_user(self.credit_user).write({"document_ids": [Command.link(elsewhere.id)]})
        self.assertEqual(
            {(f.res_model, f.res_id) for f in application.sudo().document_ids},  # sudo: as stored
            {(application._name, application.id)},
        )
        # Nor is another user's upload taken (Odoo links files by id without reading them), a
        # file of no record or one waiting in their message box.
        for values in ({}, {"res_model": "mail.compose.message", "res_id": 0}):
            private = (
                self.env["ir.attachment"]
                .with_user(self.other_sales)
                .create({"name": "私人.pdf", "raw": b"private", **values})
            )
            with self.subTest(values=values), self.assertRaises(UserError):
                application.with_user(self.credit_user).write({"document_ids": [Command.link(private.id)]})
            self.assertFalse(private.sudo().res_id)  # sudo: as stored
        # A duplicate of a draft is given its documents anew.
        copy = application.with_user(self.credit_user).copy()
        self.assertFalse(copy.sudo().document_ids)  # sudo: as stored

    def test_no_token_opens_a_held_file(self):
        file = self.upload()
        application = self.apply(file)
        application.with_user(self.credit_user).action_submit()
        # Odoo's own code makes tokens as the system (a message formatted for the portal).
        self.assertEqual(file.sudo().generate_access_token(), [False])  # sudo: as Odoo's portal code calls it
        self.assertFalse(file.sudo().access_token)  # sudo: the stored token
        loose = self.upload()
        self.assertTrue(loose.sudo().generate_access_token()[0])  # sudo: as Odoo's portal code calls it
        with self.assertRaises(UserError):
            file.with_user(self.credit_user).write({"company_id": False})

    def test_the_content_of_a_file_is_read_only_by_who_reads_its_record(self):
        file = self.upload()
        application = self.apply(file)
        employee = new_test_user(self.env, "cc_attack_employee", groups="base.group_user")
        for user in (employee, self.other_sales):
            for fields in (["raw"], ["datas"], ["name", "raw"]):
                with self.subTest(user=user.login, fields=fields), self.assertRaises(AccessError):
                    file.with_user(user).read(fields)
            with self.subTest(user=user.login, path="web_read"), self.assertRaises(AccessError):
                file.with_user(user).web_read({"raw": {}})
        # Whoever reads the application reads its files.
        for user in (self.credit_user, self.credit_officer):
            with self.subTest(user=user.login):
                self.assertEqual(file.with_user(user).read(["raw"])[0]["raw"], b"real figures")
        self.assertEqual(application.with_user(self.credit_officer).document_ids, file)


class TestACustomerMadeAContactOfAnother(AttackCase):
    """A customer in its own right made a contact of another partner (``is_company`` off, under a
    parent) moves its orders, invoices and credit to that partner's customer: a takeover of another
    salesperson's customer, a company buying on a controlled customer's credit, or a controlled
    customer leaving its own limit. Only a credit manager does it."""

    def assert_own(self, partner):
        self.assertEqual(partner.commercial_partner_id, partner)

    def test_another_salespersons_customer_is_not_made_ones_contact(self):
        own = self.Partner.create({"name": "钱的公司", "is_company": True, "user_id": self.other_sales.id})
        with self.assertRaises(AccessError):
            self.customer.with_user(self.other_sales).write({"is_company": False, "parent_id": own.id})
        self.assert_own(self.customer)
        self.assertFalse(self.customer.with_user(self.other_sales)._credit_visible_partners())

    def test_a_company_does_not_join_a_controlled_customer_as_a_person(self):
        own = self.Partner.create({"name": "自己的公司", "is_company": True, "user_id": self.credit_user.id})
        for values in (
            {"is_company": False, "parent_id": self.customer.id},
            {"company_type": "person", "parent_id": self.customer.id},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                own.with_user(self.credit_user).write(values)
            self.assert_own(own)
        own.with_user(self.credit_manager).write({"is_company": False, "parent_id": self.customer.id})
        self.assertEqual(own.commercial_partner_id, self.customer)

    def test_a_controlled_customer_does_not_leave_its_control_as_a_person(self):
        loose = self.Partner.create(
            {"name": "未管控公司", "is_company": True, "user_id": self.credit_user.id}
        )
        with self.assertRaises(AccessError):
            self.customer.with_user(self.credit_user).write({"is_company": False, "parent_id": loose.id})
        self.assert_own(self.customer)
        self.assertEqual(self.customer._credit_debtor(self.company)[self.customer.id], self.customer.id)

    def test_a_salesperson_attaches_their_own_uncontrolled_customer(self):
        loose = self.Partner.create(
            {"name": "未管控公司", "is_company": True, "user_id": self.credit_user.id}
        )
        person = self.Partner.create({"name": "个人客户 李", "user_id": self.credit_user.id})
        person.with_user(self.credit_user).write({"parent_id": loose.id})
        self.assertEqual(person.commercial_partner_id, loose)
