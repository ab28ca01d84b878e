from odoo import models

from .customer_archive_access_logged_mixin import is_logged


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _make_access_error(self, operation, records):
        # Every refusal of archive data by a record rule goes to the access log (报警机制).
        if is_logged(records) and records:
            self.env["customer.archive.access.log"]._record_denied(
                records, details=self.env._("Refused by a record rule: %(operation)s", operation=operation)
            )
        return super()._make_access_error(operation, records)
