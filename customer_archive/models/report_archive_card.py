from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError

from .customer_archive_access_logged_mixin import REGISTER
from .ir_actions_report import report_reader

# Fields of the card whose definition may restrict them to some groups: printed only when the
# printing user may read them, as the form shows them.
RESTRICTABLE_FIELDS = (
    "legal_representative_id_number",
    "registered_capital",
    "annual_revenue",
    "total_assets",
)


class ReportArchiveCard(models.AbstractModel):
    """Values of the archive card (客户档案卡), printed from the card (``customer.archive.card``)."""

    _name = "report.customer_archive.report_archive_card"
    _description = "Archive Card Report"
    # The card shows the customer's archives: the report declares what a print of it discloses.
    _archive_access_log = REGISTER

    @api.model
    def _card_archives(self, cards):
        """The customer's archives that the user may see, as the card lists them: their rights,
        not the card's, decide."""
        return self.env["customer.archive"].search(
            [("partner_id", "in", cards.partner_id.ids)], order="date_opened, id"
        )

    @api.model
    def _access_log_disclosed(self, docids):
        """A card printed discloses the archives it lists; a card listing none still discloses the
        customer's card (representative, capital, figures): the card is named instead."""
        cards = self.env["customer.archive.card"].browse(docids)
        archives = self._card_archives(cards)
        without = cards.filtered(lambda card: card.partner_id not in archives.partner_id)
        return [archives, without]

    @api.model
    def _get_report_values(self, docids, data=None):
        """Values of the printed cards ``docids`` (``customer.archive.card`` ids). Raises
        AccessError when the user may not read one of them (their record rules decide: the
        customer's salesperson and the archive office), before anything is printed."""
        cards = self.env["customer.archive.card"].browse(docids)
        reader = report_reader(self.env)
        if reader.uid != SUPERUSER_ID and not reader["customer.archive.card"].has_access("read"):
            raise AccessError(
                self.env._("Archive cards are printed by the sales staff and the archive office.")
            )
        cards.check_access("read")
        archives = self._card_archives(cards)
        fields_ = cards._fields
        return {
            "doc_ids": docids,
            "doc_model": "customer.archive.card",
            "docs": cards,
            "archives_by_partner": archives.grouped(lambda archive: archive.partner_id.id),
            "readable_fields": {
                name for name in RESTRICTABLE_FIELDS if fields_[name].is_accessible(self.env)
            },
        }
