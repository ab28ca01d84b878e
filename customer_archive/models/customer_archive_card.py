import logging
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import column_exists

from .customer_archive_access_logged_mixin import REGISTER

_logger = logging.getLogger(__name__)

ORGANISATION_FORMS = [
    ("state_owned", "State-owned Enterprise"),
    ("collective", "Collective Enterprise"),
    ("limited", "Limited Liability Company"),
    ("joint_stock", "Joint-stock Company"),
    ("partnership", "Partnership"),
    ("sole_proprietorship", "Sole Proprietorship"),
    ("individual_business", "Individual Business"),
    ("foreign_invested", "Foreign-invested Enterprise"),
    ("public_institution", "Public Institution"),
    ("other", "Other"),
]
RATINGS = [("high", "High"), ("medium", "Medium"), ("low", "Low")]
# Financial data: only the archive office and above see them, whose card it is.
SENSITIVE = "customer_archive.group_archive_officer"
ARCHIVE_OFFICE = "customer_archive.group_archive_officer"
ENCRYPTED_FIELDS = ("legal_representative_id_number", "identity_number", "archive_bank_account_number")
# Set only while Odoo's partner merge folds the cards of merged partners into the kept one.
_MERGING_CARDS = ContextVar("customer_archive_merging_cards", default=False)


