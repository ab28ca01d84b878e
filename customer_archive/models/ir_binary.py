from odoo import models

from .customer_archive_access_logged_mixin import ORDINARY_RANK


class IrBinary(models.AbstractModel):
    _inherit = "ir.binary"

    def _record_to_stream(self, record, field_name):
        stream = super()._record_to_stream(record, field_name)
        if record._name == "ir.attachment" and record.res_id and not self.env.su:
            owner = self.env.get(record.res_model)
            if owner is not None and hasattr(owner, "_access_log_targets"):
                owner = owner.browse(record.res_id)
                # sudo: the owner's level decides whether the download is logged
                if owner.sudo().confidentiality_rank > ORDINARY_RANK:
                    self.env["customer.archive.access.log"]._record("download", owner, details=record.name)
        return stream
