from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

CREDIT_MANAGER = "customer_credit.group_credit_manager"


class CustomerCreditCollection(models.Model):
    """Where a customer stands in credit control in one company: the collection level (催收) the
    daily monitoring last reached in the current overdue episode, a credit manager's pause, and
    the thread of what the credit department tells about the customer (utilisation warnings, holds,
    reviews, collection tasks, reminder letters). One record per customer and company, written
    only by the monitoring and the pause action.

    Those activities and letters are here, not on the customer: every salesperson reads every
    customer, and Odoo lets whoever reads a record read, search and group its activities and
    messages. This record is read only by those who see the customer's credit (its salesperson,
    the credit department, the general management), as ``res.partner._credit_visible_partners``."""

    _name = "customer.credit.collection"
    _description = "Customer Credit Status"
    _inherit = ["customer.archive.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    # Those who read the status may log a note on it and mark its activities done (the message
    # Odoo posts then); the status's own fields stay the workflow's.
    _mail_post_access = "read"
    _rec_name = "partner_id"
    _check_company_auto = True
    _workflow_fields = frozenset(
        {"partner_id", "company_id", "level_id", "level_date", "paused", "pause_reason"}
    )

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    level_id = fields.Many2one(
        "customer.credit.collection.level",
        string="Collection Level",
        help="Highest level reached in the current overdue episode; empty once nothing is overdue.",
    )
    level_date = fields.Date(string="Level Reached On")
    paused = fields.Boolean(string="Collection Paused")
    pause_reason = fields.Text()

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer has one collection status per company.",
        ),
    ]

    def write(self, vals):
        self._check_workflow_fields(vals)
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_workflow_fields(vals)
        return super().create(vals_list)

    def _status_of(self, partners, company):
        """{partner id: status} of ``partners`` in ``company``, the missing ones created (one query
        to read, one create)."""
        # Thousands at once, announced to nobody: no "created" note, no follower.
        Status = self.sudo().with_context(  # sudo: the status is kept by credit control, whoever triggers it
            mail_create_nolog=True, mail_create_nosubscribe=True
        )
        found = {
            s.partner_id.id: s
            for s in Status.search([("partner_id", "in", partners.ids), ("company_id", "=", company.id)])
        }
        missing = [pid for pid in partners.ids if pid not in found]
        if missing:
            for status in Status._workflow_create(
                [{"partner_id": pid, "company_id": company.id} for pid in missing]
            ):
                found[status.partner_id.id] = status
        return found

    def _set_pause(self, partners, paused, reason):
        """Pause (``paused`` True) or resume the collection of ``partners`` in the current company,
        recorded in their collection log with ``reason``: the credit managers' decision (C9).

        Returns the statuses changed. Raises AccessError for anyone but a credit manager, UserError
        without a reason or when no customer changes."""
        if not self.env.user.has_group(CREDIT_MANAGER):
            raise AccessError(
                self.env._("Only a credit manager pauses or resumes the collection of a customer.")
            )
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for pausing or resuming the collection."))
        company = self.env.company
        partners = partners.commercial_partner_id
        statuses = self._status_of(partners, company)
        changed = self.browse(
            [s.id for s in statuses.values() if s.paused != paused]
        ).sudo()  # sudo: see _status_of
        if not changed:
            raise UserError(
                self.env._("The collection of these customers is paused already.")
                if paused
                else self.env._("The collection of these customers is not paused.")
            )
        changed._workflow_write({"paused": paused, "pause_reason": reason if paused else False})
        self.env["customer.credit.collection.log"]._create_system_log(
            [
                {
                    "partner_id": status.partner_id.id,
                    "company_id": company.id,
                    "kind": "pause" if paused else "resume",
                    "note": reason,
                }
                for status in changed
            ]
        )
        return changed
