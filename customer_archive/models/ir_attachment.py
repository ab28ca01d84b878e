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

    def _archive_documents(self):
        """The archive documents these files are the scans of."""
        ids = [a.res_id for a in self.sudo() if a.res_model == "customer.archive.document" and a.res_id]
        return self.env["customer.archive.document"].sudo().browse(ids).exists()  # sudo: owners only

    def _names_of_files_of(self, document):
        return ", ".join(
            self.filtered(lambda a: a.res_model == document._name and a.res_id == document.id).mapped("name")
        )

    def write(self, vals):
        # A scan replaced in place (new content under the same file) is in the document's history.
        replaced = self._archive_documents() if CONTENT_FIELDS.intersection(vals) else ()
        result = super().write(vals)
        for document in replaced:
            document._log_on_archive(
                self.env._(
                    "Scan file replaced in %(document)s: %(files)s",
                    document=document.display_name,
                    files=self._names_of_files_of(document),
                )
            )
        return result

    def unlink(self):
        # A scan deleted from its document (not through the document's form) is in its history too.
        removed = [(document, self._names_of_files_of(document)) for document in self._archive_documents()]
        result = super().unlink()
        for document, names in removed:
            document._log_on_archive(
                self.env._(
                    "Scan file removed from %(document)s: %(files)s",
                    document=document.display_name,
                    files=names,
                )
            )
        return result

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields, load)
        if fields and CONTENT_FIELDS.intersection(fields):
            self._log_archive_downloads()
        return result
