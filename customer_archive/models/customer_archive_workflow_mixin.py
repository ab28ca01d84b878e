from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.models import MAGIC_COLUMNS

# The workflow methods pass this object in the context; no RPC caller can send it, so a plain
# write (from a form or over RPC) can never set the fields that only the workflow may set.
_WORKFLOW = object()

# Records a request may name: naming one discloses it (its level, documents, customer) to the
# request's reader, so whoever names it must be allowed to read it.
NAMED_MODELS = ("customer.archive", "customer.archive.document")


def check_named_records_readable(model, vals_list):
    """Refuse values that name archives or documents the current user may not read.

    Takes a model (recordset) and the list of values of a create, write or onchange; raises
    AccessError (Odoo's own, naming the records) when one named archive or document is out of the
    user's scope or clearance (权限设置, 密级). Many2one ids and many2many commands are both read.
    The workflow itself (as the system, or through ``_workflow_write``) is not checked."""
    if model.env.su or model.env.context.get("customer_archive_workflow") is _WORKFLOW:
        return
    for vals in vals_list:
        for name, value in vals.items():
            field = model._fields.get(name)
            if not field or field.comodel_name not in NAMED_MODELS or not value:
                continue
            if field.type == "many2one":
                ids = [value["id"] if isinstance(value, dict) else value]
            elif field.type == "many2many":
                ids = []
                for command in value:
                    if isinstance(command, int):
                        ids.append(command)
                    elif isinstance(command, dict):
                        ids.append(command["id"])
                    elif command[0] == 6:
                        ids.extend(command[2])
                    elif command[0] == 4:
                        ids.append(command[1])
            else:
                continue
            model.env[field.comodel_name].browse(ids).check_access("read")


