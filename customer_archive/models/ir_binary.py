from odoo import models

from .customer_archive_access_logged_mixin import is_logged


class IrBinary(models.AbstractModel):
    _inherit = "ir.binary"

    def _record_to_stream(self, record, field_name):
        """/web/content, /web/image and every download route stream through here: a file of
        archive data is logged as a download, as the model of its owner declares it."""
        stream = super()._record_to_stream(record, field_name)
        # As the caller: a file opened with an access token comes as superuser, but is downloaded
        # by the caller all the same.
        if record._name == "ir.attachment":
            record.with_env(self.env)._log_archive_downloads()
        elif is_logged(record):
            record.with_env(self.env)._log_disclosure("download", details=record._fields[field_name].string)
        return stream
