from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

BULK_STATES = [("draft", "To Do"), ("done", "Done")]


class CustomerArchiveBulkMixin(models.AbstractModel):
    """What every bulk action of the archive office shares (approving several requests, taking back
    several loans, filing several archives): each record goes through the very step a button would
    call on it alone, with its checks, in a savepoint of its own, so that a refused record changes
    nothing and stops nothing else; the window then says what was done and what was refused, and
    why."""

    _name = "customer.archive.bulk.mixin"
    _description = "Customer Archive Bulk Action"

    state = fields.Selection(BULK_STATES, required=True, default="draft", readonly=True)
    done_count = fields.Integer(string="Done", readonly=True)
    refused_count = fields.Integer(string="Refused", readonly=True)
    summary = fields.Html(readonly=True, sanitize=True)

    def _bulk_run(self, records, step):
        """Call ``step(record)`` for each of ``records``, each in a savepoint: a record the step
        refuses (UserError, hence also AccessError and ValidationError) is rolled back whole and
        listed with the reason; any other error stops everything (nothing is written). Records the
        user may not read are refused like the others. Writes the counts and the summary on the
        wizard; returns the action that shows it."""
        self.ensure_one()
        done, refused = [], []
        for record in records:
            try:
                label = record.display_name
            except AccessError:
                label = f"#{record.id}"  # not readable by the user: its step refuses it below
            try:
                with self.env.cr.savepoint():
                    step(record)
            except UserError as error:
                refused.append((label, error.args[0] if error.args else str(error)))
            else:
                done.append(label)
        self.write(
            {
                "state": "done",
                "done_count": len(done),
                "refused_count": len(refused),
                "summary": self._bulk_summary(done, refused),
            }
        )
        return self._bulk_reopen()

    def _bulk_summary(self, done, refused):
        """The summary, in the user's language: what was done, then each refusal with its reason."""
        parts = [
            Markup("<p>%s</p>")
            % self.env._("Done: %(done)s. Refused: %(refused)s.", done=len(done), refused=len(refused))
        ]
        if refused:
            items = Markup("").join(
                Markup("<li><strong>%s</strong>: %s</li>") % (label, reason) for label, reason in refused
            )
            parts.append(Markup("<p>%s</p><ul>%s</ul>") % (self.env._("Refused, and why:"), items))
        if done:
            parts.append(Markup("<p>%s %s</p>") % (self.env._("Done:"), ", ".join(done)))
        return Markup("").join(parts)

    def _bulk_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env["ir.model"]._get(self._name).display_name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _bulk_active_records(self, model):
        """The records the action was called on (``active_ids`` of ``model``), as a recordset."""
        context = self.env.context
        if context.get("active_model") != model:
            return self.env[model]
        return self.env[model].browse(context.get("active_ids") or [])