class CustomerArchiveCard(models.Model):
    """The archive card (客户档案卡, A1) of one commercial partner.

    A model of its own, not fields on the partner, so that record rules give it the archives'
    scope: the sales staff read and edit the cards of the customers whose salesperson they are,
    the archive office all of them, nobody else any (field groups on ``res.partner`` cannot say
    whose record it is)."""

    _name = "customer.archive.card"
    _description = "Customer Archive Card"
    _inherit = ["mail.thread", "mail.activity.mixin", "customer.archive.access.logged.mixin"]
    _order = "partner_id, id"
    _rec_name = "partner_id"
    # A card holds the company's knowledge of its customer, no archive: prints and exports of
    # cards are logged, naming the card (the printed card names the archives it lists).
    _archive_access_log = REGISTER
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('parent_id', '=', False)]",
        # The groups of res.partner.archive_card_ids: a search on that list is a search on this
        # field, and a user outside them may not ask which customers have a card.
        groups="customer_archive.group_archive_user",
    )
    # What the record rules read: stored, so that they are SQL conditions, and recomputed
    # whenever the customer's salesperson or company changes (handover, merge, a plain write).
    salesperson_id = fields.Many2one(
        related="partner_id.user_id", store=True, index=True, string="Salesperson"
    )
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    is_company = fields.Boolean(related="partner_id.is_company")

    legal_representative = fields.Char(tracking=True)
    # Identity and bank numbers (敏感信息): encrypted at rest, shown masked outside the archive
    # office, found by exact value. Never tracked: the chatter would keep them in clear.
    legal_representative_id_number = fields.Char(
        string="Legal Representative ID Number",
        compute="_compute_encrypted_numbers",
        inverse="_inverse_legal_representative_id_number",
        search="_search_legal_representative_id_number",
        copy=False,
    )
    legal_representative_id_number_token = fields.Char(groups="base.group_system", copy=False)
    legal_representative_id_number_index = fields.Char(groups="base.group_system", copy=False, index=True)
    identity_number = fields.Char(
        string="ID Card Number",
        help="Resident identity card number of an individual customer (身份证号码).",
        compute="_compute_encrypted_numbers",
        inverse="_inverse_identity_number",
        search="_search_identity_number",
        copy=False,
    )
    identity_number_token = fields.Char(groups="base.group_system", copy=False)
    identity_number_index = fields.Char(groups="base.group_system", copy=False, index=True)
    archive_bank_name = fields.Char(string="Account Bank", tracking=True)
    archive_bank_account_number = fields.Char(
        string="Bank Account Number",
        compute="_compute_encrypted_numbers",
        inverse="_inverse_archive_bank_account_number",
        search="_search_archive_bank_account_number",
        copy=False,
    )
    archive_bank_account_number_token = fields.Char(groups="base.group_system", copy=False)
    archive_bank_account_number_index = fields.Char(groups="base.group_system", copy=False, index=True)
    owner_name = fields.Char(string="Owner", tracking=True)
    owner_notes = fields.Text(string="Owner's Character and Preferences", tracking=True)
    manager_name = fields.Char(string="Manager", tracking=True)
    manager_notes = fields.Text(string="Manager's Character and Preferences", tracking=True)
    founding_date = fields.Date(tracking=True)
    first_trade_date = fields.Date(tracking=True)
    organisation_form = fields.Selection(ORGANISATION_FORMS, tracking=True)
    archive_currency_id = fields.Many2one("res.currency", compute="_compute_archive_currency_id")
    registered_capital = fields.Monetary(
        currency_field="archive_currency_id", groups=SENSITIVE, tracking=True, copy=False
    )
    staff_count = fields.Integer(string="Staff", tracking=True)
    annual_revenue = fields.Monetary(
        currency_field="archive_currency_id", groups=SENSITIVE, tracking=True, copy=False
    )
    total_assets = fields.Monetary(
        string="Assets", currency_field="archive_currency_id", groups=SENSITIVE, tracking=True, copy=False
    )
    service_area = fields.Char(tracking=True)
    sales_capability = fields.Text(tracking=True)
    business_potential = fields.Selection(RATINGS, string="Potential", tracking=True)
    cooperation_attitude = fields.Selection(
        [("active", "Cooperative"), ("normal", "Neutral"), ("passive", "Reluctant")],
        tracking=True,
    )
    competitor_relations = fields.Text(tracking=True)
    reputation = fields.Selection(
        [("good", "Well Reputed"), ("fair", "Average Reputation"), ("poor", "Poorly Reputed")],
        tracking=True,
    )
    trade_terms = fields.Text(tracking=True)
    credit_problems = fields.Text(string="Past Credit Problems", tracking=True)

    _sql_constraints = [
        ("partner_uniq", "unique(partner_id)", "A customer has one archive card."),
    ]

    # ------------------------------------------------------------------ the customer
    @api.constrains("partner_id")
    def _check_partner_id(self):
        for card in self:
            if card.partner_id != card.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "An archive card belongs to the customer (the company), not to one of its "
                        "contacts: %(contact)s.",
                        contact=card.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """Create cards; a contact given as customer stands for its company (commercial partner).
        Record rules decide who may: the customer's salesperson or the archive office."""
        Partner = self.env["res.partner"]
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = Partner.browse(vals["partner_id"]).commercial_partner_id.id
        cards = super().create(vals_list)
        # The customers' lists are computed (with the cards' rules), not kept by the inverse field.
        Partner.invalidate_model(["archive_card_ids"])
        return cards

    def write(self, vals):
        if "partner_id" in vals and any(card.partner_id.id != vals["partner_id"] for card in self):
            raise UserError(self.env._("An archive card stays with its customer."))
        self.env["res.partner"].invalidate_model(["archive_card_ids"])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        # The card is the customer's history (动态管理): archive the customer, keep the card. Only
        # the merge of two customers folds the merged one's card into the kept one's.
        if not _MERGING_CARDS.get():
            raise UserError(self.env._("An archive card is never deleted."))

    @api.depends_context("company")
    def _compute_archive_currency_id(self):
        for card in self:
            card.archive_currency_id = card.company_id.currency_id or self.env.company.currency_id

    @api.model
    def _ensure_for_partners(self, partners):
        """The cards of ``partners``' customers (commercial partners), created where missing.

        Used wherever the card is expected to exist (an archive opened for a customer). Runs as
        the system: the customer's card exists whoever opens the archive; reading it is still up
        to the record rules. Returns the cards (sudo)."""
        customers = partners.commercial_partner_id
        Card = self.sudo().with_context(active_test=False)  # sudo: made whoever opens the first archive
        cards = Card.search([("partner_id", "in", customers.ids)])
        missing = customers - cards.partner_id
        if missing:
            cards |= Card.with_context(mail_create_nolog=True, mail_create_nosubscribe=True).create(
                [{"partner_id": partner.id} for partner in missing]
            )
        return cards

    # ------------------------------------------------------------------ encrypted numbers
    @api.model
    def _encrypted_field_columns(self):
        return [(f"{name}_token", f"{name}_index") for name in ENCRYPTED_FIELDS]

    @api.depends(*(f"{name}_token" for name in ENCRYPTED_FIELDS))
    @api.depends_context("uid")
    def _compute_encrypted_numbers(self):
        crypto = self.env["customer.archive.encryption"]
        in_clear = self.env.su or self.env.user.has_group(ARCHIVE_OFFICE)
        unreadable = self.env._("(cannot be decrypted)")
        for card in self:
            stored = card.sudo()  # sudo: the tokens are readable by the system only
            for name in ENCRYPTED_FIELDS:
                token = stored[f"{name}_token"]
                try:
                    value = crypto._decrypt(token) if token else False
                except UserError:
                    # One damaged value must not make the card unreadable.
                    card[name] = unreadable
                    continue
                card[name] = value if in_clear else crypto._mask(value)

    def _write_encrypted(self, name):
        if not (self.env.su or self.env.user.has_group(ARCHIVE_OFFICE)):
            raise AccessError(self.env._("Only the archive office enters identity and bank numbers."))
        crypto = self.env["customer.archive.encryption"]
        for card in self:
            value = crypto._normalise(card[name])
            card.sudo().write(  # sudo: the encrypted value and its index are system fields
                {
                    f"{name}_token": crypto._encrypt(value) if value else False,
                    f"{name}_index": crypto._blind_index(value) if value else False,
                }
            )
        # Shown as stored (normalised), not as typed.
        self.invalidate_recordset([name])

    def _search_encrypted(self, name, operator, value):
        # Only those who see the numbers search them: a masked number shows 8 of 18 characters,
        # and exact searches over the rest would rebuild it.
        if not (self.env.su or self.env.user.has_group(ARCHIVE_OFFICE)):
            raise AccessError(self.env._("Only the archive office searches identity and bank numbers."))
        if operator in ("=", "!=") and value is False:
            # Whether a number is set, without reading it.
            query = self.sudo()._search([(f"{name}_index", operator, False)])  # sudo: system field
            return [("id", "in", query)]
        if operator not in ("=", "in") or not value:
            raise UserError(
                self.env._("Identity and bank numbers can only be searched by their exact value.")
            )
        crypto = self.env["customer.archive.encryption"]
        values = value if operator == "in" else [value]
        indexes = [crypto._blind_index(v) for v in values if v]
        # The outer search still applies the user's rules.
        query = self.sudo()._search([(f"{name}_index", "in", indexes)])  # sudo: the index is a system field
        return [("id", "in", query)]

    def _inverse_legal_representative_id_number(self):
        self._write_encrypted("legal_representative_id_number")

    def _inverse_identity_number(self):
        self._write_encrypted("identity_number")

    def _inverse_archive_bank_account_number(self):
        self._write_encrypted("archive_bank_account_number")

    def _search_legal_representative_id_number(self, operator, value):
        return self._search_encrypted("legal_representative_id_number", operator, value)

    def _search_identity_number(self, operator, value):
        return self._search_encrypted("identity_number", operator, value)

    def _search_archive_bank_account_number(self, operator, value):
        return self._search_encrypted("archive_bank_account_number", operator, value)

    # ------------------------------------------------------------------ printing
    def action_print(self):
        """The printed card (客户档案卡), with the customer's archives the user may see."""
        return self.env.ref("customer_archive.action_report_archive_card").report_action(self)

    # ------------------------------------------------------------------ partner merge
    @api.model
    def _merge_into(self, src_partners, dst_partner):
        """Odoo's partner merge: fold the cards of ``src_partners`` into ``dst_partner``'s before
        the merge moves the partners' records (a customer has one card; Odoo would otherwise
        delete the second one). Empty values of the kept card are filled from the merged ones;
        their notes are appended; their change history moves to the kept card."""
        Card = self.sudo()  # sudo: the merge moves every card, whoever merges
        Card = Card.with_context(active_test=False, tracking_disable=True)
        cards = Card.search([("partner_id", "in", (src_partners | dst_partner).ids)])
        kept = cards.filtered(lambda card: card.partner_id == dst_partner)
        merged = cards - kept
        # Whoever merges must be able to edit every card involved: merging another salesperson's
        # customer into one's own would otherwise hand its card over.
        if cards:
            cards.with_env(self.env).check_access("write")
        if not merged or not kept:
            return kept  # at most one card: Odoo's merge moves it to the kept partner
        values = {}
        for name, field in self._card_value_fields().items():
            for card in merged:
                value = card[name]
                if not value:
                    continue
                if field.type == "many2one":
                    value = value.id
                current = values.get(name, kept[name].id if field.type == "many2one" else kept[name])
                if not current:
                    values[name] = value
                elif field.type == "text" and value not in current:
                    values[name] = f"{current}\n\n{card.partner_id.display_name}: {value}"
        for token, index in self._encrypted_field_columns():
            source = merged.filtered(token)[:1]
            if source and not kept[token]:
                values.update({token: source[token], index: source[index]})
        kept.with_context(tracking_disable=False).write(values)
        self.env["mail.message"].sudo().search(  # sudo: the history moves with the card
            [("model", "=", self._name), ("res_id", "in", merged.ids)]
        ).write({"res_id": kept.id})
        token = _MERGING_CARDS.set(True)
        try:
            merged.unlink()
        finally:
            _MERGING_CARDS.reset(token)
        return kept

    @api.model
    def _card_value_fields(self):
        """The stored fields a user fills in on the card (the encrypted ones apart)."""
        skip = {"partner_id", "salesperson_id", "company_id"}
        encrypted = {column for pair in self._encrypted_field_columns() for column in pair}
        return {
            name: field
            for name, field in self._fields.items()
            if field.store
            and not field.automatic
            and not field.related
            and name not in skip | encrypted
            and field.model_name == self._name
            and field.type not in ("one2many", "many2many")
        }

    # ------------------------------------------------------------------ upgrade from 18.0.1.2.0
    @api.model
    def _migrate_partner_columns(self):
        """Upgrade to 18.0.1.3.0: the card was a set of ``res_partner`` columns. Create one card
        per commercial partner that has any card value (its own values first, then those of its
        contacts for what it lacks; differing notes of contacts appended), copy the encrypted
        numbers as stored (token and blind index, never decrypted), move the card fields' change
        history from the partner to the card, and drop the old columns. Returns the number of
        cards created or completed."""
        cr = self.env.cr
        field_types = {name: field.type for name, field in self._card_value_fields().items()}
        encrypted = [column for pair in self._encrypted_field_columns() for column in pair]
        columns = [name for name in [*field_types, *encrypted] if column_exists(cr, "res_partner", name)]
        if not columns:
            return 0
        conditions = [self._column_has_value(name, field_types.get(name, "char")) for name in columns]
        cr.execute(
            SQL(
                "SELECT id, commercial_partner_id, %s FROM res_partner WHERE %s"
                " ORDER BY commercial_partner_id, id != commercial_partner_id, id",
                SQL(", ").join(SQL.identifier(name) for name in columns),
                SQL(" OR ").join(conditions),
            )
        )
        rows = cr.dictfetchall()
        by_customer = {}
        dropped = 0
        for row in rows:
            customer_id = row["commercial_partner_id"] or row["id"]
            values = by_customer.setdefault(customer_id, {})
            for name in columns:
                value = row[name]
                if name.endswith("_index") or value in (None, "", 0, False):
                    continue
                if name.endswith("_token"):
                    if not values.get(name):
                        values[name] = value
                        index = name.removesuffix("_token") + "_index"
                        values[index] = row.get(index)
                    continue
                if not values.get(name):
                    values[name] = value
                elif field_types[name] == "text" and value not in values[name]:
                    contact = self.env["res.partner"].browse(row["id"]).sudo().name  # sudo: migration
                    values[name] = f"{values[name]}\n\n{contact}: {value}"
                elif values[name] != value:
                    dropped += 1
        if dropped:
            _logger.warning(
                "Archive cards: %s values of contacts differ from their company's: the company's kept",
                dropped,
            )
        Card = self.sudo()  # sudo: the upgrade creates every customer's card
        Card = Card.with_context(tracking_disable=True, mail_create_nolog=True, active_test=False)
        existing = Card.search([("partner_id", "in", list(by_customer))])
        for card in existing:
            card.write({k: v for k, v in by_customer.pop(card.partner_id.id).items() if not card[k]})
        cards = existing | Card.create(
            [{"partner_id": customer_id, **values} for customer_id, values in by_customer.items()]
        )
        self._move_partner_tracking(cards, columns)
        for name in columns:
            cr.execute(SQL("ALTER TABLE res_partner DROP COLUMN IF EXISTS %s", SQL.identifier(name)))
        self.env["res.partner"].invalidate_model()
        _logger.info("Archive cards: %s cards made from the customers' columns", len(cards))
        return len(cards)

    @api.model
    def _column_has_value(self, name, field_type):
        column = SQL.identifier(name)
        if field_type in ("integer", "float", "monetary"):
            return SQL("COALESCE(%s, 0) != 0", column)
        if field_type in ("date", "datetime", "boolean", "many2one"):
            return SQL("%s IS NOT NULL", column)
        return SQL("COALESCE(%s, '') != ''", column)

    @api.model
    def _move_partner_tracking(self, cards, columns):
        """The change history of the card fields moves from the customers' chatter to their cards,
        where the card's record rules guard it: tracking values of a contact or company go to the
        card of its company; a message with other changes too keeps those, and its card changes
        move to a copy of it on the card."""
        cr = self.env.cr
        tracked = [name for name in columns if getattr(self._fields[name], "tracking", None)]
        if not tracked or not cards:
            return
        card_fields = (
            self.env["ir.model.fields"]
            .sudo()  # sudo: the migration reads the tracked fields' ids
            .search([("model", "=", self._name), ("name", "in", tracked)])
        )
        card_field_ids = {field.name: field.id for field in card_fields}
        cr.execute(
            SQL(
                """SELECT v.id, f.name, m.id, p.commercial_partner_id,
                          (SELECT COUNT(*) FROM mail_tracking_value o
                            WHERE o.mail_message_id = m.id AND o.field_id != f.id
                              AND o.field_id NOT IN (SELECT id FROM ir_model_fields
                                WHERE model = 'res.partner' AND name IN %s))
                     FROM mail_tracking_value v
                     JOIN ir_model_fields f ON f.id = v.field_id
                     JOIN mail_message m ON m.id = v.mail_message_id
                     JOIN res_partner p ON p.id = m.res_id
                    WHERE f.model = 'res.partner' AND f.name IN %s AND m.model = 'res.partner'""",
                tuple(tracked),
                tuple(tracked),
            )
        )
        card_by_partner = {card.partner_id.id: card for card in cards}
        Message = self.env["mail.message"].sudo()  # sudo: migration
        copies = {}
        for value_id, field_name, message_id, partner_id, others in cr.fetchall():
            card = card_by_partner.get(partner_id)
            if not card:
                continue
            if not others:
                target = message_id
                cr.execute(
                    SQL(
                        "UPDATE mail_message SET model = %s, res_id = %s WHERE id = %s",
                        self._name,
                        card.id,
                        message_id,
                    )
                )
            else:
                if message_id not in copies:
                    message = Message.browse(message_id)
                    copies[message_id] = Message.create(
                        {
                            "model": self._name,
                            "res_id": card.id,
                            "author_id": message.author_id.id,
                            "date": message.date,
                            "message_type": message.message_type,
                            "subtype_id": message.subtype_id.id,
                        }
                    ).id
                target = copies[message_id]
            cr.execute(
                SQL(
                    "UPDATE mail_tracking_value SET mail_message_id = %s, field_id = %s WHERE id = %s",
                    target,
                    card_field_ids[field_name],
                    value_id,
                )
            )
        self.env.invalidate_all()
