from odoo import api, models
from odoo.exceptions import AccessError

from .customer_archive_access_logged_mixin import REGISTER

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
    # A card is printed from the customer, who holds no archive data; the card shows the
    # customer's archives: the report declares what a print of it discloses.
    _archive_access_log = REGISTER

    @api.model
    def _card_archives(self, partners):
        """The customer's archives that the user may see, as the card lists them: their rights,
        not the card's, decide."""
        return self.env["customer.archive"].search(
            [("partner_id", "in", partners.commercial_partner_id.ids)], order="date_opened, id"
        )

    @api.model
    def _access_log_disclosed(self, docids):
        """A card printed discloses the archives it lists; a card listing none still discloses the
        customer's card (representative, capital, figures): the customer is named instead."""
        partners = self.env["res.partner"].browse(docids)
        archives = self._card_archives(partners)
        without = partners.filtered(lambda partner: partner.commercial_partner_id not in archives.partner_id)
        return [archives, without]

    @api.model
    def _get_report_values(self, docids, data=None):
        if not self.env.su and not self.env.user.has_group("customer_archive.group_archive_user"):
            raise AccessError(
                self.env._("Archive cards are printed by the sales staff and the archive office.")
            )
        partners = self.env["res.partner"].browse(docids)
        partners.check_access("read")
        archives = self._card_archives(partners)
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
