"""Checks shared by the tests of what the workflow records (issue #12, item 3) and of copies (item 8):
every way an RPC caller writes a record (write, create, import, onchange, copy)."""

from lxml import etree

from odoo import fields
from odoo.exceptions import UserError


class WorkflowValuesMixin:
    """For a TransactionCase."""

    def _as_text(self, record, name, value):
        field = record._fields[name]
        if field.type in ("many2one", "many2many", "one2many"):
            return None
        if field.type == "boolean":
            return "1" if value else "0"
        if field.type == "datetime":
            return fields.Datetime.to_string(value)
        if field.type == "date":
            return fields.Date.to_string(value)
        return str(value)

    def assert_recorded(self, record, user, values, create_values=None):
        """``values`` (what the workflow records) are refused to ``user`` on ``record`` by write,
        import (``load``) and, with ``create_values``, by create; an onchange saves nothing; and
        nothing changes."""
        names = list(values)
        before = record.sudo().read(names)
        Model = record.with_user(user)
        count = Model.sudo().search_count([])
        for name, value in values.items():
            with self.subTest(field=name, path="write"), self.assertRaises(UserError):
                Model.write({name: value})
            text = self._as_text(record, name, value)
            if text is not None:
                with self.subTest(field=name, path="load"):
                    result = Model.load([".id", name], [[str(record.id), text]])
                    self.assertFalse(result["ids"], result)
                    self.assertTrue(result["messages"])
            if create_values is not None:
                with self.subTest(field=name, path="create"), self.assertRaises(UserError):
                    Model.browse().create(dict(create_values, **{name: value}))
        # A form's onchange may show anything: it saves nothing.
        Model.onchange(dict(values), [], {name: {} for name in names})
        record.invalidate_recordset()
        self.assertEqual(record.sudo().read(names), before)
        self.assertEqual(Model.sudo().search_count([]), count)

    def assert_copy_refused(self, record, user, view_xmlid):
        """Duplicating ``record`` is not offered: the form hides it and ``copy`` says why."""
        count = record.sudo().search_count([])
        with self.assertRaises(UserError) as refused:
            record.with_user(user).copy()
        self.assertIs(type(refused.exception), UserError)  # a clear refusal, not a missing right
        self.assertEqual(record.sudo().search_count([]), count)
        arch = etree.fromstring(self.env.ref(view_xmlid).arch)
        self.assertEqual(arch.get("duplicate"), "0", view_xmlid)

    def assert_form_offers_copy(self, view_xmlid):
        arch = etree.fromstring(self.env.ref(view_xmlid).arch)
        self.assertNotIn(arch.get("duplicate"), ("0", "false", "False"), view_xmlid)
