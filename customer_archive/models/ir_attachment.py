from odoo import models

from .customer_archive_access_logged_mixin import ORDINARY_RANK

# Reading these is downloading the file.
CONTENT_FIELDS = {"datas", "raw", "db_datas"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _log_archive_downloads(self):
        """Log, as downloads, files of archive data above ordinary."""
        if self.env.su:
            return
        Log = self.env["customer.archive.access.log"]
        for attachment in self.sudo():  # sudo: the owner's level decides what is logged
            owner = self.env.get(attachment.res_model)
            if attachment.res_id and owner is not None and hasattr(owner, "_access_log_targets"):
                owner = owner.browse(attachment.res_id)
                if owner.sudo().confidentiality_rank > ORDINARY_RANK:  # sudo: the level only
                    Log._record("download", owner, details=attachment.name)

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields, load)
        if fields and CONTENT_FIELDS.intersection(fields):
            self._log_archive_downloads()
        return result
