"""Lending in the browser: the tours of customer_archive/static/tests/tours/, then the database."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase

from .common import CustomerArchiveCase
from .tour_common import TourMixin

MANAGER = "customer_archive.group_archive_manager"


class TestBorrowTours(TourMixin, CustomerArchiveCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The tours find the archive by the department code in its number.
        cls.company.archive_number_format = "{year}-{department}-{sequence}"
        department = cls.env["customer.archive.department"].create(
            {"name": "销售一部", "code": "TOUR", "member_ids": [fields.Command.set(cls.sales_user.ids)]}
        )
        cls.tour_department = department
        cls.archive = cls.create_archive(
            name="2025年度供货合同",
            department_id=department.id,
            confidentiality="ordinary",
            user_id=cls.officer.id,
        )
        cls.add_documents(cls.archive)
        cls.Borrow = cls.env["customer.archive.borrow"]

    def archive_url(self):
        return f"/odoo/action-customer_archive.customer_archive_action/{self.archive.id}"

    def borrow_url(self, request):
        return f"/odoo/action-customer_archive.customer_archive_borrow_action/{request.id}"

    def test_sales_user_requests_a_borrow(self):
        self.assertIn("TOUR", self.archive.number)
        self.run_tour(self.archive_url(), "customer_archive_borrow_request", login="ca_sales")

        request = self.Borrow.search([("archive_id", "=", self.archive.id)])
        self.assertEqual(len(request), 1)
        self.assertEqual(
            (request.state, request.request_type, request.requester_id),
            ("submitted", "borrow", self.sales_user),
        )
        self.assertEqual(request.content, "销售合同及交货记录")
        self.assertEqual(request.purpose, "准备售后回访")
        self.assertFalse(request.document_ids, "the whole archive is asked for")
        # "+2" in the date field: two days from now, whatever the language.
        self.assertAlmostEqual(
            request.date_due, fields.Datetime.now() + timedelta(days=2), delta=timedelta(minutes=10)
        )
        approvers = request.activity_ids.filtered(
            lambda activity: activity.activity_type_id
            == self.env.ref("customer_archive.mail_activity_type_approval")
        ).user_id
        self.assertTrue(approvers)
        # The managers, or a deputy in a manager's place under a delegation in force (demo data).
        deputies = self.env["customer.archive.delegation"]._delegations_in_force(MANAGER, self.Borrow._name)
        self.assertTrue(all(user.has_group(MANAGER) or user in deputies.delegate_id for user in approvers))
        self.assertNotIn(self.sales_user, approvers)

    def test_sales_user_asks_from_the_lending_menu(self):
        self.run_tour(
            "/odoo/action-customer_archive.customer_archive_borrow_action",
            "customer_archive_borrow_from_menu",
            login="ca_sales",
        )
        request = self.Borrow.search([("archive_id", "=", self.archive.id)])
        self.assertEqual(
            (request.state, request.requester_id, request.department_id),
            ("submitted", self.sales_user, self.tour_department),
        )
        self.assertEqual((request.content, request.purpose), ("销售合同", "续签准备"))

    def test_manager_approves_then_officer_lends_and_takes_back(self):
        now = fields.Datetime.now()
        request = self.Borrow.with_user(self.sales_user).create(
            {
                "archive_id": self.archive.id,
                "content": "交货记录",
                "purpose": "核对客户索赔",
                "date_start": now,
                "date_due": now + timedelta(days=2),
            }
        )
        request.action_submit()

        self.run_tour(self.borrow_url(request), "customer_archive_borrow_decide", login="ca_manager")
        request.invalidate_recordset()
        self.assertEqual((request.state, request.approver_id), ("approved", self.manager))
        self.assertTrue(request.allow_long_loan)
        self.assertFalse(request.activity_ids, "the approval to-do is done")

        self.run_tour(self.borrow_url(request), "customer_archive_borrow_lend_and_return", login="ca_officer")
        request.invalidate_recordset()
        self.archive.invalidate_recordset()
        self.assertEqual(request.state, "done")
        self.assertEqual((request.lent_by_id, request.received_by_id), (self.officer, self.officer))
        self.assertTrue(request.date_lent <= request.date_returned)
        self.assertEqual(request.integrity_result, "complete")
        # Signed on the officer's screen by the borrower, then by the officer (登记签名).
        self.assertTrue(request.borrower_signature and request.officer_signature)
        self.assertEqual(request.line_ids.document_id, self.archive.document_ids)
        self.assertEqual(set(request.line_ids.mapped("integrity_result")), {"complete"})
        self.assertFalse(request.sudo().repair_ids)  # sudo: repairs are the archive office's
        self.assertEqual((self.archive.lent_count, self.archive.is_lent), (0, False))
