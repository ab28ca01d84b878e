import logging
import re
from contextvars import ContextVar
from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.models import regex_field_agg
from odoo.modules.registry import Registry
from odoo.tools import SQL, format_datetime

from .customer_archive_access_logged_mixin import is_logged
from .customer_archive_confidentiality_mixin import CONFIDENTIALITY_LEVELS, CONFIDENTIALITY_RANK

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
# The caller's address during a /jsonrpc or /xmlrpc call, which runs with the request hidden
# (set by customer_archive/controllers/rpc.py).
RPC_CLIENT_ADDRESS = ContextVar("customer_archive_rpc_client_address", default=False)
# What an entry says of the record read: hidden from a reader not cleared for the entry's level.
NAMING_FIELDS = (
    "archive_id",
    "document_id",
    "res_id",
    "details",
    "listed_archive_ids",
    "listed_document_ids",
)
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
    _inherit = ["customer.archive.evidence.mixin"]
    _evidence_superuser_creates = True
    _order = "logged_at desc, id desc"
    _rec_name = "action"
    # The log names archives but is not logged itself: only the archive office managers read it.
    _archive_access_log = False

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
    # A list page is one entry naming what it listed (above 'ordinary'): who saw which archives in
    # a list stays on record, at one entry per page instead of one per row.
    listed_archive_ids = fields.Many2many(
        "customer.archive",
        "customer_archive_access_log_listed_archive_rel",
        "log_id",
        "archive_id",
        string="Archives Listed",
        readonly=True,
    )
    listed_document_ids = fields.Many2many(
        "customer.archive.document",
        "customer_archive_access_log_listed_document_rel",
        "log_id",
        "document_id",
        string="Documents Listed",
        readonly=True,
    )
    listed_count = fields.Integer(string="Records Listed", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    above_clearance = fields.Boolean(
        compute="_compute_above_clearance",
        string="Above Your Clearance",
        help="The entry is about a record above your clearance: what it names is hidden from you.",
    )

    @api.depends("action", "logged_at")
    @api.depends_context("lang", "tz")
    def _compute_display_name(self):
        # What was done and when (打印 · 2026年11月30日 09:12:00), not the action's code ("print").
        actions = dict(self._fields["action"]._description_selection(self.env))
        for entry in self:
            parts = [
                actions.get(entry.action),
                entry.logged_at and format_datetime(self.env, entry.logged_at, tz=self.env.context.get("tz")),
            ]
            entry.display_name = " · ".join(part for part in parts if part)

    def init(self):
        # The alarm counts one user's entries in a recent window on every logged access.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS customer_archive_access_log_user_time_idx"
                " ON customer_archive_access_log (user_id, logged_at)"
            )
        )

    # ------------------------------------------------------------------ clearance of the reader
    # A manager reads every entry, but what an entry names (archive, document, record, details) only
    # up to their own clearance. Every way out of the ORM is covered: read() (web_read and lists
    # too), search_read, export_data, read_group; a domain or a group on what is hidden finds only
    # the entries the reader may see it of, so that no search guesses a hidden name.
    @api.depends_context("uid")
    def _compute_above_clearance(self):
        restricted = self._restricted_ids()
        for entry in self:
            entry.above_clearance = entry.id in restricted

    def _restricted_ids(self):
        """Ids of the entries of ``self`` above the current user's clearance."""
        if self.env.su:
            return set()
        rank = self.env.user.archive_clearance_rank
        return {
            entry.id
            for entry in self.sudo()  # sudo: the level decides; managers read it anyway
            if CONFIDENTIALITY_RANK.get(entry.confidentiality, 0) > rank
        }

    def _cleared_levels_domain(self):
        rank = self.env.user.archive_clearance_rank
        levels = [key for key, level_rank in CONFIDENTIALITY_RANK.items() if level_rank <= rank]
        return ["|", ("confidentiality", "=", False), ("confidentiality", "in", levels)]

    @api.model
    def _names_hidden_fields(self, names):
        return any(re.split(r"[/.:]", name)[0] in NAMING_FIELDS for name in names if name)

    @api.model
    def _within_clearance(self, domain):
        """``domain``, limited to the entries within the reader's clearance when it looks into what
        entries name (an archive's name, the details)."""
        domain = list(domain or [])
        if self.env.su:
            return domain
        leaves = [leaf[0] for leaf in domain if isinstance(leaf, list | tuple) and isinstance(leaf[0], str)]
        if not self._names_hidden_fields(leaves):
            return domain
        return ["&", *self._cleared_levels_domain(), *(domain or [("id", "!=", False)])]

    def _hide_above_clearance(self, rows):
        """Blank in ``rows`` (dicts with an 'id') what the entries above the reader's clearance name."""
        restricted = self.browse([row["id"] for row in rows])._restricted_ids()
        if restricted:
            hidden = self.env._("Above your clearance")
            blanks = {"details": hidden, "listed_archive_ids": [], "listed_document_ids": []}
            for row in rows:
                if row["id"] in restricted:
                    for name in NAMING_FIELDS:
                        if name in row:
                            row[name] = blanks.get(name, False)
        return rows

    def read(self, fields=None, load="_classic_read"):
        return self._hide_above_clearance(super().read(fields, load))

    @api.model
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs):
        result = super().search_read(domain, fields, offset, limit, order, **read_kwargs)
        return self._hide_above_clearance(result)

    @api.model
    def search_fetch(self, domain, field_names, offset=0, limit=None, order=None):
        return super().search_fetch(self._within_clearance(domain), field_names, offset, limit, order)

    @api.model
    def search_count(self, domain, limit=None):
        return super().search_count(self._within_clearance(domain), limit=limit)

    def export_data(self, fields_to_export):
        restricted = self._restricted_ids()
        if not restricted or not self._names_hidden_fields(fields_to_export):
            return super().export_data(fields_to_export)
        hidden_columns = [
            index for index, path in enumerate(fields_to_export) if self._names_hidden_fields([path])
        ]
        hidden = self.env._("Above your clearance")
        rows = []
        # Consecutive entries alike are exported together: the order and the lines stay Odoo's.
        start = 0
        for index in range(1, len(self) + 1):
            if index < len(self) and (self[index].id in restricted) == (self[start].id in restricted):
                continue
            chunk = self[start:index]
            if chunk[0].id not in restricted:
                chunk_rows = super(CustomerArchiveAccessLog, chunk).export_data(fields_to_export)["datas"]
            else:
                # What is hidden is not even read: a placeholder column is exported, then blanked.
                paths = ["action" if i in hidden_columns else path for i, path in enumerate(fields_to_export)]
                chunk_rows = super(CustomerArchiveAccessLog, chunk).export_data(paths)["datas"]
                for row in chunk_rows:
                    for column in hidden_columns:
                        row[column] = hidden
            rows += chunk_rows
            start = index
        return {"datas": rows}

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        if self.env.su:
            return super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        for spec in fields or []:
            match = regex_field_agg.match(spec) if spec != "__count" else None
            if match:
                name, func, fname = match.groups()
                figure = (func or "").lower() in ("count", "count_distinct")
                if (fname or name) in NAMING_FIELDS and not figure:
                    raise AccessError(self.env._("What the access log entries name is not aggregated."))
        domain = self._within_clearance(domain)
        result = super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        keys = [spec.split(":")[0] for spec in ([groupby] if isinstance(groupby, str) else groupby or [])]
        hidden_keys = [key for key in keys if key in NAMING_FIELDS]
        if hidden_keys:
            hidden = self.env._("Above your clearance")
            for group in result:
                # A group whose entries are all above the reader's clearance shows no name.
                if group.get("__domain") is not None and not self.search_count(
                    ["&", *self._cleared_levels_domain(), *group["__domain"]], limit=1
                ):
                    for key in hidden_keys:
                        value = group.get(key)
                        if isinstance(value, tuple | list) and value:
                            group[key] = (value[0], hidden)
                        elif value:
                            group[key] = hidden if key == "details" else False
        return result

    # ------------------------------------------------------------------ recording
    @api.model
    def _client_address(self):
        """The caller's address. Every call from outside comes through an HTTP request, RPC ones
        included: /web/dataset/call_kw runs with its request current (odoo.http.request); /jsonrpc
        and /xmlrpc hide theirs while the call runs (odoo.http.dispatch_rpc), so their controller
        hands the address over (RPC_CLIENT_ADDRESS). Only code run by the server itself (a
        scheduled action, a shell) has none."""
        return request.httprequest.remote_addr if request else RPC_CLIENT_ADDRESS.get()

    @api.model
    def _entry_values(self, action, records=None, details=None):
        """One entry per archive (and document) behind ``records``, for the current user.

        ``records`` is a recordset or a list of them. A record of a model that takes part in the
        log (``_archive_access_log``) names its archive and document; any other record (the
        customer whose card was printed) is named by its model and id only."""
        now = fields.Datetime.now()
        base = {
            "logged_at": now,
            "user_id": self.env.uid,
            "action": action,
            "ip_address": self._client_address(),
            "details": details,
        }
        groups = records if isinstance(records, list | tuple) else [records]
        if not any(group for group in groups if group is not None):
            return [dict(base, company_id=self.env.company.id)]
        values = []
        # sudo: names the archive behind each record read, printed or refused
        for record in (record for group in groups if group for record in group.sudo()):
            # sudo: names the archive behind a record refused or read
            if is_logged(record):
                archive, document = record._access_log_targets()
            else:
                archive, document = self.env["customer.archive"], self.env["customer.archive.document"]
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
    def _list_entry_values(self, records):
        """The one entry of a list page that showed ``records`` (archives or documents): the
        archives and documents it named, how many, at the level of the most secret one; its
        archive (and document) when it named only one."""
        # sudo: names the archives behind the records listed
        targets = [record._access_log_targets() for record in records.sudo()]  # sudo: log targets only
        archives = self.env["customer.archive"].sudo().union(*(a for a, _d in targets))  # sudo: ids to log
        documents = self.env["customer.archive.document"].sudo().union(*(d for _a, d in targets))  # sudo: ids
        level = max(
            records.sudo().mapped("confidentiality"),  # sudo: the level only
            key=lambda level: CONFIDENTIALITY_RANK.get(level, 0),
        )
        companies = archives.company_id
        return {
            "logged_at": fields.Datetime.now(),
            "user_id": self.env.uid,
            "action": "list",
            "ip_address": self._client_address(),
            "res_model": records._name,
            "archive_id": archives.id if len(archives) == 1 else False,
            "document_id": documents.id if len(documents) == 1 else False,
            "listed_archive_ids": [Command.set(archives.ids)],
            "listed_document_ids": [Command.set(documents.ids)],
            "listed_count": len(records),
            "confidentiality": level,
            "company_id": companies.id if len(companies) == 1 else False,
        }

    @api.model
    def _record_list(self, records):
        """Log a list page of archive data by the current user as one entry (``_list_entry_values``),
        whatever its number of rows. A list does not count towards the alarms: browsing a list of
        numbers is not reading the archives. Written as ``_record`` writes (after a read-only
        request, in a transaction of its own). Returns the entry written, or none yet."""
        if not records:
            return self.browse()
        return self._write_entries("list", [self._list_entry_values(records)])

    @api.model
    def _record(self, action, records=None, details=None):
        """Log an access by the current user and raise the alarms it triggers.

        Takes the action (ACCESS_ACTIONS), the records accessed (see ``_entry_values``) and a note.
        Returns the entries written, or none yet when they wait for the transaction's end.

        A read-only transaction (Odoo runs reads, downloads and the like on one, on a read replica
        when there is one) writes nothing: its entries wait for it to end well and are written
        then, in a short transaction of their own on the primary, with the alarms they raise. The
        request is not retried on the primary, and a retried request logs its reads once, from the
        attempt that handed the data back. Any other transaction writes them itself: they stand or
        fall with it.
        """
        return self._write_entries(action, self._entry_values(action, records, details))

    @api.model
    def _write_entries(self, action, values):
        """Write the entries ``values`` of ``action`` now, or after a read-only request (see
        ``_record``), with the alarms they raise."""
        if self.env.cr.readonly:
            self._write_after(self.env.cr.postcommit, "customer_archive.access", values)
            return self.browse()
        entries = self.sudo().create(values)  # sudo: the system writes the log; users may not
        Alarm = self.env["customer.archive.access.alarm"].sudo()  # sudo: the system raises alarms
        Alarm._raise_alarm_if_over_threshold(self.env.user, action)
        return entries

    @api.model
    def _record_denied(self, records=None, details=None):
        """Log a refusal that reaches the caller.

        A refusal that reaches the caller rolls the request's transaction back: the entry is
        written then, in a transaction of its own. Refusals that Odoo asks for and handles itself
        (may this user write? — to show or hide a button) end in a commit and are not attempts:
        they are dropped with the transaction's pending entries.
        """
        self._write_after(
            self.env.cr.postrollback,
            "customer_archive.denied",
            self._entry_values("denied", records, details),
        )

    @api.model
    def _write_after(self, callbacks, key, values):
        """Keep entries (``values``) for when the transaction ends as ``callbacks`` (the cursor's
        post-commit or post-rollback hooks) say, then write them in a transaction of their own.
        Ending the other way drops them (Odoo clears those hooks)."""
        pending = callbacks.data.setdefault(key, [])
        if not pending:
            dbname = self.env.cr.dbname
            callbacks.add(lambda: self._write_in_new_cursor(dbname, list(pending)))
        pending.extend(values)

    @api.model
    def _write_in_new_cursor(self, dbname, values):
        """Write entries in a short transaction of their own on the primary, and raise the alarms
        they trigger. Never raises: the request it follows has ended already."""
        try:
            # In tests, the registry hands out a cursor inside the test's transaction: nothing leaks.
            with Registry(dbname).cursor(readonly=False) as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})  # the system writes the log and alarms
                env["customer.archive.access.log"].create(values)
                Alarm = env["customer.archive.access.alarm"]
                for user_id, action in dict.fromkeys((row["user_id"], row["action"]) for row in values):
                    Alarm._raise_alarm_if_over_threshold(env["res.users"].browse(user_id), action)
        except Exception:  # the request's answer stands; a lost entry is an error to look into
            _logger.exception("Could not write %s archive access log entries", len(values))

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
        """Remove the entries older than the retention period, oldest first, one bounded batch per
        call (the cron runner commits it and calls again while some remain). Each batch and the
        count of what remains read the index on ``logged_at``, never the whole log. Returns the
        number of entries removed."""
        limit = fields.Datetime.now() - timedelta(days=self._setting(PARAM_RETENTION_DAYS))
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "DELETE FROM customer_archive_access_log WHERE id IN ("
                " SELECT id FROM customer_archive_access_log WHERE logged_at < %s"
                " ORDER BY logged_at LIMIT %s)",
                limit,
                batch_size,
            )
        )
        done = self.env.cr.rowcount
        self.invalidate_model()
        remaining = 0
        if done == batch_size:
            # Counted up to ten batches ahead: the runner needs to know that some remain, not how many.
            self.env.cr.execute(
                SQL(
                    "SELECT count(*) FROM (SELECT 1 FROM customer_archive_access_log WHERE logged_at < %s"
                    " LIMIT %s) expired",
                    limit,
                    10 * batch_size,
                )
            )
            remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._archive_progress(done, remaining)
        return done
