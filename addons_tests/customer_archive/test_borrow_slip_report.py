"""The lending slip (借阅单 / 查阅单 / 影印单) and the lending register print what was asked for,
why, who approved it, the times and the signatures made at the hand-out (issue 14, item 3)."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNATURE, SIGNED

SLIP = "customer_archive.action_report_borrow_slip"
REGISTER = "customer_archive.action_report_borrow_register"
PHOTOCOPY_REGISTER = "customer_archive.action_report_photocopy_register"
SIGNATURE_SRC = "data:image/png;base64," + SIGNATURE.decode()


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestLendingSlip(BorrowCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # wkhtmltopdf fetches the report's styles from report.url: point it where nothing listens,
        # so that a server running on this machine cannot make the rendering wait.
        cls.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:1")
        for document in cls.ordinary.document_ids:
            document.page_count = 7
        cls.loan = cls._lent(cls.ordinary, purpose="核对客户索赔的交货记录")
        cls.copies = cls._lent(
            cls.secret, request_type="photocopy", content="Acceptance report, p. 1-8", approver=cls.executive
        )
        cls.copies.with_user(cls.officer).action_return(copy_count=2, copy_pages=8)

    @classmethod
    def _lent(cls, archive, approver=None, **values):
        request = cls.Borrow.with_user(cls.sales_user).create(
            {
                "archive_id": archive.id,
                "content": "Contract and acceptance records",
                "purpose": "After-sales service visit",
                "date_start": MONDAY_9AM_UTC,
                "date_due": MONDAY_9AM_UTC + timedelta(hours=2),
                **values,
            }
        )
        request.action_submit()
        request.with_user(approver or cls.manager).action_approve()
        request.with_user(cls.officer).action_lend(**SIGNED)
        return request

    def html(self, report, requests, user=None):
        user = user or self.officer
        # As the web client asks for it: in the user's language.
        Report = self.env["ir.actions.report"].with_user(user).with_context(lang=user.lang)
        html, _type = Report._render_qweb_html(report, requests.ids)
        return html.decode()

    def test_the_slip_prints_the_loan_and_both_signatures(self):
        html = self.html(SLIP, self.loan)
        for text in (
            "Archive Borrow Slip",
            self.loan.name,
            self.ordinary.number,
            self.customer.name,
            "核对客户索赔的交货记录",
            "Contract and acceptance records",
            self.manager.name,  # the approver
            self.sales_user.name,  # the borrower
            self.officer.name,  # the officer who handed it out
            "Borrower&#39;s Signature" if "&#39;" in html else "Borrower's Signature",
        ):
            self.assertIn(text, html)
        # Both signatures, as images drawn inline (wkhtmltopdf fetches nothing).
        self.assertEqual(html.count(SIGNATURE_SRC), 2)
        # Each document lent, with its pages.
        for document in self.ordinary.document_ids:
            self.assertIn(document.type_id.name, html)
        self.assertIn("<span>7</span>", html)

    def test_a_photocopy_slip_counts_the_copies(self):
        html = self.html(SLIP, self.copies)
        self.assertIn("Archive Photocopy Slip", html)
        self.assertNotIn("Archive Borrow Slip", html)
        self.assertIn("<span>2</span> / <span>8</span>", html)
        self.assertIn(SIGNATURE_SRC, html)

    def test_the_slip_prints_in_chinese_for_a_chinese_officer(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["customer_archive"], ["zh_CN"], overwrite=True)
        # The terms are written in SQL: read the templates again.
        self.env.invalidate_all()
        self.env.registry.clear_cache("templates")
        self.officer.lang = "zh_CN"
        html = self.html(SLIP, self.loan)
        for text in (
            "档案借阅单",
            "借阅人签字",
            "档案管理员签字",
            "事由",
            "审批人",
            "借出页数",
            self.loan.name,
        ):
            self.assertIn(text, html)
        self.assertNotIn("Archive Borrow Slip", html)
        self.assertIn(SIGNATURE_SRC, html)

    def test_the_slips_print_as_pdf_for_the_borrower_and_the_office_only(self):
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        # One request at a time: Debian's wkhtmltopdf here does not print several bodies at once.
        for user in (self.officer, self.sales_user):
            for request in self.loan | self.copies:
                with self.subTest(user=user.login, request=request.request_type):
                    pdf, report_type = Report.with_user(user)._render_qweb_pdf(SLIP, request.ids)
                    self.assertEqual(report_type, "pdf")
                    self.assertTrue(pdf.startswith(b"%PDF"))
        with self.assertRaises(AccessError):
            Report.with_user(self.other_sales_user)._render_qweb_html(SLIP, self.loan.ids)

    def test_the_registers_print_purpose_approver_customer_and_signature(self):
        html = self.html(REGISTER, self.loan | self.copies)
        for text in (
            self.loan.name,
            "核对客户索赔的交货记录",
            self.manager.name,
            self.customer.name,
            SIGNATURE_SRC,
        ):
            self.assertIn(text, html)
        self.assertEqual(html.count(SIGNATURE_SRC), 2, "one signature per request")
        html = self.html(PHOTOCOPY_REGISTER, self.copies)
        self.assertIn(SIGNATURE_SRC, html)
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            .with_user(self.officer)
            ._render_qweb_pdf(REGISTER, self.loan.ids)
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
