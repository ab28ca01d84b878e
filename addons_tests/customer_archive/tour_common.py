"""Browser tests (Odoo tours in headless Chromium) and the README screenshots taken from them.

The tours are in ``<addon>/static/tests/tours/``. pytest-odoo runs them only with ``--odoo-http``
(``scripts/test.sh`` passes it); without Chromium or the ``websocket-client`` package Odoo skips
them. ``scripts/screenshots.sh`` runs the same tests with ``CUSTOMER_ARCHIVE_SCREENSHOTS`` set to a
folder: the users then work in Chinese when zh_CN is installed, and each ``screenshot(...)`` step of
a tour saves a PNG file of that name there. The same test files print the forms the README shows
(``TourMixin.print_form``): always as PDF, with the first page saved as PNG by ``pdftoppm`` when
screenshots are asked for.
"""

import base64
import io
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path
from unittest.mock import patch

from PIL import Image, ImageDraw, ImageFont

from odoo.tests.common import ChromeBrowser
from odoo.tools.pdf import PdfFileReader

SCREENSHOTS_ENV = "CUSTOMER_ARCHIVE_SCREENSHOTS"
SCREENSHOT_COOKIE = "customer_archive_screenshots"  # see tour_screenshot.js
SCREENSHOT_MESSAGE = re.compile(r"customer_archive_screenshot:(\w+)$")
SCREENSHOT_LANG = "zh_CN"
SCREENSHOT_TZ = "Asia/Shanghai"  # the web client shows times in the browser's time zone
SCREENSHOT_COMPANY = "华东示范贸易有限公司"
# The test users get Chinese names on the screenshots.
SCREENSHOT_NAMES = {
    "ca_sales": "王伟",
    "ca_officer": "赵敏",
    "ca_manager": "孙丽",
    "ca_exec": "周总",
    "cc_sales": "张强",
    "cc_officer": "林芳",
    "cc_manager": "何军",
}


def _logo():
    """The screenshot company's logo for the letterhead of the printed forms (base64 PNG): its short
    name in a square seal, or False (Odoo's placeholder) without the Noto CJK font."""
    font = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if not font.exists():
        return False
    image = Image.new("RGB", (480, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([4, 4, 116, 116], outline=(160, 20, 30), width=6)
    draw.text((18, 2), "华东", font=ImageFont.truetype(str(font), 44), fill=(160, 20, 30))
    draw.text((18, 54), "示范", font=ImageFont.truetype(str(font), 44), fill=(160, 20, 30))
    draw.text((136, 30), "华东示范贸易", font=ImageFont.truetype(str(font), 52), fill=(60, 60, 60))
    stream = io.BytesIO()
    image.save(stream, format="PNG")
    return base64.b64encode(stream.getvalue())


def _screenshot_console_handler(folder):
    """A console handler for the browser that answers the tours' screenshot requests."""
    handle_console = ChromeBrowser._handle_console

    def _handle_console(browser, type, args=None, stackTrace=None, **kw):  # CDP passes the arguments by name
        value = args[0].get("value") if type == "log" and args else None
        match = SCREENSHOT_MESSAGE.match(value) if isinstance(value, str) else None
        if match:
            name = match.group(1)

            def save(future):
                # Runs in the browser's websocket thread: only send, never wait here.
                folder.joinpath(f"{name}.png").write_bytes(base64.b64decode(future.result()["data"]))
                browser._websocket_send(
                    "Runtime.evaluate",
                    params={
                        "expression": f"document.body.dataset.customerArchiveScreenshot = {json.dumps(name)}"
                    },
                )

            future = browser._websocket_send("Page.captureScreenshot", with_future=True)
            future.add_done_callback(save)
        return handle_console(browser, type, args=args, stackTrace=stackTrace, **kw)

    return _handle_console


def _navigate_in_time_zone(navigate_to):
    def _navigate_to(browser, url, wait_stop=False):
        browser._websocket_request("Emulation.setTimezoneOverride", params={"timezoneId": SCREENSHOT_TZ})
        return navigate_to(browser, url, wait_stop=wait_stop)

    return _navigate_to


class TourMixin:
    """For ``HttpCase`` tests: ``run_tour`` is ``start_tour``, plus the screenshots when asked for;
    ``print_form`` prints a form as PDF, and saves its first page as PNG when asked for."""

    @staticmethod
    def screenshot_folder():
        """The folder of the screenshots, made if missing; None when none are asked for."""
        folder = os.environ.get(SCREENSHOTS_ENV)
        if not folder:
            return None
        folder = Path(folder).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def screenshot_users(self, *logins):
        """For the screenshots: the company and the test users get Chinese names, and the users
        ``logins`` work in Chinese when zh_CN is installed. Returns those users."""
        # sudo: the test's own user may not manage companies and users; all is rolled back.
        self.env.company.write(
            {
                "name": SCREENSHOT_COMPANY,
                "logo": _logo(),
                "street": "世纪大道100号",
                "city": "上海",
                "zip": "200120",
                "country_id": self.env.ref("base.cn").id,
            }
        )
        users = self.env["res.users"].search([("login", "in", [*SCREENSHOT_NAMES, *logins])])
        for user in users:
            user.name = SCREENSHOT_NAMES.get(user.login, user.name)
        working = users.filtered(lambda user: user.login in logins)
        if self.env["res.lang"]._lang_get(SCREENSHOT_LANG):
            working.write({"lang": SCREENSHOT_LANG, "tz": SCREENSHOT_TZ})
        return working

    def run_tour(self, url, tour, login, **kwargs):
        folder = self.screenshot_folder()
        if not folder:
            return self.start_tour(url, tour, login=login, **kwargs)
        self.browser_size = "1440,900"
        self.screenshot_users(login)
        with (
            patch.object(ChromeBrowser, "_handle_console", _screenshot_console_handler(folder)),
            patch.object(ChromeBrowser, "navigate_to", _navigate_in_time_zone(ChromeBrowser.navigate_to)),
        ):
            return self.start_tour(url, tour, login=login, cookies={SCREENSHOT_COOKIE: "1"}, **kwargs)

    def print_form(self, name, report, records, user):
        """Print ``records`` with the report ``report`` (xml id) as ``user`` would, in the user's
        language, with wkhtmltopdf; when screenshots are asked for, save its first page as
        ``<name>.png`` (pdftoppm, 80 dpi). Returns the text of each page of the PDF.

        wkhtmltopdf fetches the report's styles from ``report.url``: the class sets it to the test
        server (``self.base_url()``), which answers with ``--odoo-http``."""
        Report = self.env["ir.actions.report"].with_user(user)
        pdf, report_type = Report.with_context(lang=user.lang, force_report_rendering=True)._render_qweb_pdf(
            report, records.ids
        )
        self.assertEqual(report_type, "pdf")
        folder = self.screenshot_folder()
        if folder:
            with tempfile.TemporaryDirectory() as work:
                source = Path(work, f"{name}.pdf")
                source.write_bytes(pdf)
                command = ["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", "1", "-l", "1"]
                subprocess.run([*command, source, folder / name], check=True)
        reader = PdfFileReader(io.BytesIO(pdf))
        return [" ".join(page.extract_text().split()) for page in reader.pages]
