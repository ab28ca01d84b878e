"""Tests live outside the addons (in addons_tests/), so Odoo's test metaclass does not give their
classes the attributes it gives to classes inside ``odoo.addons.*``. Give them here: the addon a
test belongs to is the name of its folder.

Slow tests (browser tours, tests that run Odoo or the scripts in subprocesses) carry the marker
``slow``: ``./scripts/test.sh -m "not slow"`` is the fast loop while developing; CI runs all."""

import logging
import os
import sys
from pathlib import Path

import pytest


class _FrameworkImportedByPytestOdoo(logging.Filter):
    """pytest-odoo imports ``odoo.tests`` while it starts (to patch ``subTest``), before Odoo's
    ``test_enable`` is set, and Odoo then logs an error with a whole stack: "Importing test
    framework, avoid importing from business modules and when not running in test mode". Here the
    import is the test runner's own, so that one record is dropped. (``--odoo-extra=test-enable``
    silences it too, but changes how Odoo loads the test database: tried, it altered tables.)"""

    def filter(self, record):
        return not record.getMessage().startswith("Importing test framework, avoid importing")


# This conftest is loaded before pytest-odoo's start-up hook runs: the filter is in place in time.
logging.getLogger("odoo.tests.common").addFilter(_FrameworkImportedByPytestOdoo())

# Odoo prints PDFs with the first wkhtmltopdf on the PATH: the venv's one (patched Qt, linked by
# scripts/lib.sh, which also puts the venv first on the PATH), even when pytest is started as
# .venv/bin/pytest without the scripts. Set before pytest-odoo loads Odoo, which checks the version.
_VENV_BIN = str(Path(sys.executable).parent)
if Path(_VENV_BIN, "wkhtmltopdf").exists() and os.environ.get("PATH", "").split(os.pathsep)[0] != _VENV_BIN:
    os.environ["PATH"] = os.pathsep.join([_VENV_BIN, os.environ.get("PATH", "")])

# Test files, or file::test names, that are slow: tours and subprocess runs.
SLOW = (
    "test_tours.py",
    "test_upgrade.py",
    "test_demo_in_chinese.py",
    "test_backup.py::test_backup_script_then_restore_script_bring_back_records_and_files",
    "test_backup.py::test_restore_script_never_overwrites_a_database",
    "test_backup.py::test_backup_script_refuses_a_wrong_keep_count",
    "test_encryption.py::TestKeys::test_the_server_refuses_to_start_with_a_wrong_key",
)


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: browser tours and subprocess tests (skip with -m 'not slow')")


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        name = item.nodeid.split("/")[-1]
        if any(name == slow or name.startswith(slow + "::") for slow in SLOW):
            item.add_marker(pytest.mark.slow)
        cls = getattr(item, "cls", None)
        if cls is None or "test_tags" in cls.__dict__:
            continue
        cls.test_tags = {"standard", "at_install"}
        cls.test_module = Path(str(item.fspath)).parent.name
        cls.test_class = cls.__name__
        cls.test_sequence = 0
