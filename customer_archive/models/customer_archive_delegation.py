from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime

# Groups whose decisions can be delegated, highest first, with the group a deputy needs to see
# what they decide on (other addons add theirs through _approver_groups).
APPROVER_GROUPS = {
    "customer_archive.group_archive_executive": "customer_archive.group_archive_officer",
    "customer_archive.group_archive_manager": "customer_archive.group_archive_officer",
}


class CustomerArchiveDelegation(models.Model):
    """A written delegation (委托书): an approver lets a deputy decide in their place for a period."""

    _name = "customer.archive.delegation"
    _description = "Approval Delegation"
    _inherit = ["mail.thread", "customer.archive.workflow.mixin"]
    _order = "date_from desc, id desc"
    _workflow_fields = frozenset({"state", "revoked_by_id", "date_revoked"})
    # The signed letter is the delegation: its file is not replaced once given.
    _held_file_fields = frozenset({"letter_ids"})
    _held_attached_files = True

    delegator_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, tracking=True, readonly=True
    )
    delegate_id = fields.Many2one("res.users", string="Deputy", required=True, tracking=True)
    delegated_group_id = fields.Many2one(
        "res.groups",
        string="Decisions Delegated",
        required=True,
        default=lambda self: self._default_delegated_group(),
        domain=lambda self: [("id", "in", self._approver_group_ids())],
        tracking=True,
        help="The approver's role whose decisions the deputy takes.",
    )
    request_type_ids = fields.Many2many(
        "customer.archive.request.type",
        string="Request Types",
        help="The kinds of request the deputy decides (e.g. lending only); empty: every request the "
        "approver decides, and their decisions on customers' credit.",
    )
    date_from = fields.Datetime(string="From", required=True, default=fields.Datetime.now, tracking=True)
    date_to = fields.Datetime(string="To", required=True, tracking=True)
    reason = fields.Text(tracking=True, help="Why the approver is away, as written in the delegation letter.")
    letter_ids = fields.Many2many("ir.attachment", string="Delegation Letter")
    state = fields.Selection(
        [("active", "Active"), ("revoked", "Revoked")],
        required=True,
        default="active",
        readonly=True,
        tracking=True,
    )
    revoked_by_id = fields.Many2one("res.users", readonly=True)
    date_revoked = fields.Datetime(readonly=True)
    is_current = fields.Boolean(compute="_compute_is_current", string="In Force")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    @api.model
    def _approver_groups(self):
        """{approver group xmlid: group a deputy needs}; addons add their approvers here."""
        return dict(APPROVER_GROUPS)

    @api.model
    def _approver_group_ids(self):
        return [
            group.id
            for xmlid in self._approver_groups()
            if (group := self.env.ref(xmlid, raise_if_not_found=False))
        ]

    @api.model
    def _default_delegated_group(self):
        return next(
            (self.env.ref(xmlid) for xmlid in self._approver_groups() if self.env.user.has_group(xmlid)),
            self.env["res.groups"],
        )

    @api.depends("state", "date_from", "date_to")
    def _compute_is_current(self):
        now = fields.Datetime.now()
        for delegation in self:
            delegation.is_current = bool(
                delegation.state == "active"
                and delegation.date_from
                and delegation.date_to
                and delegation.date_from <= now <= delegation.date_to
            )

    @api.depends("delegator_id", "delegate_id", "date_to")
    def _compute_display_name(self):
        for delegation in self:
            delegation.display_name = self.env._(
                "%(delegator)s → %(delegate)s until %(date)s",
                delegator=delegation.delegator_id.name or "",
                delegate=delegation.delegate_id.name or "",
                date=format_datetime(self.env, delegation.date_to) if delegation.date_to else "",
            )

    @api.constrains(
        "delegator_id", "delegate_id", "date_from", "date_to", "reason", "letter_ids", "delegated_group_id"
    )
    def _check_delegation(self):
        for delegation in self:
            if delegation.date_to <= delegation.date_from:
                raise ValidationError(self.env._("A delegation must end after it starts."))
            if delegation.delegator_id == delegation.delegate_id:
                raise ValidationError(self.env._("Nobody can delegate to themselves."))
            if not (delegation.reason or "").strip() and not delegation.letter_ids:
                raise ValidationError(
                    self.env._("A delegation needs its written reason or the signed letter.")
                )
            approver_groups = self._approver_groups()
            xmlid = delegation.delegated_group_id.get_external_id().get(delegation.delegated_group_id.id)
            if xmlid not in approver_groups or not delegation.delegator_id.has_group(xmlid):
                raise ValidationError(
                    self.env._("Only an approver can delegate approvals, and only their own.")
                )
            if not delegation.delegate_id.has_group(approver_groups[xmlid]):
                raise ValidationError(self.env._("The deputy must be able to see what they decide on."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            delegator = vals.get("delegator_id", self.env.user.id)
            if delegator != self.env.user.id and not self.env.su:
                raise AccessError(self.env._("A delegation is given by the approver themselves."))
            self._check_workflow_fields(vals)
        delegations = super().create(vals_list)
        delegations._own_held_files()
        return delegations

    def write(self, vals):
        self._check_workflow_fields(vals)
        frozen = {
            "delegator_id",
            "delegate_id",
            "date_from",
            "date_to",
            "delegated_group_id",
            "request_type_ids",
            "reason",
            "letter_ids",
        }.intersection(vals)
        if frozen and not self.env.su:
            self._refuse_change()
        return super().write(vals)

    def _refuse_change(self):
        raise UserError(self.env._("A delegation cannot be changed; revoke it and give a new one."))

    def _check_held_files_change(self, field_name):
        """The letter's file is changed or deleted by the system only (a signed letter)."""
        result = super()._check_held_files_change(field_name)
        if self and not self.env.su:
            self._refuse_change()
        return result

    def unlink(self):
        if self:
            raise UserError(
                self.env._("Delegations are kept as evidence; revoke one instead of deleting it.")
            )
        return super().unlink()

    def _copy_refusal(self):
        return self.env._("A delegation is a signed letter: give a new one instead of duplicating it.")

    def action_revoke(self):
        if not self.env.user.has_group("customer_archive.group_archive_executive") and any(
            delegation.delegator_id != self.env.user for delegation in self
        ):
            raise AccessError(
                self.env._("Only the approver who gave a delegation, or an executive, revokes it.")
            )
        self._check_state("active")
        self._workflow_write(
            {"state": "revoked", "revoked_by_id": self.env.user.id, "date_revoked": fields.Datetime.now()}
        )
        return True

    @api.model
    def _delegations_in_force(self, group_xmlid, model_name=None, exclude_delegators=None, delegate=None):
        """The delegations in force now that let their deputy decide in the name of a member of
        ``group_xmlid`` on requests of ``model_name`` (the one definition of a delegation in force).

        A delegation covers the group when its delegated group is, or implies, that group and its
        delegator still holds it; it covers the model when it names no request type or names that
        model's (``model_name`` None: only delegations naming none, e.g. decisions on a customer's
        credit). Delegations given by ``exclude_delegators`` (the requester...) never count;
        ``delegate`` keeps those given to that user. Returns the delegations, newest first (as the
        system: the caller only learns who may decide)."""
        now = fields.Datetime.now()
        domain = [
            ("state", "=", "active"),
            ("date_from", "<=", now),
            ("date_to", ">=", now),
            ("delegator_id", "not in", (exclude_delegators or self.env["res.users"]).ids),
        ]
        if delegate is not None:
            domain.append(("delegate_id", "=", delegate.id))
        # sudo: the check reads delegations of other approvers; it only tells who may decide
        candidates = self.sudo().search(domain, order="date_from desc")  # sudo: as above
        target = self.env.ref(group_xmlid)

        def covers(delegation):
            group = delegation.delegated_group_id
            types = delegation.request_type_ids
            return (
                (group == target or target in group.trans_implied_ids)
                and delegation.delegator_id.has_group(group_xmlid)
                and (not types or model_name in types.mapped("model"))
            )

        return candidates.filtered(covers)

    @api.model
    def _active_delegation_for(self, user, group_xmlid, exclude_delegators=None, model_name=None):
        """The delegation in force that lets ``user`` decide in the name of a member of the group on
        requests of ``model_name`` (see ``_delegations_in_force``); empty if none."""
        return self._delegations_in_force(
            group_xmlid, model_name, exclude_delegators=exclude_delegators, delegate=user
        )[:1].with_env(self.env)
