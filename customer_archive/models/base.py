from odoo import models
from odoo.exceptions import AccessError
from odoo.models import NewId

# The addons' own models: their records are guarded wherever a form names them (``Base.onchange``).
GUARDED_PREFIXES = ("customer.archive", "customer.credit")


class Base(models.AbstractModel):
    _inherit = "base"

    # Set on the Odoo models whose records the addons guard as their own (customer_credit: orders,
    # invoices and their lines): no form names one its user may not read. The addons' own models
    # are guarded whatever this says.
    _onchange_values_checked = False

    def onchange(self, values, field_names, fields_spec):
        """Odoo's form answer, given only to who may read the form's model and record, for values
        and a new record's defaults that name no guarded record its user may not read
        (``check_form_values_readable``; seed rules 权限设置 and 密级: what one may not read is not
        told). Takes and returns what Odoo's takes and returns; raises AccessError."""
        if not self.env.su:
            values = check_form_values_readable(self, values)
            # Odoo reads a change of a field the values lack as a new form (and a computed
            # read-only one is left out of them above): no form changes what it does not hold.
            if any(name not in values for name in field_names or ()):
                raise AccessError(self.env._("A form changed a field it does not hold."))
            if not self.ids:
                # A new record: Odoo fills in the defaults of what the values leave out (the
                # context's default_*, a wizard's active_ids, the user's own defaults), on a new
                # form or when a field is first read; they name records as values do.
                names = [
                    name
                    for name, field in self._fields.items()
                    if name not in values
                    and (
                        field.type == "many2one_reference"
                        or (field.relational and is_guarded(self.env[field.comodel_name]))
                    )
                ]
                if names:
                    check_form_values_readable(self, self.default_get(names), computed=True)
        return super().onchange(values, field_names, fields_spec)


def is_guarded(model):
    """Whether ``model``'s records are guarded in forms (``check_form_values_readable``)."""
    return model._onchange_values_checked or model._name.startswith(GUARDED_PREFIXES)


def check_form_values_readable(records, values, computed=False):
    """Check a form's values (or defaults) before Odoo answers it (onchange), and return them as
    Odoo is to read them. Odoo answers a form whatever the user's rights on its model and on what
    its values name, and computed fields compute as superuser: a salesperson was told another's
    order's state and amounts through an order line, a loan's archive and holder through the
    monthly report's line, a secret archive's missing documents through a wizard, an invoice's
    total through Odoo's sending wizard.

    Takes the records of the form (empty for a new one) and the values sent; raises AccessError
    (Odoo's own, naming the records) when:
    - the user may not read the form's model, or the record edited;
    - the values name a record of a guarded model (``is_guarded``) the user may not read:
      many2one ids, x2many ids and commands, a model and id pair (``Many2oneReference``), and in
      turn the values of new lines and records; the values the edited record already holds pass
      (the credit manager decides on an order held without sales rights);
    - an id is not a record's id (an integer) nor a new record's (``virtual_…``): Odoo takes a
      list or a float for a record too.
    Values of computed read-only fields naming a guarded model are left out: they are the
    server's answer, which it computes again from what the form names, checked above; with
    ``computed`` (defaults, which Odoo keeps) they are checked too."""
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
    values = _checked_values(records, values, named, held, computed)
    for model_name, ids in named.items():
        records.env[model_name].browse(ids).check_access("read")
    return values


def _record_id(model, value):
    """``value`` as a record's id (int), None for a new record's, or AccessError."""
    if type(value) is int:
        return value
    if (
        value in (False, None)
        or isinstance(value, NewId)
        or (isinstance(value, str) and value.startswith("virtual_"))
    ):
        return None
    raise AccessError(
        model.env._(
            "A form named a record of %(model)s by %(value)s, which is no id.",
            model=model._description,
            value=repr(value),
        )
    )


def _checked_item(comodel, item, ids, named, computed=False):
    """An x2many's or many2one's item (an id or a new record's values) as Odoo is to read it;
    its id goes into ``ids``, what its values name into ``named``."""
    if isinstance(item, dict):
        # a new record's values, of the record of its "id" when it has one (Odoo reads that
        # record as the new one's origin)
        record_id = _record_id(comodel, item.get("id"))
        if record_id is not None:
            ids.add(record_id)
        fields_values = _checked_values(
            comodel, {key: value for key, value in item.items() if key != "id"}, named, computed=computed
        )
        return {"id": item["id"], **fields_values} if "id" in item else fields_values
    record_id = _record_id(comodel, item)
    if record_id is not None:
        ids.add(record_id)
    return item


def _checked_values(model, values, named, held=None, computed=False):
    """A copy of ``values`` (of ``model``) without the computed read-only fields naming guarded
    records; adds to ``named`` ({model name: ids}) the guarded records they name, less those of
    ``held`` ({field name: ids the edited record holds})."""
    checked = {}
    for name, value in values.items():
        field = model._fields.get(name)
        checked[name] = value
        if not field or not value:
            continue
        if field.type == "many2one_reference":
            # a model and id pair (an activity's, an attachment's record)
            model_name = values.get(field.model_field) or model[:1][field.model_field]
            if model_name in model.env and is_guarded(model.env[model_name]):
                record_id = _record_id(model.env[model_name], value)
                if record_id is not None:
                    named.setdefault(model_name, set()).add(record_id)
            continue
        if not field.relational:
            continue
        comodel = model.env[field.comodel_name]
        guarded = is_guarded(comodel)
        if guarded and field.compute and field.readonly and not computed:
            del checked[name]
            continue
        ids = set()
        if field.type == "many2one":
            checked[name] = _checked_item(comodel, value, ids, named, computed)
        else:
            commands = []
            for item in value:
                if isinstance(item, list | tuple) and item:
                    command = list(item)
                    if command[0] in (1, 2, 3, 4):
                        _checked_item(comodel, command[1], ids, named, computed)
                    elif command[0] == 6:
                        command[2] = [
                            _checked_item(comodel, record_id, ids, named, computed)
                            for record_id in command[2]
                        ]
                    if command[0] in (0, 1) and len(command) > 2 and isinstance(command[2], dict):
                        command[2] = _checked_values(comodel, command[2], named, computed=computed)
                    commands.append(command)
                else:
                    commands.append(_checked_item(comodel, item, ids, named, computed))
            checked[name] = commands
        ids -= (held or {}).get(name, set())
        if ids and guarded:
            named.setdefault(comodel._name, set()).update(ids)
    return checked
