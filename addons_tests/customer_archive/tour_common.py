"""Browser tests (Odoo tours in headless Chromium) and the README screenshots taken from them.

The tours are in ``<addon>/static/tests/tours/``. pytest-odoo runs them only with ``--odoo-http``
(``scripts/test.sh`` passes it); without Chromium or the ``websocket-client`` package Odoo skips
them. ``scripts/screenshots.sh`` runs the same tests with ``CUSTOMER_ARCHIVE_SCREENSHOTS`` set to a
folder: the users then work in Chinese when zh_CN is installed, and each ``screenshot(...)`` step of
a tour saves a PNG file of that name there.
"""

import base64
import json
import os
import re
from pathlib import Path
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser

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
    """For ``HttpCase`` tests: ``run_tour`` is ``start_tour``, plus the screenshots when asked for."""

    def run_tour(self, url, tour, login, **kwargs):
        folder = os.environ.get(SCREENSHOTS_ENV)
        if not folder:
            return self.start_tour(url, tour, login=login, **kwargs)
        folder = Path(folder).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        self.browser_size = "1440,900"
        # sudo: the test's own user may not manage companies and users; all is rolled back.
        self.env.company.name = SCREENSHOT_COMPANY
        users = self.env["res.users"].search([("login", "in", [*SCREENSHOT_NAMES, login])])
        for user in users:
            user.name = SCREENSHOT_NAMES.get(user.login, user.name)
        if self.env["res.lang"]._lang_get(SCREENSHOT_LANG):
            users.filtered(lambda user: user.login == login).write(
                {"lang": SCREENSHOT_LANG, "tz": SCREENSHOT_TZ}
            )
        with (
            patch.object(ChromeBrowser, "_handle_console", _screenshot_console_handler(folder)),
            patch.object(ChromeBrowser, "navigate_to", _navigate_in_time_zone(ChromeBrowser.navigate_to)),
        ):
            return self.start_tour(url, tour, login=login, cookies={SCREENSHOT_COOKIE: "1"}, **kwargs)
