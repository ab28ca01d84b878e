from odoo import api, models
from odoo.exceptions import UserError


class CustomerArchiveEvidenceMixin(models.AbstractModel):
    """Records kept as evidence (key log, reviews, handovers, destruction register, limit history,
    events credit control records, access log): made only by their workflow, never changed, never
    deleted.

    - Created through ``_workflow_create`` (the workflow mixin's context object, which no RPC caller
      can send); where the server itself writes rows as the superuser (the access log; data files
      of the key log), the model says so with ``_evidence_superuser_creates``. A model whose rows
      users enter themselves (the key log) lists what they type in ``_evidence_entered_fields``;
      ``_evidence_stamp`` then sets who and when, whatever was sent.
    - Never written, by the superuser neither; chatter (messages, followers) may still come.
    - Never deleted (``@api.ondelete``), but by the workflow (``_workflow_unlink``): the access log's
      retention is the one removal, done by its scheduled action.
    - Never duplicated.

    A model where only some records are evidence (credit events: those the system records) says
    which through ``_evidence_filtered`` and ``_evidence_from_values``.
    """

    _name = "customer.archive.evidence.mixin"
    _description = "Customer Archive Evidence Mixin"
    _inherit = ["customer.archive.workflow.mixin"]
    # What a user fills in when entering a row by hand; empty: rows come from the workflow only.
    _evidence_entered_fields = frozenset()
    # Rows the server writes as the superuser, outside any workflow method (no RPC caller is ever
    # the superuser).
    _evidence_superuser_creates = False

    def _evidence_filtered(self):
        """The records of ``self`` that are evidence (all of them unless a model says otherwise)."""
        return self

    @api.model
    def _evidence_from_values(self, vals):
        """Whether a record created with ``vals`` is evidence."""
        return True

    @api.model
    def _evidence_stamp(self):
        """Values set by the system on a row a user enters by hand (who, when)."""
        return {}

    def _evidence_label(self):
        return self.env["ir.model"]._get(self._name).display_name

    @api.model_create_multi
    def create(self, vals_list):
        by_system = self._in_workflow() or (self.env.su and self._evidence_superuser_creates)
        if not by_system and any(map(self._evidence_from_values, vals_list)):
            self.browse().check_access("create")
            entered, stamp = self._evidence_entered_fields, self._evidence_stamp()
            if not entered or any(set(vals) - entered - set(stamp) for vals in vals_list):
                raise UserError(
                    self.env._(
                        "Entries of the %(model)s are recorded by the system as the work is done; "
                        "they cannot be entered or completed by hand.",
                        model=self._evidence_label(),
                    )
                )
            vals_list = [dict(vals, **stamp) for vals in vals_list]
        return super().create(vals_list)

    def write(self, vals):
        evidence = self._evidence_filtered()
        if evidence and self._content_fields(vals):
            evidence.check_access("write")
            raise UserError(
                self.env._(
                    "Entries of the %(model)s are evidence: they are never changed.",
                    model=self._evidence_label(),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_evidence(self):
        if self._evidence_filtered() and not self._in_workflow():
            raise UserError(
                self.env._(
                    "Entries of the %(model)s are evidence: they are never deleted.",
                    model=self._evidence_label(),
                )
            )

    def _copy_refusal(self):
        return self.env._(
            "Entries of the %(model)s are evidence recorded by the system: they are not duplicated.",
            model=self._evidence_label(),
        )
