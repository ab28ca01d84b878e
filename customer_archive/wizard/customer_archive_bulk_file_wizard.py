from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerArchiveBulkFileWizard(models.TransientModel):
    """File several formal archives into one cabinet (上柜): each archive is placed in the cabinet
    and filed through the archive's own step (``action_file``) with its checks: the archive office
    only, formal archives only, room in the cabinet. An archive refused is left as it was (not
    even placed in the cabinet); the window lists it with the reason."""

    _name = "customer.archive.bulk.file.wizard"
    _description = "File Archives in a Cabinet"
    _inherit = ["customer.archive.bulk.mixin"]
    # Names archives for one step and hands out nothing itself.
    _archive_access_log = False

    archive_ids = fields.Many2many(
        "customer.archive",
        "customer_archive_bulk_file_wizard_archive_rel",
        "wizard_id",
        "archive_id",
        string="Archives",
    )
    cabinet_id = fields.Many2one("customer.archive.cabinet")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        archives = self._bulk_active_records("customer.archive")
        if archives:
            values["archive_ids"] = [fields.Command.set(archives.ids)]
        return values

    def action_confirm(self):
        """Place and file each archive (see ``customer.archive.bulk.mixin._bulk_run``). Raises
        UserError, before anything, without a cabinet."""
        self.ensure_one()
        if not self.cabinet_id:
            raise UserError(self.env._("Choose the cabinet the archives go into."))
        return self._bulk_run(self.archive_ids, self._file)

    def _file(self, archive):
        archive.write({"cabinet_id": self.cabinet_id.id})
        return archive.action_file()
