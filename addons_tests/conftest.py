"""Tests live outside the addons (in addons_tests/), so Odoo's test metaclass does not give their
classes the attributes it gives to classes inside ``odoo.addons.*``. Give them here: the addon a
test belongs to is the name of its folder."""

from pathlib import Path


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        cls = getattr(item, "cls", None)
        if cls is None or "test_tags" in cls.__dict__:
            continue
        cls.test_tags = {"standard", "at_install"}
        cls.test_module = Path(str(item.fspath)).parent.name
        cls.test_class = cls.__name__
        cls.test_sequence = 0
