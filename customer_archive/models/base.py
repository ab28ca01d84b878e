from odoo import models

# The addons' own models: their forms' answers are checked (``Base.onchange``).
CHECKED_PREFIXES = ("customer.archive", "customer.credit")


class Base(models.AbstractModel):
    _inherit = "base"

    # Set on the Odoo models whose forms compute what the addons guard (customer_credit: orders,
    # invoices and their lines); the addons' own models are checked whatever this says.
    _onchange_values_checked = False

    def onchange(self, values, field_names, fields_spec):
        if not self.env.su and (self._onchange_values_checked or self._name.startswith(CHECKED_PREFIXES)):
            check_form_values_readable(self, values)
        return super().onchange(values, field_names, fields_spec)


def check_form_values_readable(records, values):
    """Refuse (AccessError, Odoo's own naming the records) a form's answer (onchange) for values
    that name records the current user may not read. Odoo answers a form whatever the user's
    rights on what it names, and computed fields compute as superuser: a salesperson was told
    another's order's state and amounts through an order line, a loan's archive and holder through
    the monthly report's line, a secret archive's missing documents through a wizard.

    Takes the records of the form (empty for a new one) and the values sent. Checked: read access
    to the model, to the record edited, and to every record named in a field a user fills in
    (many2one ids, x2many ids and commands, and the fields of new lines and new records named,
    in turn), except the values the edited record already holds: the credit manager decides on
    an order held whose sales rights they lack. Fields computed read-only are the server's answer,
    not the user's input, and are not checked."""
    records.browse().check_access("read")
    held = {}
    if records.ids:
        records.check_access("read")
        stored = records.sudo()  # sudo: what the record holds, compared with what the form names
        held = {
            name: set(stored.mapped(name).ids)
            for name in values
            if name in records._fields and records._fields[name].relational
        }
    named = {}
    _named_ids(records, values, named, held)
    for model_name, ids in named.items():
        records.env[model_name].browse(ids).check_access("read")


def _named_ids(model, values, named, held=None):
    """Add to ``named`` ({model name: set of ids}) the ids that ``values`` (of ``model``) names in
    the fields a user fills in, less those of ``held`` ({field name: ids the record holds})."""
    for name, value in values.items():
        field = model._fields.get(name)
        if not field or not field.relational or not value or (field.compute and field.readonly):
            continue
        comodel = model.env[field.comodel_name]
        ids = set()
        for item in [value] if field.type == "many2one" else value:
            if isinstance(item, int):
                ids.add(item)
            elif isinstance(item, dict):
                if isinstance(item.get("id"), int):
                    ids.add(item["id"])
                else:  # a new record's values (a new order of a new line)
                    _named_ids(comodel, item, named)
            elif isinstance(item, list | tuple) and item:
                if item[0] in (1, 2, 3, 4) and isinstance(item[1], int):
                    ids.add(item[1])
                elif item[0] == 6:
                    ids.update(item[2])
                if item[0] in (0, 1) and len(item) > 2 and isinstance(item[2], dict):
                    _named_ids(comodel, item[2], named)
        ids -= (held or {}).get(name, set())
        if ids:
            named.setdefault(comodel._name, set()).update(ids)
