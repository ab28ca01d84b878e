import base64

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode import createBarcodeDrawing

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError

from .ir_actions_report import report_reader

OFFICER = "customer_archive.group_archive_officer"
QR_SIZE = 240


class ReportArchiveLabelSheet(models.AbstractModel):
    """Values of the folder labels (an A4 sheet of 2 x 5): the archives printed, which the user
    must be allowed to read, and the QR code of each number. Archives are in the access log:
    each print of them is logged there."""

    _name = "report.customer_archive.report_archive_label_sheet"
    _description = "Archive Labels Report"

    @api.model
    def _qr_code_src(self, value):
        """The QR code of ``value`` as an inline SVG image (a data URI), for wkhtmltopdf to draw
        without fetching anything. Drawn as SVG, not by Odoo's barcode widget: its PNG needs
        reportlab's bitmap renderer, which reportlab 4 takes from an optional package (rlPyCairo),
        and a vector prints sharper on labels."""
        drawing = createBarcodeDrawing("QR", value=value, width=QR_SIZE, height=QR_SIZE, barBorder=0)
        svg = renderSVG.drawToString(drawing)
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()

    @api.model
    def _get_report_values(self, docids, data=None):
        reader = report_reader(self.env)
        if reader.uid != SUPERUSER_ID and not reader.user.has_group(OFFICER):
            raise AccessError(self.env._("Folder labels are printed by the archive office."))
        archives = self.env["customer.archive"].browse(docids)
        # Refused before anything is rendered, naming the archives the user may not read.
        archives.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": "customer.archive",
            "docs": archives,
            "qr_code_src": self._qr_code_src,
        }
