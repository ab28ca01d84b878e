import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.modules.registry import Registry
from odoo.tools import SQL

from .customer_archive_confidentiality_mixin import CONFIDENTIALITY_LEVELS

_logger = logging.getLogger(__name__)

ACCESS_ACTIONS = [
    ("read", "Read"),
    ("list", "Listed"),
    ("download", "Download"),
    ("print", "Print"),
    ("export", "Export"),
    ("share", "Share"),
    ("denied", "Denied"),
]
# What counts towards the "too many archives in the window" alarm.
VOLUME_ACTIONS = ("read", "download", "print", "export")
# Settings (ir.config_parameter) and their defaults.
PARAM_ALARM_ARCHIVES = "customer_archive.access_alarm_archive_count"
PARAM_ALARM_DENIED = "customer_archive.access_alarm_denied_count"
PARAM_ALARM_WINDOW = "customer_archive.access_alarm_window_minutes"
PARAM_RETENTION_DAYS = "customer_archive.access_log_retention_days"
DEFAULTS = {
    PARAM_ALARM_ARCHIVES: 20,
    PARAM_ALARM_DENIED: 5,
    PARAM_ALARM_WINDOW: 60,
    PARAM_RETENTION_DAYS: 1095,
}


class CustomerArchiveAccessLog(models.Model):
    """Who read, downloaded, printed, exported or shared which archive, and who was refused (报警机制).

    Entries are written by the system only (as superuser, from the code paths that read archive
    data); nobody can change or delete them. The retention cron removes those older than the
    configured period, which is the one way an entry goes away.
    """

    _name = "customer.archive.access.log"
    _description = "Archive Access Log"
    _order = "logged_at desc, id desc"
    _rec_name = "action"

    logged_at = fields.Datetime(string="When", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", required=True, readonly=True, ondelete="restrict")
    action = fields.Selection(ACCESS_ACTIONS, required=True, readonly=True, index=True)
    archive_id = fields.Many2one("customer.archive", readonly=True, index=True, ondelete="restrict")
    document_id = fields.Many2one("customer.archive.document", readonly=True, ondelete="restrict")
    res_model = fields.Char(string="Model", readonly=True)
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model", readonly=True)
    confidentiality = fields.Selection(CONFIDENTIALITY_LEVELS, readonly=True)
    ip_address = fields.Char(string="Address", readonly=True)
    details = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def init(self):
        # The alarm counts one user's entries in a recent window on every logged access.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS customer_archive_access_log_user_time_idx"
                " ON customer_archive_access_log (user_id, logged_at)"
            )
        )

    # ------------------------------------------------------------------ read-only
    @api.model_create_multi
    def create(self, vals_list):
        self.browse().check_access("create")
        if not self.env.su:
            raise UserError(self.env._("The access log is written by the system only."))
        return super().create(vals_list)

    def write(self, vals):
        if self:
            self.check_access("write")
            raise UserError(self.env._("The access log cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if self:
            self.check_access("unlink")
            raise UserError(self.env._("The access log cannot be deleted; old entries expire by themselves."))
        return super().unlink()

    # ------------------------------------------------------------------ recording
    @api.model
    def _client_address(self):
        return request.httprequest.remote_addr if request else False

    @api.model
    def _entry_values(self, action, records=None, details=None):
        """One entry per archive (and document) behind ``records``, for the current user."""
        now = fields.Datetime.now()
        base = {
            "logged_at": now,
            "user_id": self.env.uid,
            "action": action,
            "ip_address": self._client_address(),
            "details": details,
        }
        if records is None or not records:
            return [dict(base, company_id=self.env.company.id)]
        values = []
        for record in records.sudo():  # sudo: names the archive behind a record refused or read
            archive, document = record._access_log_targets()
            values.append(
                dict(
                    base,
                    archive_id=archive.id,
                    document_id=document.id,
                    res_model=record._name,
                    res_id=record.id,
                    confidentiality=(document or archive).confidentiality,
                    company_id=(archive.company_id or self.env.company).id,
                )
            )
        return values

    @api.model
    def _record(self, action, records=None, details=None):
        """Log an access by the current user and raise the alarms it triggers."""
        values = self._entry_values(action, records, details)
        entries = self.sudo().create(values)  # sudo: the system writes the log; users may not
        Alarm = self.env["customer.archive.access.alarm"].sudo()  # sudo: the system raises alarms
        Alarm._check_user(self.env.user, action)
        return entries

    @api.model
    def _record_denied(self, records=None, details=None):
        """Log a refusal that reaches the caller.

        A refusal that reaches the caller rolls the request's transaction back: the entry is
        written then, in a transaction of its own. Refusals that Odoo asks for and handles itself
        (may this user write? — to show or hide a button) end in a commit and are not attempts:
        they are dropped with the transaction's pending entries.
        """
        pending = self.env.cr.postrollback.data.setdefault("customer_archive.denied", [])
        if not pending:
            dbname, uid = self.env.cr.dbname, self.env.uid
            self.env.cr.postrollback.add(lambda: self._write_in_new_cursor(dbname, uid, list(pending)))
        pending.extend(self._entry_values("denied", records, details))

    @api.model
    def _write_in_new_cursor(self, dbname, uid, values):
        """Write refused-access entries in their own transaction (the request's one was rolled back)."""
        try:
            with Registry(dbname).cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})  # the system writes the log and alarms
                env["customer.archive.access.log"].create(values)
                env["customer.archive.access.alarm"]._check_user(env["res.users"].browse(uid), "denied")
        except Exception:  # logging must never hide the refusal itself
            _logger.info("Could not record a refused archive access", exc_info=True)

    # ------------------------------------------------------------------ settings and retention
    @api.model
    def _setting(self, key):
        value = self.env["ir.config_parameter"].sudo().get_param(key)  # sudo: system settings
        try:
            value = int(value)
        except (TypeError, ValueError):
            return DEFAULTS[key]
        return value if value > 0 else DEFAULTS[key]

    @api.model
    def _cron_purge_expired(self, batch_size=10000):
        """Remove entries older than the retention period, in bounded batches."""
        limit = fields.Datetime.now() - timedelta(days=self._setting(PARAM_RETENTION_DAYS))
        self.env.cr.execute(
            SQL(
                "DELETE FROM customer_archive_access_log WHERE id IN ("
                " SELECT id FROM customer_archive_access_log WHERE logged_at < %s ORDER BY id LIMIT %s)",
                limit,
                batch_size,
            )
        )
        done = self.env.cr.rowcount
        remaining = 0
        if done == batch_size:
            remaining = self.search_count([("logged_at", "<", limit)])
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done
