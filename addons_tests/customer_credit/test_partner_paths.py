"""Paths around a customer's credit that a salesperson found as an RPC caller (December 2026):
the commercial entity written by hand, the invoice address of another customer, a contact bringing
its debts into a controlled customer, searches that answer yes/no questions about hidden values
(Odoo's Total Receivable, one2many lists, the order's verdict), odd ids and the grade's search.
Each forbidden path raises and changes nothing; the allowed path is tested beside it."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .test_attack_review import AttackCase


class PathCase(AttackCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outsider = cls.Partner.create({"name": "无关公司", "is_company": True})

    def quotation(self, user, amount, partner=None, invoice=None, order_user=None):
        values = {
            "partner_id": (partner or self.customer).id,
            "user_id": (order_user or user).id,
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
        if invoice:
            values["partner_invoice_id"] = invoice.id
        return self.env["sale.order"].with_user(user).create(values)

    def exposure(self, partner):
        figures = partner._credit_exposure_figures(self.company, partner.ids).get(partner.id)
        return figures.exposure if figures else 0.0


class TestTheCommercialEntityFollowsTheCompany(PathCase):
    """``commercial_partner_id`` decides whose archives, salesperson and credit a contact shares:
    Odoo computes it from the parent; nobody writes it (customer_archive's rule)."""

    def test_sales_staff_do_not_write_it_and_a_held_customer_stays_held(self):
        contact = self.Partner.with_user(self.credit_user).create(
            {"name": "采购 王", "parent_id": self.customer.id}
        )
        self.assertEqual(contact.commercial_partner_id, self.customer)
        Partner = self.Partner.with_user(self.credit_user)
        for partner, value in ((contact, contact), (self.customer, self.outsider), (contact, self.outsider)):
            with self.subTest(partner=partner.name, value=value.name), self.assertRaises(AccessError):
                partner.with_user(self.credit_user).write({"commercial_partner_id": value.id})
        self.assertEqual(contact.commercial_partner_id, self.customer)
        self.assertEqual(self.customer.commercial_partner_id, self.customer)
        with self.assertRaises(AccessError):
            Partner.create(
                {"name": "新联系人", "parent_id": self.customer.id, "commercial_partner_id": self.outsider.id}
            )
        with self.assertRaises(AccessError):
            Partner.with_context(default_commercial_partner_id=self.outsider.id).create({"name": "新联系人"})
        with self.assertRaises(AccessError):
            contact.with_user(self.credit_user).copy({"commercial_partner_id": self.outsider.id})
        result = Partner.load(
            [".id", "commercial_partner_id/.id"], [[str(contact.id), str(self.outsider.id)]]
        )
        self.assertFalse(result["ids"], result)
        self.assertEqual(contact.commercial_partner_id, self.customer)
        # The order of the customer over its limit (1,000) is still held, whoever it is sold to.
        order = self.quotation(self.credit_user, 5000, partner=contact)
        order.with_user(self.credit_user).action_confirm()
        self.assertEqual(order.state, "credit_hold")
        # Allowed: the value it has (a form, an import), and the supported path, the parent.
        contact.with_user(self.credit_user).write({"commercial_partner_id": self.customer.id})
        own = Partner.create({"name": "自己的公司", "is_company": True, "user_id": self.credit_user.id})
        person = Partner.create({"name": "个人 李", "user_id": self.credit_user.id})
        person.write({"parent_id": own.id})
        self.assertEqual(person.commercial_partner_id, own)

    def test_another_salesperson_does_not_open_a_customers_credit_through_a_contact(self):
        contact = self.Partner.with_user(self.other_sales).create(
            {"name": "钱的联系人", "parent_id": self.customer.id, "user_id": self.other_sales.id}
        )
        self.confirmed_order(self.customer, 600)
        with self.assertRaises(AccessError):
            contact.with_user(self.other_sales).write({"commercial_partner_id": contact.id})
        seen = contact.with_user(self.other_sales).read(
            ["credit_exposure", "credit_available", "credit_limit_shown"]
        )
        self.assertEqual(
            (seen[0]["credit_exposure"], seen[0]["credit_available"], seen[0]["credit_limit_shown"]),
            (0.0, 0.0, 0.0),
        )
        # The customer's own salesperson reads them: 600 of the 1,000 (no tax on the line).
        mine = self.customer.with_user(self.credit_user).read(["credit_exposure", "credit_available"])[0]
        self.assertEqual((mine["credit_exposure"], mine["credit_available"]), (600.0, 400.0))

    def test_a_company_of_a_group_does_not_leave_the_group_credit(self):
        branch = self.Partner.with_user(self.credit_manager).create(
            {
                "name": "华南电子 分公司",
                "is_company": True,
                "parent_id": self.customer.id,
                "user_id": self.credit_user.id,
            }
        )
        self.assertEqual(branch._credit_debtor(self.company)[branch.id], self.customer.id)
        stray = self.Partner.with_user(self.credit_user).create({"name": "空壳", "is_company": True})
        for user in (self.credit_user, self.credit_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                branch.with_user(user).write({"commercial_partner_id": stray.id})
        self.assertEqual(branch._credit_debtor(self.company)[branch.id], self.customer.id)
        order = self.quotation(self.credit_user, 5000, partner=branch)
        order.with_user(self.credit_user).action_confirm()
        self.assertEqual(order.state, "credit_hold")


class TestTheInvoiceAddressIsTheCustomers(PathCase):
    """The debt of an order lies with its invoice address: for a customer under credit control it
    is the customer, one of its addresses or a company of its group, unless a credit manager
    decides otherwise."""

    def test_an_order_is_not_invoiced_to_another_customer(self):
        stranger = self.Partner.with_user(self.credit_user).create({"name": "刚建的个人"})
        Order = self.env["sale.order"]
        count = Order.search_count([])
        for payer in (self.outsider, stranger):
            with self.subTest(payer=payer.name), self.assertRaises(UserError):
                self.quotation(self.credit_user, 5000, invoice=payer)
        self.assertEqual(Order.search_count([]), count)
        quotation = self.quotation(self.credit_user, 5000)
        with self.assertRaises(UserError):
            quotation.with_user(self.credit_user).write({"partner_invoice_id": self.outsider.id})
        self.assertEqual(quotation.partner_invoice_id, self.customer)
        # Nor in a batch, a copy or an import.
        loose = self.Partner.create(
            {"name": "未管控公司", "is_company": True, "user_id": self.credit_user.id}
        )
        batch = quotation | self.quotation(self.credit_user, 10, partner=loose)
        with self.assertRaises(UserError):
            batch.with_user(self.credit_user).write({"partner_invoice_id": self.outsider.id})
        self.assertEqual(batch.partner_invoice_id, self.customer | loose)
        with self.assertRaises(UserError):
            quotation.with_user(self.credit_user).copy({"partner_invoice_id": self.outsider.id})
        result = (
            self.env["sale.order"]
            .with_user(self.credit_user)
            .load([".id", "partner_invoice_id/.id"], [[str(quotation.id), str(self.outsider.id)]])
        )
        self.assertFalse(result["ids"], result)
        self.assertEqual(quotation.partner_invoice_id, self.customer)
        self.assertEqual(Order.search_count([]), count + 2)
        # Its own invoice address is invoiced, and the order is checked against its limit.
        billing = self.Partner.with_user(self.credit_user).create(
            {"name": "财务部", "type": "invoice", "parent_id": self.customer.id}
        )
        quotation.with_user(self.credit_user).write({"partner_invoice_id": billing.id})
        quotation.with_user(self.credit_user).action_confirm()
        self.assertEqual(quotation.state, "credit_hold")
        # A credit manager may invoice another customer: that customer's credit then decides.
        manager = new_test_user(
            self.env,
            "cc_path_manager",
            groups="sales_team.group_sale_salesman_all_leads,customer_credit.group_credit_manager",
        )
        third = self.quotation(manager, 5000, invoice=self.outsider, order_user=self.credit_user)
        third.with_user(self.credit_user).action_confirm()
        self.assertEqual(third.state, "sale")
        self.assertEqual(self.exposure(self.customer), 0.0)

    def test_a_confirmed_order_does_not_move_to_another_payer(self):
        order = self.confirmed_order(self.customer, 100)
        self.assertEqual(order.state, "sale")
        with self.assertRaises(UserError):
            order.with_user(self.credit_user).write({"partner_invoice_id": self.outsider.id})
        self.assertEqual(order.partner_invoice_id, self.customer)
        self.assertEqual(self.exposure(self.customer), 100.0)

    def test_an_uncontrolled_customer_is_invoiced_as_before(self):
        loose = self.Partner.create(
            {"name": "未管控公司", "is_company": True, "user_id": self.credit_user.id}
        )
        order = self.quotation(self.credit_user, 5000, partner=loose, invoice=self.outsider)
        order.with_user(self.credit_user).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_a_person_who_owes_does_not_join_a_controlled_customer(self):
        person = self.Partner.create({"name": "个人客户 赵", "user_id": self.credit_user.id})
        order = self.quotation(self.credit_user, 5000, partner=person)
        order.with_user(self.credit_user).action_confirm()
        self.assertEqual(order.state, "sale")  # uncontrolled: no check
        with self.assertRaises(AccessError):
            person.with_user(self.credit_user).write({"parent_id": self.customer.id})
        with self.assertRaises(AccessError):  # from the customer's side: its contacts list
            self.customer.with_env(self.rpc_env(self.credit_user)).write(
                {"child_ids": [Command.link(person.id)]}
            )
        self.assertFalse(person.parent_id)
        self.assertEqual(self.exposure(self.customer), 0.0)
        # Nor does a contact of an uncontrolled company bring that company's orders in.
        loose = self.Partner.create(
            {"name": "未管控公司", "is_company": True, "user_id": self.credit_user.id}
        )
        buyer = self.Partner.create({"name": "采购 孙", "parent_id": loose.id})
        self.quotation(self.credit_user, 300, partner=buyer).with_user(self.credit_user).action_confirm()
        with self.assertRaises(AccessError):
            buyer.with_user(self.credit_user).write({"parent_id": self.customer.id})
        self.assertEqual(buyer.parent_id, loose)
        self.assertEqual(self.exposure(self.customer), 0.0)
        # A person owing nothing joins it as its contact; a credit manager attaches the other.
        newcomer = self.Partner.create({"name": "个人 钱", "user_id": self.credit_user.id})
        newcomer.with_user(self.credit_user).write({"parent_id": self.customer.id})
        self.assertEqual(newcomer.commercial_partner_id, self.customer)
        person.with_user(self.credit_manager).write({"parent_id": self.customer.id})
        self.assertEqual(self.exposure(self.customer), 5000.0)


class TestDebtsMovedTellNothingOfAnothersCustomer(PathCase):
    """A refusal to place an owing partner under another salesperson's customer said "under credit
    control" and the amount, and came only for controlled customers: a salesperson learned which
    of the others' customers are under credit control. Now any such customer refuses alike."""

    def test_another_salespersons_customer_refuses_alike_controlled_or_not(self):
        loose = self.Partner.create(
            {"name": "未管控客户", "is_company": True, "user_id": self.credit_user.id}
        )
        messages = []
        for target in (self.customer, loose):
            person = self.Partner.create({"name": f"个人 {target.id}", "user_id": self.other_sales.id})
            self.quotation(self.other_sales, 700, partner=person).with_user(self.other_sales).action_confirm()
            with self.subTest(target=target.name), self.assertRaises(AccessError) as refused:
                person.with_user(self.other_sales).write({"parent_id": target.id})
            self.assertFalse(person.parent_id)
            messages.append(str(refused.exception).replace(target.name, "X").replace(person.name, "P"))
        self.assertEqual(messages[0], messages[1])
        self.assertNotIn("credit control", messages[0])
        self.assertNotIn("700", messages[0])
        # Their own uncontrolled customer takes it; the controlled customer's salesperson is told why.
        mine = self.Partner.create({"name": "自己的客户", "is_company": True, "user_id": self.other_sales.id})
        person = self.Partner.create({"name": "个人 孙", "user_id": self.other_sales.id})
        self.quotation(self.other_sales, 700, partner=person).with_user(self.other_sales).action_confirm()
        person.with_user(self.other_sales).write({"parent_id": mine.id})
        self.assertEqual(person.commercial_partner_id, mine)
        owing = self.Partner.create({"name": "个人 李", "user_id": self.credit_user.id})
        self.quotation(self.credit_user, 700, partner=owing).with_user(self.credit_user).action_confirm()
        with self.assertRaisesRegex(AccessError, "under credit control"):
            owing.with_user(self.credit_user).write({"parent_id": self.customer.id})


class TestAMergeMovesDebtsToo(PathCase):
    """Odoo's contact merge moves orders and invoices in SQL: no write of a partner or an order runs,
    so the merge answers to the rules of moving partners."""

    def merge(self, user, partners, kept):
        Wizard = self.env["base.partner.merge.automatic.wizard"].with_user(user)
        Wizard.create({"partner_ids": [Command.set(partners.ids)], "dst_partner_id": kept.id}).action_merge()

    def test_a_salesperson_does_not_merge_debts_into_or_out_of_a_controlled_customer(self):
        self.credit_user.groups_id = [Command.link(self.env.ref("base.group_partner_manager").id)]
        self.customer.email = "buy@example.com"  # Odoo merges only partners of one e-mail but for admins
        person = self.Partner.create({"name": "个人客户 周", "email": "buy@example.com"})
        order = self.quotation(self.credit_user, 5000, partner=person)
        order.with_user(self.credit_user).action_confirm()
        self.assertEqual(order.state, "sale")  # uncontrolled: no check
        with self.assertRaises(AccessError):
            self.merge(self.credit_user, person | self.customer, self.customer)
        self.assertTrue(person.exists())
        self.assertEqual((order.partner_id, order.partner_invoice_id), (person, person))
        self.assertEqual(self.exposure(self.customer), 0.0)
        # Out of it: a contact of the customer, owing its order, merged into an uncontrolled partner.
        billing = self.Partner.create(
            {"name": "财务部", "type": "invoice", "parent_id": self.customer.id, "email": "pay@example.com"}
        )
        self.confirmed_order(billing, 300)
        elsewhere = self.Partner.create({"name": "别处", "email": "pay@example.com"})
        with self.assertRaises(AccessError):
            self.merge(self.credit_user, billing | elsewhere, elsewhere)
        self.assertTrue(billing.exists())
        self.assertEqual(self.exposure(self.customer), 300.0)
        # Merging what moves no debt between customers passes, and a credit manager merges the rest.
        twin = self.Partner.create({"name": "个人客户 周（重复）", "email": "buy@example.com"})
        self.merge(self.credit_user, twin | person, person)
        self.assertFalse(twin.exists())
        manager = new_test_user(
            self.env,
            "cc_path_merge_manager",
            groups="base.group_partner_manager,customer_credit.group_credit_manager",
        )
        self.merge(manager, person | self.customer, self.customer)
        self.assertEqual(order.partner_invoice_id, self.customer)
        self.assertEqual(self.exposure(self.customer), 5300.0)


class TestARefusalNamesNoHiddenFigures(PathCase):
    def test_growth_of_an_order_invoiced_to_a_customer_one_may_not_see(self):
        # A credit manager lets another salesperson's order be invoiced to this customer.
        manager = new_test_user(
            self.env,
            "cc_path_growth_manager",
            groups="sales_team.group_sale_salesman_all_leads,customer_credit.group_credit_manager",
        )
        own = self.Partner.create({"name": "钱的客户", "is_company": True, "user_id": self.other_sales.id})
        order = self.quotation(manager, 100, partner=own, invoice=self.customer, order_user=self.other_sales)
        order.with_user(self.other_sales).action_confirm()
        self.assertEqual(order.state, "sale")
        with self.assertRaises(UserError) as refused:
            order.order_line.with_user(self.other_sales).write({"price_unit": 5000})
        message = str(refused.exception)
        self.assertIn("does not cover the change", message)
        self.assertNotIn("1,000", message)
        self.assertEqual(order.amount_total, 100.0)
        # The customer's salesperson reads why.
        mine = self.confirmed_order(self.customer, 100)
        with self.assertRaises(UserError) as told:
            mine.order_line.with_user(self.credit_user).write({"price_unit": 5000})
        self.assertIn("1,000", str(told.exception))


class TestSearchesAreReads(PathCase):
    """A search on a field answers yes/no questions about its value: nobody searches a value they
    may not read, and "is set" on a list does not tell what its records' rules hide."""

    def test_total_receivable_and_payable_are_searched_by_accounting_only(self):
        self.invoice(self.customer, 220)
        for model in ("res.partner", "res.users"):
            for name in ("credit", "debit"):
                with self.subTest(model=model, field=name), self.assertRaises(AccessError):
                    self.env[model].with_user(self.credit_user).search_count([(name, ">", 100)])
        order = self.quotation(self.credit_user, 10)
        Order = self.env["sale.order"]
        with self.assertRaises(AccessError):  # through another model's path
            Order.with_user(self.credit_user).search_count([("partner_id.credit", ">", 100)])
        self.assertIn(order, Order.search([("partner_id.credit", ">", 100)]))
        Partner = self.Partner  # the accounting test user
        self.assertIn(self.customer, Partner.search([("credit", ">", 100)]))
        self.assertNotIn(self.customer, Partner.search([("credit", ">", 300)]))

    def test_no_hidden_searchable_field_is_searched_by_sales_staff(self):
        # Every field computed with a search method whose groups a salesperson lacks, on every
        # model they may read: Odoo 18 checks the groups of stored fields only.
        user = self.credit_user
        checked = []
        for model_name in ("res.partner", "res.users", "sale.order", "account.move", "customer.credit.hold"):
            Model = self.env[model_name].with_user(user)
            for name, field in Model._fields.items():
                if (
                    field.store
                    or not field.search
                    or not field.groups
                    or Model.env.user.has_groups(field.groups)
                ):
                    continue
                checked.append(f"{model_name}.{name}")
                with self.subTest(field=f"{model_name}.{name}"), self.assertRaises(AccessError):
                    Model.search_count([(name, "=", False)])
        self.assertIn("res.partner.credit", checked)
        self.assertIn("res.partner.credit_overdue_days", checked)

    def test_lists_of_the_credit_department_tell_nothing_hidden(self):
        officer = self.env["customer.credit.collection.log"].with_user(self.credit_officer)
        log = officer.create({"partner_id": self.customer.id, "kind": "call", "note": "催款电话"})
        Partner = self.Partner.with_user(self.other_sales)
        for domain in ([("credit_evaluation_ids", "!=", False)], [("credit_check_count", ">", 0)]):
            with self.subTest(domain=domain), self.assertRaises(AccessError):
                Partner.search(domain)
        # The log is read and searched with its record rules: its customer's salesperson and the
        # credit department find it, another salesperson finds nothing, by no operator.
        for domain in (
            [("credit_collection_log_ids", "!=", False)],
            [("credit_collection_log_ids", "in", log.ids)],
            [("credit_collection_log_ids", "=", log.id)],
            [("credit_collection_log_ids", "any", [("kind", "=", "call")])],
        ):
            with self.subTest(domain=domain):
                self.assertNotIn(self.customer, Partner.search(domain))
                for user in (self.credit_user, self.credit_officer):
                    self.assertIn(self.customer, self.Partner.with_user(user).search(domain))
        self.assertIn(self.customer, Partner.search([("credit_collection_log_ids", "=", False)]))
        self.assertNotIn(
            self.customer,
            self.Partner.with_user(self.credit_user).search([("credit_collection_log_ids", "=", False)]),
        )
        with self.assertRaises(UserError):
            Partner.search([("credit_collection_log_ids", "ilike", "催款")])
        # On another model's path too (an order's customer).
        order = self.quotation(self.credit_user, 10)
        Order = self.env["sale.order"]
        self.assertFalse(
            Order.with_user(self.other_sales).search([("partner_id.credit_collection_log_ids", "!=", False)])
        )
        self.assertIn(
            order,
            Order.with_user(self.credit_user).search([("partner_id.credit_collection_log_ids", "!=", False)]),
        )
        # The list shows what the rules let read, by every read path; the button opens the same log.
        spec = {"credit_collection_log_ids": {"fields": {"note": {}}}}
        self.assertEqual(
            self.customer.with_user(self.other_sales).web_read(spec)[0]["credit_collection_log_ids"], []
        )
        seen = self.customer.with_user(self.credit_user).web_read(spec)[0]["credit_collection_log_ids"]
        self.assertEqual([row["id"] for row in seen], log.ids)
        self.assertFalse(self.customer.with_user(self.other_sales).credit_collection_log_ids)
        self.assertEqual(self.customer.with_user(self.credit_user).credit_collection_log_ids, log)
        for user, expected in ((self.credit_user, log), (self.other_sales, officer.browse())):
            action = self.customer.with_user(user).action_view_credit_collection_log()
            logs = self.env["customer.credit.collection.log"].with_user(user).search(action["domain"])
            self.assertEqual(logs, expected.with_user(user), user.login)
        # A log recorded after the list was read is in it.
        second = officer.create({"partner_id": self.customer.id, "kind": "visit"})
        self.assertEqual(self.customer.with_user(self.credit_user).credit_collection_log_ids, log | second)


class TestTheVerdictFollowsTheFigures(PathCase):
    """The order's "would be held" answers as the figures do: for a customer whose credit the user
    may not see, a verdict changing with the amount would tell its available credit."""

    def test_another_salesperson_gets_no_verdict_on_a_customer_not_theirs(self):
        theirs = self.quotation(self.other_sales, 10)
        Order = self.env["sale.order"].with_user(self.other_sales)
        for amount in (10, 5000):
            theirs.order_line.with_user(self.other_sales).write({"price_unit": amount})
            theirs.invalidate_recordset()
            seen = theirs.with_user(self.other_sales).read(["credit_would_hold", "credit_would_hold_reason"])[
                0
            ]
            self.assertEqual(
                (seen["credit_would_hold"], seen["credit_would_hold_reason"]), (False, False), amount
            )
            self.assertFalse(Order.search([("id", "=", theirs.id), ("credit_would_hold", "=", True)]))
        # The customer's salesperson gets it, and the confirmation holds whoever confirms.
        mine = self.quotation(self.credit_user, 5000)
        self.assertTrue(mine.with_user(self.credit_user).credit_would_hold)
        self.assertEqual(
            self.env["sale.order"].with_user(self.credit_user).search([("credit_would_hold", "=", True)]),
            mine,
        )
        theirs.with_user(self.other_sales).action_confirm()
        self.assertEqual(theirs.state, "credit_hold")

    def test_an_invoice_verdict_is_shown_to_who_sees_the_credit(self):
        draft = self.invoice(self.customer, 5000, post=False)
        self.assertFalse(self.env.user.has_group("customer_credit.group_credit_officer"))
        self.assertFalse(draft.credit_would_hold)  # the accounting test user: no credit figures
        self.assertTrue(draft.with_user(self.credit_officer).credit_would_hold)


class TestOddIds(PathCase):
    """Ids an RPC client sends as it likes get what Odoo gives them, not a server error."""

    def test_the_exposure_reads_around_ids_that_are_no_rows(self):
        self.confirmed_order(self.customer, 600)
        Partner = self.Partner.with_user(self.credit_user)
        for ids in (
            [2**31, self.customer.id],
            [None, self.customer.id],
            [float(self.customer.id), self.customer.id],
        ):
            with self.subTest(ids=ids):
                rows = Partner.browse(ids).read(["name", "credit_exposure"])
                mine = [row for row in rows if row["id"] == self.customer.id]
                self.assertTrue(mine)
                self.assertIn(600.0, [row["credit_exposure"] for row in mine])

    def test_a_grade_search_refuses_what_it_cannot_answer(self):
        Partner = self.Partner.with_user(self.credit_user)
        for operator, value in (("child_of", 1), ("in", [[1]]), ("any", [("id", "=", 1)]), ("ilike", 3)):
            with self.subTest(operator=operator, value=value), self.assertRaises(UserError):
                Partner.search([("credit_grade_id", operator, value)])


class TestTheGradeSearch(PathCase):
    """A search on the grade finds what the grade reads: the grade in force, False without one
    or where the user may not see it, with a many2one's operators."""

    def evaluate(self, partner):
        evaluation = (
            self.env["customer.credit.evaluation"]
            .with_user(self.credit_officer)
            .create(
                {
                    "partner_id": partner.id,
                    "scorecard_id": self.scorecard.id,
                    "risk_plan": "plan",
                    "risk_plan_review_date": self.today,
                }
            )
        )
        evaluation.action_submit()
        evaluation.with_user(self.credit_manager).action_approve()
        return evaluation

    def test_every_operator_finds_what_the_field_reads(self):
        Partner = self.Partner.with_user(self.credit_user)
        graded = Partner.create({"name": "已评级", "is_company": True, "user_id": self.credit_user.id})
        ungraded = Partner.create({"name": "未评级", "is_company": True, "user_id": self.credit_user.id})
        others = self.Partner.create({"name": "别人的", "is_company": True, "user_id": self.other_sales.id})
        for partner in (graded, others, self.customer):
            self.evaluate(partner)
        scope = graded | ungraded | others | self.customer
        values = {partner.id: partner.credit_grade_id for partner in scope.with_user(self.credit_user)}
        grade = values[graded.id]
        self.assertTrue(grade)
        self.assertFalse(values[others.id])  # another salesperson's customer: not shown
        name = grade.with_user(self.credit_user).name
        cases = [
            (("=", False), lambda g: not g),
            (("!=", False), lambda g: bool(g)),
            (("=", grade.id), lambda g: g == grade),
            (("!=", grade.id), lambda g: g != grade),
            (("in", [grade.id]), lambda g: g == grade),
            (("not in", [grade.id]), lambda g: g != grade),
            (("in", [grade.id, False]), lambda g: g == grade or not g),
            (("in", []), lambda g: False),
            (("not in", []), lambda g: True),
            (("=?", False), lambda g: True),
            (("=?", grade.id), lambda g: g == grade),
            (("=", name), lambda g: g == grade),
            (("ilike", name), lambda g: bool(g) and name.lower() in g.name.lower()),
            (("not ilike", name), lambda g: not g or name.lower() not in g.name.lower()),
        ]
        for (operator, value), matches in cases:
            with self.subTest(operator=operator, value=value):
                found = Partner.search([("id", "in", scope.ids), ("credit_grade_id", operator, value)])
                expected = scope.filtered(lambda p, matches=matches: matches(values[p.id]))
                self.assertEqual(set(found.ids), set(expected.ids))
