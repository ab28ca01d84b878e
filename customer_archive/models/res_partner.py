from odoo import api, fields, models
from odoo.exceptions import AccessError

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


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- A1: archive card (客户档案卡) -------------------------------------------------
    legal_representative = fields.Char(tracking=True)
    legal_representative_id_number = fields.Char(
        string="Legal Representative ID Number", groups=SENSITIVE, tracking=True, copy=False
    )
    owner_name = fields.Char(string="Owner", tracking=True)
    owner_notes = fields.Text(string="Owner's Character and Preferences")
    manager_name = fields.Char(string="Manager", tracking=True)
    manager_notes = fields.Text(string="Manager's Character and Preferences")
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
    sales_capability = fields.Text()
    business_potential = fields.Selection(RATINGS, string="Potential", tracking=True)
    cooperation_attitude = fields.Selection(
        [("active", "Cooperative"), ("normal", "Neutral"), ("passive", "Reluctant")], tracking=True
    )
    competitor_relations = fields.Text()
    reputation = fields.Selection(
        [("good", "Well Reputed"), ("fair", "Average Reputation"), ("poor", "Poorly Reputed")], tracking=True
    )
    trade_terms = fields.Text()
    credit_problems = fields.Text(string="Past Credit Problems", tracking=True)

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
    )
    archive_region_id = fields.Many2one("customer.archive.region", string="Region", tracking=True)
    archive_route_id = fields.Many2one("customer.archive.route", string="Visiting Route", tracking=True)
    archive_route_sequence = fields.Integer(string="Route Sequence", tracking=True)
    customer_importance = fields.Selection(
        [("key", "Key Customer"), ("ordinary", "Ordinary Customer"), ("scattered", "Scattered Customer")],
        string="Importance",
        tracking=True,
    )
    customer_lifecycle = fields.Selection(
        [("potential", "Prospect"), ("active", "Current Customer"), ("former", "Former Customer")],
        string="Lifecycle Stage",
        tracking=True,
    )

    # --- archives of this partner --------------------------------------------------------
    customer_archive_ids = fields.One2many("customer.archive", "partner_id", string="Archives")
    customer_archive_count = fields.Integer(compute="_compute_customer_archive_count")

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
