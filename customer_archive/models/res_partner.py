from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, Query
from odoo.tools.sql import column_exists, create_column

# The classification is the company's own knowledge of a customer: never portal or public users'.
INTERNAL = "base.group_user"


def ruled_one2many_search(comodel, inverse, operator, value):
    """The domain for a search on a one2many list of ``comodel`` records computed with the user's
    record rules: the records whose list has, or lacks, records the user may read.

    Odoo answers "is set", "in" and "any" searches on a plain one2many without the record rules of
    its model (and without its access rights), so anyone could learn which records hold records
    hidden from them. Takes the comodel (in the user's environment), its inverse many2one's name,
    and a one2many's operator and value: ``=``/``!=`` False (has none, has some), ``=``/``!=``/
    ``in``/``not in`` record ids, ``any``/``not any`` a domain on the comodel. Returns a domain on
    ids; raises AccessError where the user may not read the comodel, UserError for another search.
    """
    base = [(inverse, "!=", False)]
    if operator in ("any", "not any") and isinstance(value, list):
        domain, positive = base + value, operator == "any"
    elif operator in ("=", "!=") and (value is False or value is None):
        domain, positive = base, operator == "!="
    elif operator in ("in", "not in") and isinstance(value, Query):
        # Odoo turns "any" into "in" the comodel's own search (a query), made with the user's rules
        domain, positive = [*base, ("id", "in", value)], operator == "in"
    elif operator in ("=", "!=", "in", "not in"):
        ids = list(value) if isinstance(value, list | tuple) else [value]
        if not all(type(record_id) is int for record_id in ids):
            raise UserError(comodel.env._("Search this list by records (ids) or by a condition on them."))
        domain, positive = [*base, ("id", "in", ids)], operator in ("=", "in")
    else:
        raise UserError(comodel.env._("Search this list by records (ids) or by a condition on them."))
    return [("id", "in" if positive else "not in", comodel._search(domain).subselect(inverse))]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- A1: the archive card (客户档案卡) is a record of its own, with the archives' scope.
    # Read through the card model, so that its record rules apply (never related fields: they
    # are read as the system).
    # Read and searched with the cards' record rules too (``ruled_one2many_search``): every customer
    # with archives has a card, so a plain one2many would tell which customers have archives.
    archive_card_ids = fields.One2many(
        "customer.archive.card",
        compute="_compute_archive_card_ids",
        search="_search_archive_card_ids",
        groups="customer_archive.group_archive_user",
    )

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
    # Read and searched with the archives' record rules (``ruled_one2many_search``): a plain
    # one2many would tell sales staff which customers, theirs or not, have archives.
    customer_archive_ids = fields.One2many(
        "customer.archive",
        compute="_compute_customer_archive_ids",
        search="_search_customer_archive_ids",
        string="Archives",
    )
    customer_archive_count = fields.Integer(compute="_compute_customer_archive_count")

    @api.model
    def _encrypt_legacy_plaintext(self):
        """Upgrade from 18.0.1.0.0, which kept the legal representative's ID number in clear:
        encrypt it into the partner's token and index columns (which the upgrade to 18.0.1.3.0
        then moves to the archive card), drop the column and mask it in the chatter's tracking
        values. Returns the number of values encrypted."""
        cr = self.env.cr
        if not column_exists(cr, "res_partner", "legal_representative_id_number"):
            return 0
        for column in ("legal_representative_id_number_token", "legal_representative_id_number_index"):
            if not column_exists(cr, "res_partner", column):
                create_column(cr, "res_partner", column, "varchar")
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

    @api.model_create_multi
    def create(self, vals_list):
        self._archive_check_commercial_entity(
            {name for vals in vals_list for name in vals}
            | {key.removeprefix("default_") for key in self.env.context if key.startswith("default_")}
        )
        return super().create(vals_list)

    def write(self, vals):
        self._archive_check_commercial_entity(vals)
        self._archive_check_salesperson_change(vals)
        result = super().write(vals)
        if {"user_id", "parent_id", "is_company", "company_type"}.intersection(vals):
            # a customer given to another salesperson: who no longer sees its records follows
            # them no more
            self._archive_unfollow_unreadable()
        return result

    @api.model
    def _archive_salesperson_threads(self):
        """{model: its field naming the customer} of the records with a chatter that sales staff
        read for their own customers only (record rules on the customer's salesperson);
        customer_credit adds its own."""
        return {
            "customer.archive": "partner_id",
            "customer.archive.document": "partner_id",
            "customer.archive.card": "partner_id",
        }

    def _archive_unfollow_unreadable(self):
        """Unsubscribe from the records of the customers ``self`` (``_archive_salesperson_threads``)
        the users who may no longer read them: the former salesperson of a customer given to
        another. Odoo e-mails followers what is posted on a record, and lets them post on it: they
        would be told what is hidden from them now. One query per model and follower. Returns
        nothing."""
        for model, field in self._archive_salesperson_threads().items():
            Model = self.env[model].sudo().with_context(active_test=False)  # sudo: all, whoever moves them
            records = Model.search([(field, "in", self.ids)])
            if not records:
                continue
            Followers = self.env["mail.followers"].sudo()  # sudo: who follows them, to check each
            followed = defaultdict(list)
            for follower in Followers.search([("res_model", "=", model), ("res_id", "in", records.ids)]):
                followed[follower.partner_id].append(follower.res_id)
            for partner, record_ids in followed.items():
                targets = Model.browse(record_ids)
                for user in partner.user_ids:
                    unreadable = targets - targets.with_user(user)._filtered_access("read")
                    if unreadable:
                        unreadable.message_unsubscribe(partner_ids=partner.ids)

    def _archive_check_commercial_entity(self, names):
        """Refuse (AccessError) setting the commercial entity (``commercial_partner_id``) by hand.

        Odoo computes it from the company and parent: it is the customer whose archives, archive
        card, salesperson and credit (limit, hold, exposure, group credit) a contact shares. Set
        by hand, it would give a contact another customer's archives and credit, or take a customer
        out of its own credit control. Takes the field names (create) or the values of a write,
        where the value a partner already has is no change; only the system passes.
        """
        if self.env.su or "commercial_partner_id" not in names:
            return
        if isinstance(names, dict) and self:
            value = names["commercial_partner_id"]
            value = value.id if isinstance(value, models.BaseModel) else value
            current = self.sudo()  # sudo: compares with the computed value, whoever edits the partner
            if all(partner.commercial_partner_id.id == value for partner in current):
                return
        raise AccessError(
            self.env._(
                "The commercial entity of a contact follows its company: set the company (the "
                "parent) instead, and the customer's archives and credit follow."
            )
        )

    def _archive_check_salesperson_change(self, vals):
        """Refuse (AccessError) sales staff changing the salesperson of customers with archives or
        an archive card: the salesperson decides who sees them, so only the archive office (and
        the system) reassigns such a customer. Takes the values of a write (or of what a partner
        merge amounts to)."""
        # Sales staff would take another salesperson's customer, and its archives, to themselves.
        if (
            "user_id" in vals
            and self
            and not self.env.su
            and not self.env.user.has_group("customer_archive.group_archive_officer")
        ):
            customers = self.commercial_partner_id.ids
            Archive = self.env["customer.archive"].sudo()  # sudo: counts only, whoever can see them
            Card = self.env["customer.archive.card"].sudo()  # sudo: counts only, whoever can see them
            if Archive.search_count([("partner_id", "in", customers)]) or Card.search_count(
                [("partner_id", "in", customers)]
            ):
                raise AccessError(
                    self.env._(
                        "The salesperson of a customer with archives or an archive card is changed by "
                        "the archive office."
                    )
                )

    def _set_ruled_one2many(self, field_name, comodel_name, inverse="partner_id"):
        """Set ``field_name`` of each partner to the ``comodel_name`` records whose ``inverse`` is
        that partner and that the user may read (their record rules), in one search for all: the
        computation of the lists that ``ruled_one2many_search`` searches."""
        Comodel = self.env[comodel_name]
        ids = [partner_id for partner_id in self._origin.ids if isinstance(partner_id, int)]
        by_partner = (Comodel.search([(inverse, "in", ids)]) if ids else Comodel).grouped(inverse)
        for partner in self:
            partner[field_name] = by_partner.get(partner._origin, Comodel)

    @api.depends_context("uid", "company", "allowed_company_ids")
    def _compute_customer_archive_ids(self):
        # The archives of each partner (not of its contacts), as the user may read them.
        self._set_ruled_one2many("customer_archive_ids", "customer.archive")

    @api.depends_context("uid", "company", "allowed_company_ids")
    def _compute_archive_card_ids(self):
        self._set_ruled_one2many("archive_card_ids", "customer.archive.card")

    def _search_archive_card_ids(self, operator, value):
        return ruled_one2many_search(self.env["customer.archive.card"], "partner_id", operator, value)

    def _search_customer_archive_ids(self, operator, value):
        return ruled_one2many_search(self.env["customer.archive"], "partner_id", operator, value)

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

    def action_view_archive_card(self):
        """Open the archive card of the customer (the commercial partner), creating it when it has
        none. The card's record rules decide: the customer's salesperson and the archive office
        open and create it; anybody else gets an AccessError."""
        self.ensure_one()
        partner = self.commercial_partner_id
        Card = self.env["customer.archive.card"]
        card = Card.search([("partner_id", "=", partner.id)], limit=1)
        if not card:
            every_card = Card.sudo().with_context(active_test=False)  # sudo: only whether a card exists
            if every_card.search_count([("partner_id", "=", partner.id)]):
                raise AccessError(
                    self.env._(
                        "The archive card of %(customer)s is kept by its salesperson and the archive office.",
                        customer=partner.display_name,
                    )
                )
            card = Card.create({"partner_id": partner.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.archive.card",
            "res_id": card.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
