from odoo import models

from .customer_archive_access_logged_mixin import is_logged


class IrModelAccess(models.Model):
    _inherit = "ir.model.access"

    def _make_access_error(self, model, mode):
        # Users without any right on archive data who try to reach it are logged too.
        if is_logged(self.env.get(model)):
            self.env["customer.archive.access.log"]._record_denied(
                details=self.env._("No access right: %(model)s, %(operation)s", model=model, operation=mode)
            )
        return super()._make_access_error(model, mode)
