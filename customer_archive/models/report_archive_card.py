from odoo import api, models
from odoo.exceptions import AccessError

# Fields of the card whose definition may restrict them to some groups: printed only when the
# printing user may read them, as the form shows them.
RESTRICTABLE_FIELDS = (
    "legal_representative_id_number",
    "registered_capital",
    "annual_revenue",
    "total_assets",
)


class ReportArchiveCard(models.AbstractModel):
    """Values of the archive card (客户档案卡), printed from the customer's form."""

    _name = "report.customer_archive.report_archive_card"
    _description = "Archive Card Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        if not self.env.su and not self.env.user.has_group("customer_archive.group_archive_user"):
            raise AccessError(
                self.env._("Archive cards are printed by the sales staff and the archive office.")
            )
        partners = self.env["res.partner"].browse(docids)
        partners.check_access("read")
        # The customer's archives that the user may see: their rights, not the card's, decide.
        archives = self.env["customer.archive"].search(
            [("partner_id", "in", partners.commercial_partner_id.ids)], order="date_opened, id"
        )
        fields_ = self.env["res.partner"]._fields
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "archives_by_partner": archives.grouped(lambda archive: archive.partner_id.id),
            "readable_fields": {
                name for name in RESTRICTABLE_FIELDS if fields_[name].is_accessible(self.env)
            },
        }
