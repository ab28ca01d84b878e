"""Lending in the browser: the tours of customer_archive/static/tests/tours/, then the database;
the import of the paper registers; the printed forms the README shows."""

import base64
import io
from datetime import timedelta
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from odoo import fields
from odoo.tests import HttpCase

from .common import SIGNATURE, CustomerArchiveCase
from .tour_common import TourMixin

MANAGER = "customer_archive.group_archive_manager"
LABEL_SHEET = "customer_archive.action_report_archive_label_sheet"
SLIP = "customer_archive.action_report_borrow_slip"


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


class TestImportTour(TourMixin, CustomerArchiveCase, HttpCase):
    def test_officer_checks_a_register_before_importing_it(self):
        self.env["customer.archive.cabinet"].create({"name": "二号档案柜", "code": "TS9"})
        # Archives already in the system, behind the import window.
        for title in ("客户基本资料", "2025年度供货合同", "资信证明"):
            self.create_archive(name=title, user_id=self.officer.id)
        Import = self.env["customer.archive.import"]
        before = Import.search([])
        self.run_tour(
            "/odoo/action-customer_archive.customer_archive_action",
            "customer_archive_import_check",
            login="ca_officer",
        )
        wizard = Import.search([]) - before
        self.assertEqual(wizard.create_uid, self.officer)
        self.assertEqual(
            (wizard.state, wizard.archive_count, wizard.document_count, wizard.error_count),
            ("checked", 3, 5, 2),
        )
        # A dry run: nothing written.
        self.assertFalse(self.env["customer.archive"].search([("number", "=like", "2019%")]))


def handwritten(name):
    """A signature as the signature pad gives it (a transparent PNG, base64) with ``name`` written
    slanted in ink, or the tests' stroke where the Noto CJK font is not installed."""
    font = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if not font.exists():
        return SIGNATURE
    text = Image.new("RGBA", (260, 90), (0, 0, 0, 0))
    ImageDraw.Draw(text).text((20, 8), name, font=ImageFont.truetype(str(font), 56), fill=(20, 40, 120, 255))
    # Slanted like a hand, and underlined with one stroke.
    image = text.transform(text.size, Image.AFFINE, (1, 0.35, -20, 0, 1, 0), resample=Image.BICUBIC)
    ImageDraw.Draw(image).line([(25, 80), (120, 74), (230, 82)], fill=(20, 40, 120, 255), width=3)
    stream = io.BytesIO()
    image.save(stream, format="PNG")
    return base64.b64encode(stream.getvalue())


class TestPrintedForms(TourMixin, CustomerArchiveCase, HttpCase):
    """The archive office's printed forms as the README shows them: a sheet of folder labels and a
    lending slip (借阅单) signed at the hand-out. Printed with wkhtmltopdf in every run; their first
    pages are saved as PNG files when screenshots are asked for (scripts/screenshots.sh)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # wkhtmltopdf fetches the reports' styles from report.url: from the test's own server.
        cls.env["ir.config_parameter"].set_param("report.url", cls.base_url())
        cls.department.write({"name": "销售一部", "member_ids": [fields.Command.link(cls.sales_user.id)]})
        cabinet = cls.env["customer.archive.cabinet"].create(
            {"name": "一号档案柜", "code": "TL1", "location": "二楼档案室", "capacity": 20}
        )
        names = ("江南纺织", "华北重工", "西部能源", "东海船舶")
        customers = cls.customer | cls.env["res.partner"].create(
            [{"name": name, "is_company": True, "user_id": cls.sales_user.id} for name in names]
        )
        cls.labelled = cls.env["customer.archive"]
        for index, title in enumerate(
            ("客户基本资料", "2025年度供货合同", "资信证明", "授信审批资料", "2024年度对账单") * 2
        ):
            cls.labelled |= cls.create_archive(
                partner=customers[index % len(customers)],
                name=title,
                cabinet_id=cabinet.id,
                confidentiality="ordinary",
            )
        # A loan handed out with both signatures (登记签名).
        archive = cls.labelled[1]
        cls.add_documents(archive, page_count=6)
        now = fields.Datetime.now()
        cls.loan = (
            cls.env["customer.archive.borrow"]
            .with_user(cls.sales_user)
            .create(
                {
                    "archive_id": archive.id,
                    "content": "供货合同及交货记录",
                    "purpose": "核对客户索赔的交货记录",
                    "date_start": now,
                    "date_due": now + timedelta(days=2),
                }
            )
        )
        cls.loan.action_submit()
        cls.loan.with_user(cls.manager).action_approve(allow_long_loan=True)
        cls.loan.with_user(cls.officer).action_lend(
            borrower_signature=handwritten("王伟"), officer_signature=handwritten("赵敏")
        )

    def setUp(self):
        super().setUp()
        if self.screenshot_folder():
            self.screenshot_users("ca_officer")

    def test_label_sheet(self):
        pages = self.print_form("archive_label_sheet", LABEL_SHEET, self.labelled, self.officer)
        self.assertEqual(len(pages), 1, "ten labels a page")
        for archive in self.labelled:
            self.assertIn(archive.number, pages[0])

    def test_signed_lending_slip(self):
        self.assertEqual(self.loan.state, "lent")
        pages = self.print_form("borrow_slip_signed", SLIP, self.loan, self.officer)
        self.assertIn(self.loan.name, pages[0])
        self.assertIn("核对客户索赔的交货记录", pages[0])
