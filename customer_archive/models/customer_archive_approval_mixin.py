from odoo import fields, models
from odoo.exceptions import AccessError, UserError

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


class CustomerArchiveApprovalMixin(models.AbstractModel):
    """The one approval mechanism of every request that needs a decision.

    A model states who may approve a record through ``_approval_group_xmlid``; the mixin checks
    the group or an active delegation (委托书) of someone holding it, refuses self-approval, and
    records who decided, on whose behalf and when, in fields and in the chatter.
    """

    _name = "customer.archive.approval.mixin"
    _description = "Customer Archive Approval Mixin"

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

    def _approval_group_xmlid(self):
        """The group whose members (or their delegates) may decide on this record."""
        raise NotImplementedError

    def _approval_authority(self):
        """Return ``(on_behalf_of, delegation)`` for the current user, or raise.

        ``on_behalf_of`` and ``delegation`` are empty when the user decides in their own right.
        """
        self.ensure_one()
        user = self.env.user
        if user in (self.requester_id | self.create_uid):
            raise UserError(self.env._("Nobody can decide on their own request."))
        group_xmlid = self._approval_group_xmlid()
        if user.has_group(group_xmlid):
            return user.browse(), self.env["customer.archive.delegation"]
        delegation = self.env["customer.archive.delegation"]._active_delegation_for(
            user, group_xmlid, exclude_delegators=self.requester_id | self.create_uid
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

    def _approval_values(self):
        """Check the right to decide and return the values recording the decision."""
        on_behalf_of, delegation = self._approval_authority()
        return {
            "approver_id": self.env.user.id,
            "approved_on_behalf_of_id": on_behalf_of.id,
            "approval_delegation_id": delegation.id,
            "approval_date": fields.Datetime.now(),
        }

    def _approval_ask(self, users, summary):
        """Ask ``users`` to act on each record: one approval activity each (the dedicated type),
        never for the requester, with ``summary(record)`` rendered in each user's language.
        Takes the users and a callable; returns the activities, created in one call."""
        model_id = self.env["ir.model"]._get_id(self._name)
        activity_type = self.env.ref(APPROVAL_ACTIVITY)
        vals_list = []
        for record in self:
            for user in (users - record.requester_id).filtered("active"):
                vals_list.append(
                    {
                        "activity_type_id": activity_type.id,
                        "res_model_id": model_id,
                        "res_id": record.id,
                        "user_id": user.id,
                        "summary": summary(record.with_context(lang=user.lang or "en_US")),
                        "automated": True,
                    }
                )
        # sudo: whoever submits asks the approvers, whatever their own rights on activities
        return self.env["mail.activity"].sudo().create(vals_list).with_env(self.env)

    def _approval_close(self):
        """Close the approval activities of these records once a step is taken (users' own to-dos
        on them stay)."""
        self.sudo().activity_unlink([APPROVAL_ACTIVITY])  # sudo: every approver's activity goes

    def _approval_notify_requester(self, decision):
        """Tell each record's requester of the decision, in their language."""
        for record in self:
            requester = record.requester_id
            if requester == self.env.user or not requester.active:
                continue
            body = record.with_context(lang=requester.lang or "en_US").env._(
                "%(record)s: %(decision)s", record=record.display_name, decision=decision
            )
            record.message_post(body=body, subtype_xmlid="mail.mt_note", partner_ids=requester.partner_id.ids)

    def _post_decision(self, decision):
        for record in self:
            if record.approved_on_behalf_of_id:
                body = self.env._(
                    "%(decision)s by %(user)s on behalf of %(principal)s (delegation %(delegation)s).",
                    decision=decision,
                    user=record.approver_id.name,
                    principal=record.approved_on_behalf_of_id.name,
                    delegation=record.approval_delegation_id.display_name,
                )
            else:
                body = self.env._(
                    "%(decision)s by %(user)s.", decision=decision, user=record.approver_id.name
                )
            record.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _decide_rejection(self, reason, from_state="submitted", to_state="rejected"):
        """Refuse records waiting in ``from_state``, with the reason: the same for every request."""
        if not (reason or "").strip():
            raise UserError(self.env._("Say why it is refused."))
        if any(record.state != from_state for record in self):
            raise UserError(self.env._("This decision is not possible in the record's current state."))
        for record in self:
            values = record._approval_values()
            record._workflow_write(dict(values, state=to_state, rejection_reason=reason.strip()))
            record._post_decision(self.env._("Rejected"))
        return True
