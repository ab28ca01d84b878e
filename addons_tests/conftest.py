"""Tests live outside the addons (in addons_tests/), so Odoo's test metaclass does not give their
classes the attributes it gives to classes inside ``odoo.addons.*``. Give them here: the addon a
test belongs to is the name of its folder.

Slow tests (browser tours, tests that run Odoo or the scripts in subprocesses) carry the marker
``slow``: ``./scripts/test.sh -m "not slow"`` is the fast loop while developing; CI runs all."""

import logging
import os
import re
import shutil
import sys
from contextlib import closing
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
    # The longest first: with two workers (scripts/test.sh hands them whole classes and modules in
    # this order, --no-loadscope-reorder), the minutes of the upgrade's and the Chinese demo's
    # installs then run beside the other tests instead of after them.
    items.sort(key=_slowness)


# The tests that install Odoo in a subprocess (minutes each), then the other slow ones.
LONGEST = ("test_upgrade.py", "test_demo_in_chinese.py")


def _slowness(item):
    if item.nodeid.split("/")[-1].split("::")[0] in LONGEST:
        return 0
    return 1 if item.get_closest_marker("slow") else 2


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    """pytest-odoo's fixture of the same name, which this one replaces: load the registry before
    the first test (so that no post-install test of Odoo's runs inside it).

    With pytest-xdist (``./scripts/test.sh`` runs two workers), each worker works on a copy of the
    test database, as pytest-odoo's does, but also on a copy of its filestore: pytest-odoo's workers
    share the original's files by patching ``config.filestore`` in the test process only, and the
    scripts a test runs in a subprocess (backup, restore) then looked for the copy's files where
    there are none. The copy and its files are dropped when the worker ends."""
    import threading

    import odoo
    from odoo.tools import SQL, config

    threading.current_thread().testing = True
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    original = odoo.tests.common.get_db_name()
    if not worker:
        odoo.modules.registry.Registry(original)
        yield
        return
    db = f"{original}_{worker}"
    _drop_database(db)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("CREATE DATABASE %s TEMPLATE %s", SQL.identifier(db), SQL.identifier(original)))
    if os.path.isdir(config.filestore(original)):
        shutil.copytree(config.filestore(original), config.filestore(db))
    config["db_name"], config["dbfilter"] = db, f"^{re.escape(db)}$"
    try:
        odoo.modules.registry.Registry(db)
        yield
    finally:
        odoo.sql_db.close_db(db)
        _drop_database(db)
        config["db_name"], config["dbfilter"] = original, f"^{re.escape(original)}$"


def _drop_database(db):
    import odoo
    from odoo.tools import SQL, config

    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("DROP DATABASE IF EXISTS %s WITH (FORCE)", SQL.identifier(db)))
    shutil.rmtree(config.filestore(db), ignore_errors=True)
