"""Issue 11: a field hidden from a user (by groups) cannot be searched, sorted or grouped by that
user either, including computed fields with a search method, so nobody rebuilds a hidden value
by asking yes/no questions."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class TestHiddenFieldsStayHidden(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "customer_archive.group_archive_user,customer_credit.group_credit_user"
        cls.sales = new_test_user(cls.env, "hf_sales", groups=groups, name="Sales Hu")
        cls.officer = new_test_user(
            cls.env,
            "hf_officer",
            groups="customer_archive.group_archive_officer,customer_credit.group_credit_officer",
            name="Officer Ma",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "华北重工", "is_company": True, "user_id": cls.sales.id, "payment_habits": "pays late"}
        )
        cls.card = cls.env["customer.archive.card"].create(
            {"partner_id": cls.customer.id, "annual_revenue": 1}
        )

    def test_hidden_fields_are_neither_searched_sorted_nor_grouped(self):
        Partner = self.env["res.partner"].with_user(self.sales)
        searches = [
            [("payment_habits", "ilike", "late")],  # credit officers' field
            [("credit_overdue_days", ">", 30)],  # computed, with a search method, officers only
        ]
        for domain in searches:
            with self.subTest(domain=domain), self.assertRaises(AccessError):
                Partner.search(domain)
        # The archive card of the salesperson's own customer: its sensitive fields stay hidden.
        Card = self.env["customer.archive.card"].with_user(self.sales)
        self.assertEqual(Card.search([]), self.card)
        for domain in (
            [("registered_capital", ">", 1000000)],  # the archive office's sensitive figures
            [("annual_revenue", ">", 0)],
            [("identity_number", "=", "310101199001011234")],  # encrypted, with a blind index
            [("identity_number_index", "!=", False)],
        ):
            with self.subTest(domain=domain), self.assertRaises(AccessError):
                Card.search(domain)
        for order in ("registered_capital desc", "annual_revenue"):
            with self.subTest(order=order), self.assertRaises(AccessError):
                Card.search([("id", "=", self.card.id)], order=order)
        with self.assertRaises(AccessError):
            Card.read_group([("id", "=", self.card.id)], ["id:count"], ["registered_capital"])
        with self.assertRaises(AccessError):
            Partner.read_group([("id", "=", self.customer.id)], ["id:count"], ["payment_habits"])
        # What the user may see, they may search: their own customer's credit, within their group.
        self.assertEqual(
            Partner.search([("id", "=", self.customer.id), ("credit_over_limit", "=", False)]), self.customer
        )
        # And the officer, who sees the hidden fields, searches them.
        Officer = self.env["res.partner"].with_user(self.officer)
        self.assertEqual(Officer.search([("payment_habits", "ilike", "late")]), self.customer)
        self.assertIn(self.customer, Officer.search([("credit_overdue_days", "=", 0)]))


class TestEveryHiddenFieldStaysHidden(TransactionCase):
    """The kind, not the instances: every field of both addons hidden by groups, whose search Odoo
    does not check itself (a search method, a list of lines asked whether it is empty or holds a
    record), refuses a search by a user it is hidden from, and answers one who sees it."""

    ADDONS = ("customer_archive", "customer_credit")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = [
            new_test_user(cls.env, "hf_plain", groups="base.group_user", name="Plain Yu"),
            new_test_user(
                cls.env,
                "hf_sales2",
                groups="customer_archive.group_archive_user,customer_credit.group_credit_user",
                name="Sales Xu",
            ),
        ]
        cls.cleared = new_test_user(
            cls.env,
            "hf_top",
            groups="customer_archive.group_archive_executive,customer_credit.group_credit_manager",
            name="Officer Lu",
        )

    def hidden_fields(self):
        for name, Model in self.env.registry.items():
            if Model._abstract or Model._transient:
                continue
            for fname, field in Model._fields.items():
                searched_by_odoo = field.store and field.type not in ("one2many", "many2many")
                if field.groups and field._module in self.ADDONS and not searched_by_odoo:
                    if field.search or field.type in ("one2many", "many2many"):
                        yield name, fname, field

    def test_hidden_fields_without_a_column_refuse_searches(self):
        checked = set()
        for model, fname, field in self.hidden_fields():
            domains = [[(fname, "!=", False)]]
            if field.type in ("one2many", "many2many"):
                domains.append([(fname, "in", [1])])
            for user in self.users:
                Model = self.env[model].with_user(user)
                if field.is_accessible(Model.env) or not Model.has_access("read"):
                    continue
                for domain in domains:
                    with self.subTest(model=model, domain=domain, user=user.login):
                        with self.assertRaises(AccessError):
                            Model.search(domain)
                        checked.add((model, fname))
            # Whoever sees the field searches it.
            if field.type in ("one2many", "many2many"):
                self.env[model].with_user(self.cleared).search(domains[0])
        self.assertLessEqual(
            {
                ("res.partner", "credit_event_ids"),
                ("res.partner", "credit_limit_history_ids"),
                ("res.partner", "credit_overdue_days"),
                ("customer.archive", "review_ids"),
                ("customer.archive.borrow", "repair_ids"),
            },
            checked,
        )
