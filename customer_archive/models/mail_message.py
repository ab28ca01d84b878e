from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .customer_archive_access_logged_mixin import ARCHIVE, access_log_kind


def record_readable_domain(records, model_field, id_field):
    """Domain on ``records``' model (a message, an activity, a follower: a record named by the
    fields ``model_field`` and ``id_field``) of those whose record the user may read, or that are
    not on a record of the archive addons (``mail.message._record_scoped_models``): a subquery
    per model, built by the model's own search under the user's record rules. For global record
    rules: they are evaluated as superuser, but decide for the user."""
    env = records.env
    scoped = env["mail.message"]._record_scoped_models()
    whole = []  # models the user reads every record of: no subquery
    readable = []
    for model in scoped:
        Model = env(su=False)[model].with_context(active_test=False)
        if Model.has_access("read"):
            query = Model._search([])
            if not query.where_clause:
                whole.append(model)
                continue
            ids = query.subselect()
            # mail.message's and mail.activity's _search run their query themselves, without
            # flushing what subqueries read (the salesperson of an archive just changed).
            env.flush_query(ids)
            readable.append([(model_field, "=", model), (id_field, "in", ids)])
    unscoped = [name for name in scoped if name not in whole]
    return expression.OR([[(model_field, "not in", unscoped)], *readable])


def record_readable_by_user(env, model, res_id):
    """Whether the user of ``env`` may read the record ``res_id`` of ``model`` (False for an
    unknown model); as the user, even in a superuser environment."""
    if model not in env or not res_id:
        return False
    record = env(su=False)[model].browse(res_id)
    return bool(record.exists()) and record.has_access("read")


def compute_record_readable(records):
    """Set ``record_readable`` of ``records`` (activities or followers: ``res_model``, ``res_id``)
    with one search of ``record_readable_domain``."""
    domain = [("id", "in", records.ids), *record_readable_domain(records, "res_model", "res_id")]
    readable = records.sudo().search(domain)  # sudo: the condition is the user's, rules aside
    for record in records:
        record.record_readable = record in readable


def search_record_readable(records, operator, value):
    """Domain of the activities or followers whose record the user may read (or not on archive
    data), as one SQL condition (``record_readable_domain``). Raises UserError for other
    operators than ``=`` and ``!=`` with a boolean."""
    if operator not in ("=", "!=") or not isinstance(value, bool):
        raise UserError(records.env._("Unsupported search on whether a record is readable."))
    readable = record_readable_domain(records, "res_model", "res_id")
    if (operator == "=") == value:
        return readable
    return ["!", *expression.normalize_domain(readable)]


class MailMessage(models.Model):
    """Messages of archive data are read only by those who may read the record (密级, 权限设置).

    Odoo lets a message be read by its author, its recipients and whoever was notified of it, even
    when they cannot read the record it is about (a level raised above their clearance, a customer
    passed to another salesperson). For the records of the archive addons, a global record rule
    (``customer_archive.mail_message_rule_record_readable``) adds "and may read the record" to every
    way a message is read: search, read, search_read, the chatter (message_fetch, /mail/thread/
    messages), the inbox, the starred box. It is a record rule rather than an override of
    mail.message's access methods because Odoo applies record rules on top of mail.message's own
    conditions in both its ``_search`` and its ``_check_access``, so no mail code is copied.
    Attachments and tracking values are reached through the message or the record, so they follow.
    """

    _inherit = "mail.message"

    record_readable = fields.Boolean(
        compute="_compute_record_readable",
        search="_search_record_readable",
        help="Whether you may read the record of the message; messages of archive data are read "
        "only with their record.",
    )

    @api.model
    def _record_scoped_modules(self):
        """The addons whose records' messages are read only with the record (extended by other
        archive addons)."""
        return {"customer_archive"}

    @api.model
    def _record_scoped_models(self):
        """Names of the models with a chatter that the archive addons define: their messages are
        read only by those who may read the record."""
        modules = self._record_scoped_modules()
        return sorted(
            name
            for name, Model in self.env.registry.items()
            if not Model._abstract
            and not Model._transient
            and Model._original_module in modules
            and "message_ids" in Model._fields
        )

    def _user_env(self):
        # Record rules are evaluated as superuser (ir.rule filters and joins with sudo), but they
        # decide for the user: the record is read as the user, never as superuser.
        return self.env(su=False)

    @api.depends_context("uid")
    @api.depends("model", "res_id")
    def _compute_record_readable(self):
        scoped = set(self._record_scoped_models())
        targets = defaultdict(set)
        for message in self:
            if message.model in scoped:
                targets[message.model].add(message.res_id)
        readable = {}
        for model, res_ids in targets.items():
            Model = self._user_env()[model].with_context(active_test=False)
            allowed = Model.search([("id", "in", list(res_ids))]).ids if Model.has_access("read") else []
            readable[model] = set(allowed)
        for message in self:
            message.record_readable = message.model not in scoped or message.res_id in readable[message.model]

    def _search_record_readable(self, operator, value):
        """Messages whose record the user may read, as one SQL condition: a subquery per model,
        built by the model's own search under the user's record rules. A message of no record
        (an e-mail sent to people, such as the scheduled actions' digests) is read by its author,
        creator, recipients and those notified of it, as Odoo's own check says; in SQL, so that
        a search with a limit does not tell what it left out (Odoo's mail.message search filters
        them after the limit)."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on whether a record is readable."))
        partner = self.env.user.partner_id.id
        of_nothing = [
            ("model", "=", False),
            "|",
            "|",
            "|",
            ("author_id", "=", partner),
            ("create_uid", "=", self.env.uid),
            ("partner_ids", "in", [partner]),
            ("notification_ids.res_partner_id", "=", partner),
        ]
        readable = expression.OR([[("model", "!=", False)], of_nothing])
        readable = expression.AND([readable, record_readable_domain(self, "model", "res_id")])
        if (operator == "=") == value:
            return readable
        return ["!", *expression.normalize_domain(readable)]

    # ------------------------------------------------------------------ the access log (报警机制)
    # A message of an archive is archive data (its notes, its tracked changes): reading it is
    # reading the archive, logged as such (above 'ordinary'), whichever way it is read: read()
    # (web_read, web_search_read), search_read, and the chatter, the inbox and the starred box,
    # which all fetch through _message_fetch (mail.message's own method).
    def _log_archive_reads(self):
        if self.env.su or not self:
            return
        targets = defaultdict(set)
        for message in self.sudo():  # sudo: which record each message is about
            if message.res_id and access_log_kind(self.env.get(message.model or "")) == ARCHIVE:
                targets[message.model].add(message.res_id)
        for model, res_ids in targets.items():
            self.env[model].browse(res_ids)._log_reads()

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields, load)
        self._log_archive_reads()
        return result

    @api.model
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs):
        result = super().search_read(domain, fields, offset, limit, order, **read_kwargs)
        self.browse([row["id"] for row in result])._log_archive_reads()
        return result

    @api.model
    def _message_fetch(self, domain, search_term=None, before=None, after=None, around=None, limit=30):
        result = super()._message_fetch(
            domain, search_term=search_term, before=before, after=after, around=around, limit=limit
        )
        result["messages"]._log_archive_reads()
        return result
