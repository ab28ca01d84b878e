from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED

REGISTER = "customer_archive.action_report_photocopy_register"


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestPhotocopyRegister(BorrowCase):
    """Photocopies have their own register (影印登记): what was copied, why, who approved, and
    whether the original and the copies came back."""

    def setUp(self):
        super().setUp()
        # wkhtmltopdf fetches the report's styles from report.url: point it where nothing listens,
        # so that a server running on this machine cannot make the rendering wait.
        self.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:1")
        self.copies = self.request(
            self.ordinary, request_type="photocopy", content="Acceptance report, p. 1-8"
        )
        self.copies.with_user(self.sales_user).action_submit()
        self.copies.with_user(self.manager).action_approve(copies_may_leave=True)
        self.copies.with_user(self.officer).action_lend(**SIGNED)
        self.copies.with_user(self.officer).action_return(copy_count=2, copy_pages=8)
        self.copies.with_user(self.officer).action_verify_copies()
        self.borrow = self.request(self.secret, hours=2)

    def test_register_lists_the_photocopies_and_their_return(self):
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.officer)
            ._render_qweb_html(REGISTER, (self.copies | self.borrow).ids)
        )
        html = html.decode()
        for text in (
            self.copies.name,
            self.ordinary.number,
            "Acceptance report, p. 1-8",
            "After-sales service visit",
            self.manager.name,
            "<span>2</span> / <span>8</span>",
            self.officer.name,
        ):
            self.assertIn(text, html)
        self.assertEqual(self.copies.state, "done")
        # Only photocopies: a borrow request has its place in the lending register.
        self.assertNotIn(self.borrow.name, html)

    def test_register_prints_as_pdf_for_the_archive_office_only(self):
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, report_type = Report.with_user(self.officer)._render_qweb_pdf(REGISTER, self.copies.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        with self.assertRaises(AccessError):
            Report.with_user(self.plain_user)._render_qweb_html(REGISTER, self.copies.ids)
        report = self.env.ref(REGISTER)
        self.assertEqual(report.groups_id, self.env.ref("customer_archive.group_archive_officer"))
