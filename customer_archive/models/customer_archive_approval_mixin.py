from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from .customer_archive_confidentiality_mixin import CONFIDENTIALITY_RANK

# Fields the mixin writes when a decision is taken: part of every using model's _workflow_fields.
APPROVAL_FIELDS = frozenset(
    {
        "state",
        "approver_id",
        "approved_on_behalf_of_id",
        "approval_delegation_id",
        "approval_date",
        "rejection_reason",
    }
)


# The activity asking for a decision: created and closed by its own type, so that the users' own
# to-dos on the same record are never touched.
APPROVAL_ACTIVITY = "customer_archive.mail_activity_type_approval"
MANAGER = "customer_archive.group_archive_manager"
EXECUTIVE = "customer_archive.group_archive_executive"
# 密级借阅规定, 共享审批制度, 销毁审批: from secret up, an executive decides.
EXECUTIVE_FROM_RANK = CONFIDENTIALITY_RANK["secret"]


class CustomerArchiveApprovalMixin(models.AbstractModel):
    """The one approval engine of every request that needs a decision: submit → (review) → decide.

    A model says only what is its own: who decides (``_approval_group_xmlid``, which may depend on
    the record's level or state), in which states someone must act (``_approval_waiting_states``)
    and what a decision does. The engine then

    - asks whoever must act next (``_approval_ask``): one activity of the dedicated approval type
      per approver of the record's group in its company and cleared for its level, or, for an
      approver away under a delegation in force (委托书) that covers this kind of request, their
      deputy instead; never the requester;
    - at each step (``_approval_advance``) closes only those activities and asks the next people;
    - checks the right to decide (the group, or a delegation from one of its members; nobody on
      their own request) and records who decided, on whose behalf and when (``_approval_decide``);
    - tells the requester of each decision, in the requester's language (``_approval_announce``).

    Models using it also use ``customer.archive.workflow.mixin`` (its guards and workflow writes).
    """

    _name = "customer.archive.approval.mixin"
    _description = "Customer Archive Approval Mixin"
    # The states in which a record waits for someone of its approval group.
    _approval_waiting_states = ("submitted",)
    # The public step that refuses a record with a reason (called by the refusal window).
    _approval_refusal_method = "action_reject"
    # The public step that approves a record, for decisions on several at once (bulk decision
    # window); None when each needs input of its own (a credit application's amounts).
    _approval_bulk_approval_method = "action_approve"
    # The options of the bulk decision window that step takes (keyword arguments).
    _approval_bulk_options = ()

    # A copy is asked for by whoever copies it.
    requester_id = fields.Many2one(
        "res.users",
        string="Requested By",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        copy=False,
    )
    approver_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False, tracking=True)
    approved_on_behalf_of_id = fields.Many2one(
        "res.users", string="On Behalf Of", readonly=True, copy=False, tracking=True
    )
    approval_delegation_id = fields.Many2one(
        "customer.archive.delegation", string="Delegation Used", readonly=True, copy=False
    )
    approval_date = fields.Datetime(readonly=True, copy=False)
    rejection_reason = fields.Text(readonly=True, copy=False, tracking=True)
    # Those waiting for the current user: where the engine asked them (their approval activity).
    approval_waiting_for_me = fields.Boolean(
        string="Waiting for My Decision",
        compute="_compute_approval_waiting_for_me",
        search="_search_approval_waiting_for_me",
    )

    def _compute_approval_waiting_for_me(self):
        saved = self.filtered("id")  # new records wait for nobody
        waiting = saved and saved.search([("id", "in", saved.ids), ("approval_waiting_for_me", "=", True)])
        for record in self:
            record.approval_waiting_for_me = record in waiting

    def _search_approval_waiting_for_me(self, operator, value):
        """The records the engine asked the current user to act on (one SQL condition on their
        approval activities). Takes ``=`` or ``!=`` and a boolean; raises UserError otherwise."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the requests waiting for you."))
        asked = [
            (
                "activity_ids",
                "any",
                [
                    ("activity_type_id", "=", self.env.ref(APPROVAL_ACTIVITY).id),
                    ("user_id", "=", self.env.uid),
                ],
            )
        ]
        return asked if (operator == "=") == value else ["!", *asked]

    def write(self, vals):
        """Who asked is a recorded fact: set when a request is made (by the requester, or by the
        archive office on a borrower's behalf), then changed only by the workflow (a handover).
        Refuses (UserError) any other write of another requester, whoever writes."""
        if "requester_id" in vals and not self._in_workflow():
            if any(record.requester_id.id != vals["requester_id"] for record in self):
                raise UserError(self.env._("Who asked for a request is not changed once it is made."))
        return super().write(vals)

    # ------------------------------------------------------------------ who acts
    def _approval_group_xmlid(self):
        """The group whose members (or their deputies) act on this record in its current state."""
        raise NotImplementedError

    def _approval_group_by_level(self):
        """Who decides a request by the level of what it opens (``confidentiality_rank``, from
        ``level_opened``): secret and above an executive (总经理), below an archive office manager.
        The one definition of 密级借阅规定, 共享审批制度 and 销毁审批, for lending, photocopies, shares
        and destruction lists alike. Returns the group's xml id."""
        self.ensure_one()
        return EXECUTIVE if self.confidentiality_rank >= EXECUTIVE_FROM_RANK else MANAGER

    def _approval_excluded_users(self):
        """Who never acts on this record: its requester and whoever made it (segregation of
        duties); a model adds others (the reviewer of an application)."""
        self.ensure_one()
        return self.requester_id | self.create_uid

    def _approval_members(self, group_xmlid):
        """The members of ``group_xmlid`` to ask for this record: active internal users working in
        its company (the administrator only when nobody else is there)."""
        self.ensure_one()
        return self.env["res.users"]._archive_addressees(group_xmlid, self.company_id)

    def _approval_next_approvers(self):
        """Who must act next on this record: the members of its approval group, where each member
        away under a delegation in force covering this kind of request is replaced by the deputy
        (the delegator is not asked: the delegation says they are away, though they may still
        decide); none of them excluded (the requester...), all working in the record's company and
        cleared for its level. Empty when the record waits for nobody. Returns users."""
        self.ensure_one()
        Users = self.env["res.users"]
        if self.state not in self._approval_waiting_states:
            return Users
        group_xmlid = self._approval_group_xmlid()
        excluded = self._approval_excluded_users()
        delegations = self.env["customer.archive.delegation"]._delegations_in_force(
            group_xmlid, self._name, exclude_delegators=excluded
        )
        members = self._approval_members(group_xmlid)
        approvers = (members - delegations.delegator_id) | delegations.delegate_id.with_env(self.env)
        rank = self.confidentiality_rank if "confidentiality_rank" in self._fields else 0

        def able(users):
            return (users - excluded).filtered(
                lambda user: user.active
                and not user.share
                and (not self.company_id or self.company_id in user.company_ids)
                and user.archive_clearance_rank >= rank
            )

        # Nobody left once the requester and the reviewer are out (a small department): the
        # group's other members (the higher roles it includes), the administrator last, rather
        # than nobody.
        return (
            able(approvers)
            or able(
                Users._archive_addressees(
                    group_xmlid, self.company_id if "company_id" in self._fields else None
                )
            )
            or able(Users._archive_group_members(group_xmlid))
        )

    def _approval_summary(self):
        """The summary of the activity asking for this record's next step (in the env's language)."""
        return self.env._("Decide on %(record)s", record=self.display_name)

    def _approval_note(self):
        """The note of that activity (in the env's language): nothing by default."""
        return False

    # ------------------------------------------------------------------ steps
    def _approval_ask(self):
        """Ask whoever must act next on each record: one approval activity (the dedicated type) per
        person, with the summary and note in that person's language, created in one call.
        Returns the activities."""
        activity_type = self.env.ref(APPROVAL_ACTIVITY)
        vals_list = []
        for record in self:
            model_id = self.env["ir.model"]._get_id(record._name)
            for user in record._approval_next_approvers():
                company = record.company_id if "company_id" in record._fields else self.env.company
                local = (company or self.env.company)._archive_for_reader(record, user)
                vals_list.append(
                    {
                        "activity_type_id": activity_type.id,
                        "res_model_id": model_id,
                        "res_id": record.id,
                        "user_id": user.id,
                        "summary": local._approval_summary(),
                        "note": local._approval_note(),
                        "automated": True,
                    }
                )
        Activity = self.env["mail.activity"].sudo()  # sudo: whoever takes a step asks the next people
        return Activity.create(vals_list).with_env(self.env)

    def _approval_close(self):
        """Close the approval activities of these records (users' own to-dos on them stay)."""
        activities = (
            self.env["mail.activity"]
            .sudo()  # sudo: whoever takes the step closes every approver's activity
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", self.env.ref(APPROVAL_ACTIVITY).id),
                ]
            )
        )
        activities.unlink()

    def _approval_ask_missing(self, old_types=()):
        """Bring waiting records into the engine (a migration): the open activities of the
        activity types ``old_types`` (xml ids) on this model become approval activities (the old
        types are archived), and the records waiting for someone with no approval activity get
        them. Returns the records asked."""
        approval = self.env.ref(APPROVAL_ACTIVITY)
        Activity = self.env["mail.activity"].sudo()  # sudo: every user's activities move
        for xmlid in old_types:
            old = self.env.ref(xmlid, raise_if_not_found=False)
            if old:
                Activity.search([("res_model", "=", self._name), ("activity_type_id", "=", old.id)]).write(
                    {"activity_type_id": approval.id}
                )
                old.active = False  # nothing asks with it any more
        waiting = self.search([("state", "in", self._approval_waiting_states)])
        asked = Activity.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", waiting.ids),
                ("activity_type_id", "=", approval.id),
            ]
        )
        missing = waiting.filtered(lambda record: record.id not in asked.mapped("res_id"))
        # Quietly: the activities are listed to their users, without an e-mail per old request.
        missing.with_context(mail_activity_quick_update=True)._approval_ask()
        return missing

    def _approval_advance(self, values):
        """Take a step of the flow (submit, review, cancel...): write ``values`` as the workflow,
        close the records' approval activities and ask whoever must act next (nobody once the
        records wait for nobody). The caller has checked the user's role and the records' state.
        Returns True."""
        self._workflow_write(values)
        self._approval_close()
        self._approval_ask()
        return True

    # ------------------------------------------------------------------ decisions
    def _approval_authority(self):
        """Return ``(on_behalf_of, delegation)`` for the current user, or raise AccessError.

        ``on_behalf_of`` and ``delegation`` are empty when the user decides in their own right;
        a deputy decides under a delegation in force from a member of the group that covers this
        kind of request. Nobody decides on a request they made (or reviewed)."""
        self.ensure_one()
        user = self.env.user
        excluded = self._approval_excluded_users()
        if user in excluded:
            raise AccessError(self.env._("Nobody decides on a request they made or reviewed."))
        group_xmlid = self._approval_group_xmlid()
        if user.has_group(group_xmlid):
            return user.browse(), self.env["customer.archive.delegation"]
        delegation = self.env["customer.archive.delegation"]._active_delegation_for(
            user, group_xmlid, exclude_delegators=excluded, model_name=self._name
        )
        if not delegation:
            group = self.env.ref(group_xmlid)
            raise AccessError(
                self.env._(
                    "Deciding on %(record)s needs the group %(group)s "
                    "or a delegation from one of its members.",
                    record=self.display_name,
                    group=group.full_name,
                )
            )
        return delegation.delegator_id, delegation

    def _approval_decide(self, decision, from_states, to_state, values=None, reason=None):
        """Decide on these records as the current user: the one path of every approval, rejection,
        release and refusal.

        Takes the decision's key (see ``_approval_decision_labels``), the states it is taken from,
        the state it leads to, the model's own ``values`` (a dict, or a callable(record) -> dict
        called once the right to decide is checked: the model's checks go there) and the
        ``reason`` (required when given, for refusals). Raises UserError for a record in another
        state or an empty reason, AccessError for a user who may not decide (see
        ``_approval_authority``), before anything is written. Writes the decision (who, on whose
        behalf, under which delegation, when), closes the approval activities, asks whoever acts
        next and tells the requester. Returns True."""
        self._check_state(*from_states)
        authorities = {record.id: record._approval_authority() for record in self}
        if reason is not None and not reason.strip():
            raise UserError(self.env._("Say why it is refused."))
        own = {record.id: dict(values(record) if callable(values) else values or {}) for record in self}
        now = fields.Datetime.now()
        for record in self:
            on_behalf_of, delegation = authorities[record.id]
            decided = {
                "state": to_state,
                "approver_id": self.env.uid,
                "approved_on_behalf_of_id": on_behalf_of.id,
                "approval_delegation_id": delegation.id,
                "approval_date": now,
            }
            if reason is not None:
                decided["rejection_reason"] = reason.strip()
            record._workflow_write(dict(decided, **own[record.id]))
        self._approval_close()
        self._approval_ask()
        self._approval_announce(decision, authorities, reason=reason)
        return True

    def _approval_reject(self, reason, from_states=("submitted",), to_state="rejected", decision="reject"):
        """Refuse these records with the reason: the same for every request (see
        ``_approval_decide``). Returns True."""
        return self._approval_decide(decision, from_states, to_state, reason=reason or "")

    def action_open_refusal(self):
        """The engine's refusal window for this record: it asks the reason, then calls the
        record's refusal step (``_approval_refusal_method``), whose guards apply."""
        action = self._action_open_wizard(
            "customer.archive.approval.refuse.wizard", self.env._("Refuse"), "res_id"
        )
        action["context"]["default_res_model"] = self._name
        return action

    def _approval_decision_labels(self):
        """{decision key: label in the env's language}; a model adds its own decisions."""
        return {
            "approve": self.env._("Approved"),
            "reject": self.env._("Rejected"),
            "release": self.env._("Released"),
            "refuse": self.env._("Refused"),
        }

    def _approval_announce(self, decision, authorities, reason=None):
        """Record the current user's ``decision`` on each record in its chatter and tell its
        requester: one note, written in the requester's language and addressed to them (an
        archived requester is not addressed). ``authorities`` is {record id: (on_behalf_of,
        delegation)} as ``_approval_authority`` returned them."""
        for record in self:
            requester = record.requester_id
            company = record.company_id if "company_id" in record._fields else self.env.company
            local = (company or self.env.company)._archive_for_reader(record, requester)
            on_behalf_of, delegation = authorities[record.id]
            label = local._approval_decision_labels()[decision]
            if on_behalf_of:
                body = local.env._(
                    "%(decision)s by %(user)s on behalf of %(principal)s (delegation %(delegation)s).",
                    decision=label,
                    user=self.env.user.name,
                    principal=on_behalf_of.name,
                    delegation=delegation.with_env(local.env).display_name,
                )
            else:
                body = local.env._("%(decision)s by %(user)s.", decision=label, user=self.env.user.name)
            if reason:
                body = local.env._("%(decision)s Reason: %(reason)s", decision=body, reason=reason.strip())
            told = requester.partner_id.ids if requester.active else []
            record.message_post(body=body, subtype_xmlid="mail.mt_note", partner_ids=told)