class CustomerArchiveWorkflowMixin(models.AbstractModel):
    """Fields that only workflow methods set (state, who did what and when).

    A model lists them in ``_workflow_fields``; its methods change them through
    ``_workflow_write`` after checking the user's right and the current state.
    """

    _name = "customer.archive.workflow.mixin"
    _description = "Customer Archive Workflow Mixin"
    _workflow_fields = frozenset()
    # What the requester fills in: frozen once a request leaves its draft.
    _request_fields = frozenset()
    # Many2many fields of files (ir.attachment) that are part of the record (a credit
    # application's documents): changing or deleting one of their files is changing the field,
    # which ``_check_held_files_change`` rules on (ir.attachment asks it).
    _held_file_fields = frozenset()
    # Whether every file attached to the record (res_model/res_id) is part of it too, as made.
    _held_attached_files = False

    def _in_workflow(self):
        return self.env.context.get("customer_archive_workflow") is _WORKFLOW

    def _recorded_fields(self):
        """What only the workflow writes: ``_workflow_fields`` (state, counts, results, who and
        when) and every stored field the model declares read-only without computing it (the
        reference it is given, what the system filled in). Returns a set of field names."""
        return self._workflow_fields | {
            name
            for name, field in self._fields.items()
            if field.readonly and field.store and not field.compute and name not in MAGIC_COLUMNS
        }

    def _workflow_create_values(self, vals_list):
        """Copies of the values ``vals_list`` of a create, each checked by
        ``_check_workflow_fields``, for the create to fill in (its number, defaults). The caller's
        values stay as given: Odoo's import retries a failed batch row by row with them, and a value
        filled in by the create would be refused as the caller's. Raises what the check raises."""
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            self._check_workflow_fields(vals)
        return vals_list

    def _check_workflow_fields(self, vals):
        """Refuse (UserError) a create or write from outside the workflow that sets what the
        workflow records or what is computed: forms, RPC calls, imports and copies alike."""
        if self._in_workflow():
            return
        self._check_computed_fields(vals)
        forced = self._recorded_fields().intersection(vals)
        if forced:
            raise UserError(
                self.env._(
                    "These fields change only through the buttons of the %(model)s: %(fields)s.",
                    model=self.env["ir.model"]._get(self._name).display_name,
                    fields=", ".join(
                        sorted(self._fields[name]._description_string(self.env) for name in forced)
                    ),
                )
            )

    @api.model
    def default_get(self, fields_list):
        # A new record's workflow fields (and computed ones) take their code default only: not a
        # context ``default_<field>`` key nor a personal default (``ir.default``, any user may set
        # one), which Odoo applies after the models' checks of the values, so that no caller
        # creates a record already approved, sent or marked as the system's. The workflow's own
        # creates run in the caller's context too, and set what they need explicitly.
        defaults = super().default_get(fields_list)
        guarded = self._recorded_fields() | {
            name for name, field in self._fields.items() if field.compute and field.readonly
        }
        for name in guarded.intersection(defaults):
            field = self._fields[name]
            if field.default:
                defaults[name] = field.convert_to_write(field.default(self), self)
            else:
                del defaults[name]
        return defaults

    def _check_held_files_change(self, field_name):
        """Refuse (UserError) changing or deleting a file held in ``field_name`` (one of
        ``_held_file_fields``) of these records where a write of that field would be refused: the
        workflow fields rule here; a model adds its own (a request frozen after its draft).
        ``field_name`` None: a file attached to a record that holds every file attached to it
        (``_held_attached_files``), changed or deleted by the workflow only."""
        if field_name is None:
            if self and not self._in_workflow():
                raise UserError(
                    self.env._(
                        "The files of %(records)s are kept as they were made.",
                        records=", ".join(self.sudo().mapped("display_name")),  # sudo: names only
                    )
                )
            return
        self._check_workflow_fields({field_name: True})

    def _own_held_files(self):
        """Make the files given in ``_held_file_fields`` the record's own (attached to it, as the
        system), so that no other record's change takes them away: the file of another record's
        field (a photo), or a file attached to another record, would be replaced or deleted with
        that record, by Odoo itself. Refuses (UserError) such a file: upload it again. Returns
        None."""
        uid = self.env.uid
        for record in self:
            for name in self._held_file_fields:
                files = record.sudo()[name]  # sudo: whose files they are, whoever gives them
                if not self.env.su:
                    # The user gives only what they may read: Odoo links files by id unchecked.
                    files.with_env(self.env).check_access("read")
                # A file of no record (or of a message being written) is the user's own upload.
                foreign = files.filtered(
                    lambda f, record=record: f.res_field
                    or (f.res_model and f.res_model not in (record._name, "mail.compose.message"))
                    or (f.res_model == record._name and f.res_id not in (0, record.id))
                    or (f.res_model == "mail.compose.message" and f.res_id)
                    or (
                        not self.env.su
                        and f.create_uid.id != uid
                        and (not f.res_model or f.res_model == "mail.compose.message" or not f.res_id)
                    )
                )
                if foreign:
                    raise UserError(
                        self.env._(
                            "%(files)s belong to another record: upload the file itself.",
                            files=", ".join(foreign.mapped("name")),
                        )
                    )
                files.filtered(
                    lambda f, record=record: (f.res_model, f.res_id) != (record._name, record.id)
                ).write({"res_model": record._name, "res_id": record.id})

    def _check_computed_fields(self, vals):
        """Computed and related values (levels, ranks, dates derived from others) follow their
        sources; a write (a form or an RPC call) may not set them, or it could lower a level."""
        forced = [
            name
            for name in vals
            if name in self._fields and self._fields[name].compute and self._fields[name].readonly
        ]
        if forced:
            raise UserError(
                self.env._(
                    "These values are computed and cannot be set: %(fields)s.",
                    fields=", ".join(
                        sorted(self._fields[name]._description_string(self.env) for name in forced)
                    ),
                )
            )

    def _check_request_frozen(self, vals):
        """A request is changed only as a draft; after that only its workflow writes it."""
        if (
            self._request_fields.intersection(vals)
            and not self._in_workflow()
            and any(record.state != "draft" for record in self)
        ):
            raise UserError(self.env._("A request can only be changed while it is a draft."))

    @staticmethod
    def _content_fields(vals):
        """The names in ``vals`` that are the record's content, not its chatter or activities
        (posting a message with an attachment writes ``message_main_attachment_id``)."""
        return {name for name in vals if not name.startswith(("message_", "activity_"))}

    def copy_data(self, default=None):
        # A copy is a new draft: what the workflow recorded (state, who and when, results) and the
        # values computed from other fields stay with the original; asking for them explicitly
        # in ``default`` is still refused by create.
        vals_list = super().copy_data(default)
        asked = set(default or ())
        recorded = self._recorded_fields()
        for vals in vals_list:
            for name in list(vals):
                field = self._fields.get(name)
                if name in asked or field is None:
                    continue
                if name in recorded or (field.compute and field.readonly):
                    del vals[name]
        return vals_list

    def _copy_refusal(self):
        """Why records of this model are not duplicated (their form hides Duplicate), or an empty
        string when a copy is a new draft (see ``copy_data``)."""
        return ""

    def copy(self, default=None):
        """Duplicate as a new draft, or raise UserError with ``_copy_refusal`` (seed: 档案编号, a
        copy gets its own number and history)."""
        reason = self._copy_refusal()
        if reason:
            raise UserError(reason)
        return super().copy(default)

    # ------------------------------------------------------------------ guards
    # The workflows' guards: a refusal for who the user is raises AccessError, a refusal for the
    # state the record is in raises UserError, whichever model asks.
    def _check_state(self, *states):
        """Refuse (UserError) unless every record is in one of ``states``."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        for record in self:
            if record.state not in states:
                raise UserError(
                    self.env._(
                        "%(record)s is %(state)s; this step needs it %(expected)s.",
                        record=record.display_name,
                        state=labels.get(record.state, record.state),
                        expected=" / ".join(labels.get(state, state) for state in states),
                    )
                )

    def _check_group(self, group_xmlid, message):
        """Refuse (AccessError with ``message``) unless the current user holds the group."""
        if not self.env.user.has_group(group_xmlid):
            raise AccessError(message)

    def _check_requester_or_group(self, group_xmlid, message):
        """Refuse (AccessError with ``message``) unless the current user is the requester
        (``requester_id``) of every record or holds the group."""
        if not self.env.user.has_group(group_xmlid) and any(
            record.requester_id != self.env.user for record in self
        ):
            raise AccessError(message)

    def _check_not_requester(self, message):
        """Segregation of duties: refuse (AccessError with ``message``) a step on a record the
        current user requested (``requester_id``); the system itself is not refused."""
        if not self.env.su and any(record.requester_id == self.env.user for record in self):
            raise AccessError(message)

    def _workflow_write(self, vals):
        return self.with_context(customer_archive_workflow=_WORKFLOW).write(vals)

    def _workflow_create(self, vals_list):
        return self.with_context(customer_archive_workflow=_WORKFLOW).create(vals_list)

    def _workflow_unlink(self):
        return self.with_context(customer_archive_workflow=_WORKFLOW).unlink()

    def _action_open_wizard(self, model, name, record_field):
        """The window of a wizard that takes a decision on this record (its reason, its options)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {f"default_{record_field}": self.id},
        }
