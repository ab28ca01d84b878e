from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.sql import column_exists

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
# Financial data and identity numbers: only the archive office and above see them.
SENSITIVE = "customer_archive.group_archive_officer"
# The archive card is the company's own knowledge of a customer: never portal or public users'.
INTERNAL = "base.group_user"
ENCRYPTED_FIELDS = ("legal_representative_id_number", "identity_number", "archive_bank_account_number")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- A1: archive card (客户档案卡) -------------------------------------------------
    legal_representative = fields.Char(tracking=True, groups=INTERNAL)
    # Identity and bank numbers (敏感信息): encrypted at rest, shown masked outside the archive
    # office, found by exact value. Never tracked: the chatter would keep them in clear.
    legal_representative_id_number = fields.Char(
        string="Legal Representative ID Number",
        compute="_compute_encrypted_numbers",
        inverse="_inverse_legal_representative_id_number",
        search="_search_legal_representative_id_number",
        copy=False,
        groups=INTERNAL,
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
        groups=INTERNAL,
    )
    identity_number_token = fields.Char(groups="base.group_system", copy=False)
    identity_number_index = fields.Char(groups="base.group_system", copy=False, index=True)
    archive_bank_name = fields.Char(string="Account Bank", tracking=True, groups=INTERNAL)
    archive_bank_account_number = fields.Char(
        string="Bank Account Number",
        compute="_compute_encrypted_numbers",
        inverse="_inverse_archive_bank_account_number",
        search="_search_archive_bank_account_number",
        copy=False,
        groups=INTERNAL,
    )
    archive_bank_account_number_token = fields.Char(groups="base.group_system", copy=False)
    archive_bank_account_number_index = fields.Char(groups="base.group_system", copy=False, index=True)
    owner_name = fields.Char(string="Owner", tracking=True, groups=INTERNAL)
    owner_notes = fields.Text(string="Owner's Character and Preferences", tracking=True, groups=INTERNAL)
    manager_name = fields.Char(string="Manager", tracking=True, groups=INTERNAL)
    manager_notes = fields.Text(string="Manager's Character and Preferences", tracking=True, groups=INTERNAL)
    founding_date = fields.Date(tracking=True, groups=INTERNAL)
    first_trade_date = fields.Date(tracking=True, groups=INTERNAL)
    organisation_form = fields.Selection(ORGANISATION_FORMS, tracking=True, groups=INTERNAL)
    archive_currency_id = fields.Many2one("res.currency", compute="_compute_archive_currency_id")
    registered_capital = fields.Monetary(
        currency_field="archive_currency_id", groups=SENSITIVE, tracking=True, copy=False
    )
    staff_count = fields.Integer(string="Staff", tracking=True, groups=INTERNAL)
    annual_revenue = fields.Monetary(
        currency_field="archive_currency_id", groups=SENSITIVE, tracking=True, copy=False
    )
    total_assets = fields.Monetary(
        string="Assets", currency_field="archive_currency_id", groups=SENSITIVE, tracking=True, copy=False
    )
    service_area = fields.Char(tracking=True, groups=INTERNAL)
    sales_capability = fields.Text(tracking=True, groups=INTERNAL)
    business_potential = fields.Selection(RATINGS, string="Potential", tracking=True, groups=INTERNAL)
    cooperation_attitude = fields.Selection(
        [("active", "Cooperative"), ("normal", "Neutral"), ("passive", "Reluctant")],
        tracking=True,
        groups=INTERNAL,
    )
    competitor_relations = fields.Text(tracking=True, groups=INTERNAL)
    reputation = fields.Selection(
        [("good", "Well Reputed"), ("fair", "Average Reputation"), ("poor", "Poorly Reputed")],
        tracking=True,
        groups=INTERNAL,
    )
    trade_terms = fields.Text(tracking=True, groups=INTERNAL)
    credit_problems = fields.Text(string="Past Credit Problems", tracking=True, groups=INTERNAL)

    # --- A2: classification (客户分类) ---------------------------------------------------
    customer_nature = fields.Selection(
        [
            ("individual", "Individual"),
            ("enterprise", "Enterprise"),
            ("partner", "Partner"),
            ("government", "Government"),
            ("other", "Other"),
        ],
        tracking=True,
        groups=INTERNAL,
    )
    ownership_type = fields.Selection(
        [
            ("state", "State-owned"),
            ("collective", "Collective"),
            ("private", "Private"),
            ("foreign", "Foreign"),
            ("mixed", "Mixed"),
            ("other", "Other"),
        ],
        string="Ownership",
        tracking=True,
        groups=INTERNAL,
    )
    channel_type = fields.Selection(
        [
            ("wholesale", "Wholesale"),
            ("retail", "Retail"),
            ("agent", "Agent"),
            ("distributor", "Distributor"),
            ("end_user", "End User"),
            ("other", "Other"),
        ],
        tracking=True,
        groups=INTERNAL,
    )
    archive_region_id = fields.Many2one(
        "customer.archive.region", string="Region", tracking=True, groups=INTERNAL
    )
    archive_route_id = fields.Many2one(
        "customer.archive.route", string="Visiting Route", tracking=True, groups=INTERNAL
    )
    archive_route_sequence = fields.Integer(string="Route Sequence", tracking=True, groups=INTERNAL)
    customer_importance = fields.Selection(
        [("key", "Key Customer"), ("ordinary", "Ordinary Customer"), ("scattered", "Scattered Customer")],
        string="Importance",
        tracking=True,
        groups=INTERNAL,
    )
    customer_lifecycle = fields.Selection(
        [("potential", "Prospect"), ("active", "Current Customer"), ("former", "Former Customer")],
        string="Lifecycle Stage",
        tracking=True,
        groups=INTERNAL,
    )

    # --- archives of this partner --------------------------------------------------------
    customer_archive_ids = fields.One2many("customer.archive", "partner_id", string="Archives")
    customer_archive_count = fields.Integer(compute="_compute_customer_archive_count")

    # --- encrypted numbers ------------------------------------------------------------------
    @api.model
    def _encrypted_field_columns(self):
        return [(f"{name}_token", f"{name}_index") for name in ENCRYPTED_FIELDS]

    @api.depends(*(f"{name}_token" for name in ENCRYPTED_FIELDS))
    @api.depends_context("uid")
    def _compute_encrypted_numbers(self):
        crypto = self.env["customer.archive.encryption"]
        in_clear = self.env.su or self.env.user.has_group(SENSITIVE)
        unreadable = self.env._("(cannot be decrypted)")
        for partner in self:
            stored = partner.sudo()  # sudo: the tokens are readable by the system only
            for name in ENCRYPTED_FIELDS:
                token = stored[f"{name}_token"]
                try:
                    value = crypto._decrypt(token) if token else False
                except UserError:
                    # One damaged value must not make the customer unreadable.
                    partner[name] = unreadable
                    continue
                partner[name] = value if in_clear else crypto._mask(value)

    def _write_encrypted(self, name):
        if not (self.env.su or self.env.user.has_group(SENSITIVE)):
            raise AccessError(self.env._("Only the archive office enters identity and bank numbers."))
        crypto = self.env["customer.archive.encryption"]
        for partner in self:
            value = crypto._normalise(partner[name])
            partner.sudo().write(  # sudo: the encrypted value and its index are system fields
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
        if not (self.env.su or self.env.user.has_group(SENSITIVE)):
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

    @api.model
    def _encrypt_legacy_plaintext(self):
        """Upgrade from 18.0.1.0.0, which kept the legal representative's ID number in clear:
        encrypt it, drop the column and mask it in the chatter's tracking values."""
        cr = self.env.cr
        if not column_exists(cr, "res_partner", "legal_representative_id_number"):
            return 0
        crypto = self.env["customer.archive.encryption"]
        cr.execute(
            SQL(
                "SELECT id, legal_representative_id_number FROM res_partner"
                " WHERE COALESCE(legal_representative_id_number, '') != ''"
            )
        )
        rows = cr.fetchall()
        for partner_id, value in rows:
            value = crypto._normalise(value)
            cr.execute(
                SQL(
                    "UPDATE res_partner SET legal_representative_id_number_token = %s,"
                    " legal_representative_id_number_index = %s WHERE id = %s",
                    crypto._encrypt(value),
                    crypto._blind_index(value),
                    partner_id,
                )
            )
        cr.execute(
            SQL(
                "UPDATE mail_tracking_value SET old_value_char = '***', new_value_char = '***'"
                " WHERE field_id IN (SELECT id FROM ir_model_fields"
                " WHERE model = 'res.partner' AND name = 'legal_representative_id_number')"
            )
        )
        cr.execute(SQL("ALTER TABLE res_partner DROP COLUMN legal_representative_id_number"))
        self.invalidate_model()
        return len(rows)

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

    def write(self, vals):
        # The salesperson decides who sees a customer's archives: sales staff may not reassign it.
        if (
            "user_id" in vals
            and not self.env.su
            and not self.env.user.has_group("customer_archive.group_archive_officer")
        ):
            # sudo: only counts archives, whoever can see them
            if (
                self.env["customer.archive"]
                .sudo()  # sudo: counts archives only
                .search_count([("partner_id", "in", self.commercial_partner_id.ids)])
            ):
                raise AccessError(
                    self.env._(
                        "The salesperson of a customer with archives is changed by the archive office."
                    )
                )
        return super().write(vals)

    @api.depends_context("company")
    def _compute_archive_currency_id(self):
        for partner in self:
            partner.archive_currency_id = partner.company_id.currency_id or self.env.company.currency_id

    def _compute_customer_archive_count(self):
        # Counted with the user's rights: archives above clearance or out of scope are not shown.
        counts = dict(
            self.env["customer.archive"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.customer_archive_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_customer_archives(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_archive.customer_archive_action")
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action
