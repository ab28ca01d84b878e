import re
from contextvars import ContextVar

from odoo import api, models
from odoo.exceptions import AccessError

from .customer_archive_confidentiality_mixin import CONFIDENTIALITY_RANK

# Set while a list (or the lines of an opened record) is read: those reads are not logged one by
# one. A context variable, not an Odoo context key, so that no RPC caller can switch logging off.
_READS_NOT_LOGGED = ContextVar("customer_archive_reads_not_logged", default=False)
ORDINARY_RANK = CONFIDENTIALITY_RANK["ordinary"]
# 'field:agg' or 'name:agg(field)' in read_group's fields.
_AGGREGATE_SPEC = re.compile(r"^(?P<name>\w+)(?::(?P<agg>\w+)(?:\((?P<field>\w+)\))?)?$")
# Aggregates that hand back the rows' own values, not a figure about them.
_VALUE_AGGREGATES = {"array_agg", "recordset"}
_FIGURE_TYPES = {"integer", "float", "monetary", "date", "datetime", "boolean"}


class CustomerArchiveAccessLoggedMixin(models.AbstractModel):
    """Archive data in the access log: exports always; reads above 'ordinary' where the model's
    records are the archive itself (archives, documents), not a register about it (requests)."""

    _name = "customer.archive.access.logged.mixin"
    _description = "Customer Archive Access Logged Mixin"
    _access_log_reads = True

    def _access_log_targets(self):
        """``(archive, document)`` a log entry about this record names."""
        raise NotImplementedError

    def _access_log_subjects(self):
        """The records a print or an export of ``self`` discloses."""
        return self

    def _log_reads(self, action="read"):
        if not self._access_log_reads or self.env.su or (action == "read" and _READS_NOT_LOGGED.get()):
            return
        # The level decides what is logged, whatever fields the caller asked for.
        confidential = self.sudo().filtered(  # sudo: reads the level only
            lambda rec: rec.confidentiality_rank > ORDINARY_RANK
        )
        if confidential:
            self.env["customer.archive.access.log"]._record(action, confidential.with_env(self.env))

    def _log_disclosure(self, action):
        if not self.env.su and self:
            self.env["customer.archive.access.log"]._record(action, self._access_log_subjects())

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
        if not self._access_log_reads:
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
        # A list is logged as such: entries of their own, which do not count towards the alarm,
        # since browsing a list of numbers is not reading the archives.
        token = _READS_NOT_LOGGED.set(True)
        try:
            result = super().web_search_read(domain, specification, offset, limit, order, count_limit)
        finally:
            _READS_NOT_LOGGED.reset(token)
        if self._access_log_reads and not self.env.su:
            self.browse([row["id"] for row in result["records"]])._log_reads(action="list")
        return result

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        # Grouped views count and sum; aggregates that return the archives' own values one by one
        # would be a read the log never sees.
        if self._access_log_reads and not self.env.su:
            for spec in fields or []:
                match = _AGGREGATE_SPEC.match(spec.strip())
                if not match or not match["agg"]:
                    continue
                field = self._fields.get(match["field"] or match["name"])
                agg = match["agg"].lower()
                if field is None or field.name == "id":
                    continue
                if agg in _VALUE_AGGREGATES or (agg in ("min", "max") and field.type not in _FIGURE_TYPES):
                    raise AccessError(
                        self.env._(
                            "Archive data is read record by record, where it is logged, not aggregated "
                            "(%(spec)s).",
                            spec=spec,
                        )
                    )
        return super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self._log_disclosure("export")
        return result
