from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .customer_archive_access_log import (
    PARAM_ALARM_ARCHIVES,
    PARAM_ALARM_DENIED,
    PARAM_ALARM_WINDOW,
    VOLUME_ACTIONS,
)

ALARM_KINDS = [
    ("volume", "Many Archives in a Short Time"),
    ("denied", "Repeated Refused Accesses"),
]
ALARM_STATES = [("new", "New"), ("checked", "Checked")]
MANAGER = "customer_archive.group_archive_manager"


class CustomerArchiveAccessAlarm(models.Model):
    """An unusual access pattern, raised to the archive managers (activity and e-mail)."""

    _name = "customer.archive.access.alarm"
    _description = "Archive Access Alarm"
    _inherit = ["mail.thread", "mail.activity.mixin", "customer.archive.workflow.mixin"]
    _order = "raised_at desc, id desc"
    # Everything of an alarm is the system's: nobody edits one, managers only mark it as checked.
    _workflow_fields = frozenset(
        {
            "user_id",
            "kind",
            "raised_at",
            "window_start",
            "count",
            "threshold",
            "state",
            "checked_by_id",
            "checked_at",
            "check_note",
        }
    )

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one("res.users", required=True, readonly=True, ondelete="restrict")
    kind = fields.Selection(ALARM_KINDS, required=True, readonly=True)
    raised_at = fields.Datetime(required=True, readonly=True, index=True)
    window_start = fields.Datetime(required=True, readonly=True)
    count = fields.Integer(string="Accesses Counted", readonly=True)
    threshold = fields.Integer(readonly=True)
    state = fields.Selection(ALARM_STATES, default="new", required=True, readonly=True, tracking=True)
    checked_by_id = fields.Many2one("res.users", readonly=True)
    checked_at = fields.Datetime(readonly=True)
    check_note = fields.Text(readonly=True, tracking=True)
    log_ids = fields.Many2many(
        "customer.archive.access.log", compute="_compute_log_ids", string="Accesses in the Window"
    )

    @api.depends("user_id", "kind")
    def _compute_name(self):
        # A stored title the system makes for the managers: in the company's language.
        for alarm in self:
            company = alarm.user_id.company_id or self.env.company
            alarm.name = alarm._title(alarm.with_context(lang=company._archive_lang()))

    @staticmethod
    def _title(alarm):
        """The alarm's title in ``alarm``'s language: who, and what was seen."""
        kinds = dict(alarm._fields["kind"]._description_selection(alarm.env))
        return f"{alarm.user_id.name or ''}: {kinds.get(alarm.kind, '')}"

    def _compute_log_ids(self):
        Log = self.env["customer.archive.access.log"]
        for alarm in self:
            actions = ["denied"] if alarm.kind == "denied" else list(VOLUME_ACTIONS)
            alarm.log_ids = Log.search(
                [
                    ("user_id", "=", alarm.user_id.id),
                    ("action", "in", actions),
                    ("logged_at", ">=", alarm.window_start),
                    ("logged_at", "<=", alarm.raised_at),
                ]
            )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        self.browse().check_access("create")
        if not self.env.su:
            raise UserError(self.env._("Alarms are raised by the system only."))
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        self._check_workflow_fields(vals)
        return super().write(vals)

    def unlink(self):
        if self:
            raise UserError(self.env._("Alarms are kept; mark them as checked instead."))
        return super().unlink()

    def _copy_refusal(self):
        return self.env._("Alarms are raised by the system only, never duplicated.")

    # ------------------------------------------------------------------ the rule
    @api.model
    def _raise_alarm_if_over_threshold(self, user, action):
        """Raise an alarm when ``user`` passed a threshold within the window, once per window, and
        tell the archive managers. Takes the user and the action just logged; returns the alarm
        raised (an empty recordset when none)."""
        Log = self.env["customer.archive.access.log"]
        kind = "denied" if action == "denied" else "volume" if action in VOLUME_ACTIONS else None
        if not kind:
            return self.browse()
        threshold = Log._setting(PARAM_ALARM_DENIED if kind == "denied" else PARAM_ALARM_ARCHIVES)
        now = fields.Datetime.now()
        window_start = now - timedelta(minutes=Log._setting(PARAM_ALARM_WINDOW))
        Log.flush_model()
        if kind == "denied":
            counted = SQL("COUNT(*)")
            actions = ("denied",)
        else:
            counted = SQL("COUNT(DISTINCT archive_id)")
            actions = VOLUME_ACTIONS
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM customer_archive_access_log"
                " WHERE user_id = %s AND action IN %s AND logged_at >= %s AND logged_at <= %s",
                counted,
                user.id,
                actions,
                window_start,
                now,
            )
        )
        count = self.env.cr.fetchone()[0]
        if count < threshold:
            return self.browse()
        if self.search_count(
            [("user_id", "=", user.id), ("kind", "=", kind), ("raised_at", ">=", window_start)], limit=1
        ):
            return self.browse()
        alarm = self.create(
            {
                "user_id": user.id,
                "kind": kind,
                "raised_at": now,
                "window_start": window_start,
                "count": count,
                "threshold": threshold,
            }
        )
        # create() caches x2many fields of new records as empty, computed ones included
        alarm.invalidate_recordset(["log_ids"])
        alarm._notify_managers()
        return alarm

    def _notify_managers(self):
        """An activity and an e-mail for each archive manager, in their language, times in the
        company's time zone."""
        activity_type = self.env.ref("customer_archive.mail_activity_type_access_alarm")
        template = self.env.ref("customer_archive.mail_template_access_alarm")
        managers = self.env["res.users"]._archive_group_members(MANAGER)
        for alarm in self:
            company = alarm.user_id.company_id or self.env.company
            for manager in managers:
                reader = company._archive_for_reader(alarm, manager)
                reader.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=self._title(reader),
                    user_id=manager.id,
                    date_deadline=fields.Date.context_today(reader),
                )
                template.with_context(lang=reader.env.lang).send_mail(
                    alarm.id,
                    email_values={"recipient_ids": [fields.Command.set(manager.partner_id.ids)]},
                )

    # ------------------------------------------------------------------ actions
    def action_mark_checked(self, note=None):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only the archive managers check alarms."))
        self.check_access("read")
        if any(alarm.state != "new" for alarm in self):
            raise UserError(self.env._("This alarm has already been checked."))
        if self.env.user in self.user_id:
            raise AccessError(self.env._("An alarm about yourself is checked by another manager."))
        alarms = self.sudo()  # sudo: managers may not write alarms; marking them checked is allowed
        alarms._workflow_write(
            {
                "state": "checked",
                "checked_by_id": self.env.uid,
                "checked_at": fields.Datetime.now(),
                "check_note": note,
            }
        )
        # The other managers' alarm activities are done too; users' own to-dos on it stay.
        alarm_type = self.env.ref("customer_archive.mail_activity_type_access_alarm")
        alarms.activity_ids.filtered(
            lambda activity: activity.activity_type_id == alarm_type
        ).action_feedback(feedback=note or self.env._("Checked"))
        return True
