from odoo.exceptions import AccessError

from .credit_common import CreditCase


class TestExposure(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.overdue = cls.invoice(cls.customer, 1000, days_ago=70, due_days=30)  # 40 days overdue
        cls.current = cls.invoice(cls.customer, 500, days_ago=5)
        cls.pay(cls.overdue, 400)
        cls.draft = cls.invoice(cls.customer, 300, post=False)
        cls.order = cls.confirmed_order(cls.customer, 200)

    def test_exposure_adds_receivables_drafts_and_orders(self):
        customer = self.customer.with_user(self.credit_officer)
        self.assertAlmostEqual(customer.credit_open_receivable, 1100)
        self.assertAlmostEqual(customer.credit_draft_invoiced, 300)
        self.assertAlmostEqual(customer.credit_uninvoiced_orders, 200)
        self.assertAlmostEqual(customer.credit_exposure, 1600)
        self.assertAlmostEqual(customer.credit_overdue_amount, 600)
        self.assertEqual(customer.credit_overdue_days, 40)

    def test_available_credit_and_searches(self):
        self.customer.with_company(self.company).sudo().credit_limit = 1500  # sudo: reads as the system
        self.customer.user_id = self.credit_user  # sales staff see the credit of their own customers
        customer = self.customer.with_user(self.credit_user)
        self.assertAlmostEqual(customer.credit_available, -100)
        self.assertTrue(customer.credit_over_limit)
        Partner = self.env["res.partner"].with_user(self.credit_officer)
        self.assertIn(self.customer, Partner.search([("credit_over_limit", "=", True)]))
        self.assertIn(self.customer, Partner.search([("credit_overdue_days", ">", 30)]))
        self.assertNotIn(self.customer, Partner.search([("credit_overdue_days", ">", 45)]))
        self.customer.with_company(self.company).sudo().credit_limit = 2000  # sudo: reads as the system
        self.assertNotIn(self.customer, Partner.search([("credit_over_limit", "=", True)]))

    def test_exposure_costs_the_same_for_one_and_many_partners(self):
        others = self.env["res.partner"].create(
            [{"name": f"Customer {n}", "is_company": True} for n in range(100)]
        )
        for partner in others[:5]:
            self.invoice(partner, 100, days_ago=40)
        fields = ["credit_exposure", "credit_available", "credit_overdue_amount", "credit_overdue_days"]
        as_officer = (self.customer | others).with_user(self.credit_officer)
        as_officer.read(fields)  # warm the caches of rules and groups

        def queries(records):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            records.read(fields)
            return self.env.cr.sql_log_count - before

        queries(as_officer[:1])  # warm the company-dependent defaults' cache too
        self.assertEqual(queries(as_officer[:1]), queries(as_officer))

    def test_sales_staff_see_grade_and_available_credit_not_the_details(self):
        customer = self.customer.with_user(self.credit_user)
        customer.read(["credit_exposure", "credit_available", "credit_grade_id"])
        for field in (
            "credit_open_receivable",
            "credit_overdue_amount",
            "credit_overdue_days",
            "payment_habits",
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                customer.read([field])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.credit_user).read_group(
                [("id", "=", self.customer.id)], ["payment_habits"], ["payment_habits"]
            )
        with self.assertRaises(AccessError):
            customer.export_data(["name", "credit_overdue_amount"])
