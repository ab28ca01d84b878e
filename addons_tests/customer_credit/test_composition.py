"""客户构成分析 (A19): the customer composition analysis is read by the credit department, the
archive office and the general management, by credit grade and salesperson among its dimensions;
archives are found by their customer's credit grade (issue 14, item 10)."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .credit_common import CreditCase


class TestCustomerComposition(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archive_officer = new_test_user(
            cls.env,
            "cc_archive_officer",
            groups="customer_archive.group_archive_officer",
            name="Officer Zhao",
        )
        cls.customer.user_id = cls.credit_user
        cls.other = cls.env["res.partner"].create({"name": "岭南建材", "is_company": True})
        evaluation = (
            cls.env["customer.credit.evaluation"]
            .with_user(cls.credit_officer)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "scorecard_id": cls.scorecard.id,
                    "proposed_credit_limit": 1000,
                    "risk_plan": "Monthly statement call",
                    "risk_plan_review_date": cls.today,
                }
            )
        )
        evaluation.action_submit()
        evaluation.with_user(cls.credit_manager).action_approve()
        cls.grade = evaluation.grade_id
        cls.invoice(cls.customer, 1200)
        cls.invoice(cls.customer, 300)
        cls.invoice(cls.other, 500)

    def composition(self, user, groupby):
        Analysis = self.env["customer.credit.sales.analysis"].with_user(user)
        return dict(
            Analysis._read_group(
                [("partner_id", "in", (self.customer | self.other).ids)], groupby, ["amount:sum"]
            )
        )

    def test_the_archive_office_analyses_by_grade_and_salesperson(self):
        # Sales before tax, by hand: 1,200 + 300 for the graded customer, 500 for the other.
        by_grade = self.composition(self.archive_officer, ["grade_id"])
        self.assertEqual(by_grade, {self.grade: 1500, self.env["customer.credit.grade"]: 500})
        by_salesperson = self.composition(self.archive_officer, ["user_id"])
        self.assertEqual(by_salesperson, {self.credit_user: 1500, self.env["res.users"]: 500})
        self.assertEqual(self.composition(self.credit_officer, ["grade_id"]), by_grade)

    def test_sales_staff_do_not_analyse_every_customer(self):
        with self.assertRaises(AccessError):
            self.composition(self.credit_user, ["user_id"])

    def test_archives_are_found_by_their_customers_credit_grade(self):
        archive_officer = new_test_user(
            self.env,
            "cc_archive_credit",
            groups="customer_archive.group_archive_officer,customer_credit.group_credit_officer",
            name="Officer Qin",
        )
        Archive = self.env["customer.archive"].sudo()  # sudo: the test user keeps no archives
        department = self.env["customer.archive.department"].sudo().create({"name": "销售部", "code": "SAL"})
        category = self.env.ref("customer_archive.category_basic")
        values = {"category_id": category.id, "department_id": department.id}
        graded = Archive.create({**values, "partner_id": self.customer.id})
        other = Archive.create({**values, "partner_id": self.other.id})
        found = (
            self.env["customer.archive"]
            .with_user(archive_officer)
            .search([("partner_id.credit_grade_id", "ilike", self.grade.name)])
        )
        self.assertIn(graded, found)
        self.assertNotIn(other, found)
        # Without the credit department's rights, the grade is not asked about.
        with self.assertRaises(AccessError):
            self.env["customer.archive"].with_user(self.archive_officer).search(
                [("partner_id.credit_grade_id", "ilike", self.grade.name)]
            )
