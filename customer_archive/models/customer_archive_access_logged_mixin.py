from contextvars import ContextVar

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.models import parse_read_group_spec, regex_field_agg

from .customer_archive_confidentiality_mixin import CONFIDENTIALITY_RANK

# What a model's records are to the access log, declared by each model that holds archive data in
# one class attribute, ``_archive_access_log`` (the mixin declares nothing, so that a model that
# forgets is caught by the tests):
# - ARCHIVE: the archive data itself (archives, documents): reads above 'ordinary', lists,
#   downloads of their files, prints and exports are logged;
# - REGISTER: records naming archives (requests, lists, reports, registers): prints, exports and
#   downloads of their files are logged, naming the archives they disclose; reads are not logged
#   one by one (the archive fields they show are);
# - False: holds a reference to archive data but discloses nothing (a wizard, the log itself).
# Models declaring ARCHIVE or REGISTER inherit this mixin.
ARCHIVE = "archive"
REGISTER = "register"
LOGGED_KINDS = (ARCHIVE, REGISTER)


def access_log_kind(records):
    """The declaration of the model of ``records`` (a recordset or None): ARCHIVE, REGISTER,
    False, or None when the model declares nothing (it is not logged)."""
    return getattr(records, "_archive_access_log", None) if records is not None else None


def is_logged(records):
    return access_log_kind(records) in LOGGED_KINDS


# Set while a list (or the lines of an opened record) is read: those reads are not logged one by
# one. A context variable, not an Odoo context key, so that no RPC caller can switch logging off.
_READS_NOT_LOGGED = ContextVar("customer_archive_reads_not_logged", default=False)
ORDINARY_RANK = CONFIDENTIALITY_RANK["ordinary"]
# Aggregates that hand back the rows' own values, not a figure about them.
_VALUE_AGGREGATES = {"array_agg", "recordset"}
_FIGURE_TYPES = {"integer", "float", "monetary", "date", "datetime", "boolean"}
# Group keys that would list the records' own words (a name, a number, a note) one group each.
_VALUE_KEY_TYPES = {"char", "text", "html", "binary"}


class CustomerArchiveAccessLoggedMixin(models.AbstractModel):
    """Archive data in the access log, as the model declares it (``_archive_access_log``): exports,
    prints and downloads always; reads above 'ordinary' where the model's records are the archive
    itself (ARCHIVE: archives, documents), not a register about it (REGISTER: requests, lists)."""

    _name = "customer.archive.access.logged.mixin"
    _description = "Customer Archive Access Logged Mixin"

    def _access_log_targets(self):
        """``(archive, document)`` a log entry about this record names; none by default (the
        entry then names the record itself by its model and id)."""
        return self.env["customer.archive"], self.env["customer.archive.document"]

    def _access_log_subjects(self):
        """The records a print, an export or a download of ``self`` discloses."""
        return self

    def _access_log_disclosed(self):
        """What a print, an export or a download of ``self`` names in the log: the records it
        discloses, or ``self`` when it discloses none (an empty list is still a print of it)."""
        # sudo: which archives a register names is a fact of the log, whoever prints it
        subjects = self.sudo()._access_log_subjects().with_env(self.env)
        return subjects or self

    def _log_reads(self, action="read"):
        if access_log_kind(self) != ARCHIVE or self.env.su or (action == "read" and _READS_NOT_LOGGED.get()):
            return
        # The level decides what is logged, whatever fields the caller asked for.
        confidential = self.sudo().filtered(  # sudo: reads the level only
            lambda rec: rec.confidentiality_rank > ORDINARY_RANK
        )
        if not confidential:
            return
        Log = self.env["customer.archive.access.log"]
        if action == "list":
            Log._record_list(confidential.with_env(self.env))
        else:
            Log._record(action, confidential.with_env(self.env))

    def _log_disclosure(self, action, details=None):
        if not self.env.su and self:
            self.env["customer.archive.access.log"]._record(action, self._access_log_disclosed(), details)

    # ------------------------------------------------------------------ read paths
    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields, load)
        self._log_reads()
        return result

    @api.model
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs):
        result = super().search_read(domain, fields, offset, limit, order, **read_kwargs)
        self.browse([row["id"] for row in result])._log_reads()
        return result

    def web_read(self, specification):
        if not access_log_kind(self) == ARCHIVE:
            # A register line logs nothing itself: the archive fields it shows are logged as reads.
            return super().web_read(specification)
        # Opening a record: one entry for it; the lines shown inside it are part of that read.
        token = _READS_NOT_LOGGED.set(True)
        try:
            result = super().web_read(specification)
        finally:
            _READS_NOT_LOGGED.reset(token)
        self._log_reads()
        return result

    @api.model
    def web_search_read(self, domain, specification, offset=0, limit=None, order=None, count_limit=None):
        # A list page is logged as such: one entry naming what it listed, which does not count
        # towards the alarm, since browsing a list of numbers is not reading the archives.
        token = _READS_NOT_LOGGED.set(True)
        try:
            result = super().web_search_read(domain, specification, offset, limit, order, count_limit)
        finally:
            _READS_NOT_LOGGED.reset(token)
        if access_log_kind(self) == ARCHIVE and not self.env.su:
            self.browse([row["id"] for row in result["records"]])._log_reads(action="list")
        return result

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        # Grouped views (web_read_group too) count and sum: the request is read as the ORM itself
        # reads it, and what would return archive values one by one is refused.
        if access_log_kind(self) == ARCHIVE and not self.env.su:
            self._check_grouped_read(fields, groupby, lazy)
        return super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)

    def _check_grouped_read(self, fields, groupby, lazy):
        """Refuse (AccessError) a grouped read that would hand back archive values one by one: group
        keys on text fields, aggregates returning the rows' values (``array_agg``, ``recordset``) or
        the smallest or largest text. The groups and aggregates are parsed by the ORM's own parser
        (``parse_read_group_spec``, ``regex_field_agg``) with read_group's own defaults."""
        groupby = [groupby] if isinstance(groupby, str) else list(groupby or [])
        for spec in self._read_group_get_annotated_groupby(groupby, lazy=lazy).values():
            fname, _property, _granularity = parse_read_group_spec(spec)
            field = self._fields.get(fname)
            if field is not None and field.type in _VALUE_KEY_TYPES:
                self._refuse_grouped_read(spec)
        for field_spec in fields or []:
            match = regex_field_agg.match(field_spec) if field_spec != "__count" else None
            if not match:
                continue  # '__count', or a specification the ORM itself refuses
            name, func, fname = match.groups()
            field = self._fields.get(fname or name)
            if field is None or field.name == "id":
                continue
            func = (func or field.aggregator or "").lower()
            if func in _VALUE_AGGREGATES or (func in ("min", "max") and field.type not in _FIGURE_TYPES):
                self._refuse_grouped_read(field_spec)

    def _refuse_grouped_read(self, spec):
        raise AccessError(
            self.env._(
                "Archive data is read record by record, where it is logged, not listed through a "
                "grouped view (%(spec)s).",
                spec=spec,
            )
        )

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self._log_disclosure("export")
        return result
