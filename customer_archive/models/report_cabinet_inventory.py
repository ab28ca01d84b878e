from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError

from .customer_archive_access_logged_mixin import REGISTER
from .ir_actions_report import report_reader

OFFICER = "customer_archive.group_archive_officer"


class ReportCabinetInventory(models.AbstractModel):
    """Values of a cabinet's inventory (案卷目录): the archives it holds, as far as the printing
    user may read them; the others are only counted."""

    _name = "report.customer_archive.report_cabinet_inventory"
    _description = "Cabinet Inventory Report"
    # A cabinet holds no archive data itself; its inventory lists archives: the report declares
    # what a print of it discloses.
    _archive_access_log = REGISTER

    @api.model
    def _inventory_archives(self, cabinets):
        """The archives in ``cabinets`` that the user may read (their rights decide)."""
        return self.env["customer.archive"].search(
            [("cabinet_id", "in", cabinets.ids)], order="cabinet_id, number, id"
        )

    @api.model
    def _access_log_disclosed(self, docids):
        """An inventory printed discloses the archives it lists; an empty one names the cabinet."""
        cabinets = self.env["customer.archive.cabinet"].browse(docids)
        archives = self._inventory_archives(cabinets)
        return [archives, cabinets - archives.cabinet_id]

    @api.model
    def _get_report_values(self, docids, data=None):
        reader = report_reader(self.env)
        if reader.uid != SUPERUSER_ID and not reader.user.has_group(OFFICER):
            raise AccessError(self.env._("Cabinet inventories are printed by the archive office."))
        cabinets = self.env["customer.archive.cabinet"].browse(docids)
        cabinets.check_access("read")
        archives = self._inventory_archives(cabinets)
        held = (
            self.env["customer.archive"]
            .sudo()  # sudo: counts what the cabinet holds beyond the user's clearance, never shows it
            ._read_group([("cabinet_id", "in", cabinets.ids)], ["cabinet_id"], ["__count"])
        )
        visible = archives.grouped("cabinet_id")
        return {
            "doc_ids": docids,
            "doc_model": "customer.archive.cabinet",
            "docs": cabinets,
            "archives_by_cabinet": {cabinet.id: records for cabinet, records in visible.items()},
            "hidden_by_cabinet": {
                cabinet.id: count - len(visible.get(cabinet, [])) for cabinet, count in held
            },
        }
