from collections import defaultdict

from odoo import api, models
from odoo.models import parse_read_group_spec, regex_field_agg

from .customer_archive_access_logged_mixin import is_logged

# The file's content: replacing it is replacing the scan.
CONTENT_FIELDS = {"datas", "raw", "db_datas"}
# Reading these is downloading the file: its content, or the text indexed from it.
DISCLOSING_FIELDS = CONTENT_FIELDS | {"index_content"}
# What a file is and whose it is: changing them changes a record that holds the file.
# (public, access_token: anyone would download it; mimetype: how a browser opens it.)
HELD_FILE_FIELDS = CONTENT_FIELDS | {
    "company_id",
    "res_model",
    "res_id",
    "res_field",
    "type",
    "url",
    "public",
    "access_token",
    "mimetype",
}
# A file a record holds as it was made (``_held_attached_files``: a report e-mailed, a signed
# letter) keeps its name and description too.
HELD_AS_MADE_FIELDS = HELD_FILE_FIELDS | {"name", "description"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _log_archive_downloads(self):
        """Log, as downloads, files of archive data at every level, as the model of their owner
        declares it (``_archive_access_log``): a file leaves whole, as a print or an export does."""
        if self.env.su:
            return
        for attachment in self.sudo():  # sudo: the owner decides what is logged, not the reader
            owner = self.env.get(attachment.res_model)
            if attachment.res_id and is_logged(owner):
                owner.browse(attachment.res_id).exists()._log_disclosure("download", details=attachment.name)

    def _disclosing_fields_read(self, fields):
        """The fields among ``fields`` (None: all of them) whose values are the files' content."""
        names = set(self._fields) if fields is None else set(fields)
        if self.env.context.get("bin_size") or self.env.context.get("bin_size_datas"):
            names.discard("datas")  # its size is read, not the file
        return names & DISCLOSING_FIELDS

    def _archive_documents(self):
        """The archive documents these files are the scans of."""
        # sudo: which document a file belongs to, whoever handles the file
        ids = [a.res_id for a in self.sudo() if a.res_model == "customer.archive.document" and a.res_id]
        return self.env["customer.archive.document"].sudo().browse(ids).exists()  # sudo: owners only

    def _names_of_files_of(self, document):
        return ", ".join(
            self.filtered(lambda a: a.res_model == document._name and a.res_id == document.id).mapped("name")
        )

    @api.model
    def _archives_given_files(self, res_model, res_ids):
        """The archives that files attached to ``res_model``/``res_ids`` would be given to (an
        archive, or the archive of a document)."""
        if res_model == "customer.archive":
            return self.env["customer.archive"].browse(res_ids)
        if res_model == "customer.archive.document":
            Document = self.env["customer.archive.document"].sudo()  # sudo: which archive, whoever attaches
            return Document.browse(res_ids).exists().archive_id
        return self.env["customer.archive"]

    @api.model
    def _check_workflow_file(self, res_model, res_field):
        """Refuse a file given to, changed in or removed from a field that only the workflow of
        ``res_model`` writes (the signatures of a hand-out, 登记签名): such a field is kept as a file
        (``attachment=True``), and writing the file is writing the field. The one rule is the
        workflow mixin's (``_check_workflow_fields``, its ``_recorded_fields``), which raises
        UserError outside the workflow; the workflow's own writes (through the field, as the
        system) and the system pass. Takes the model and field names the file is or would be for."""
        if self.env.su or not res_model or not res_field or res_model not in self.env:
            return
        owner = self.env[res_model]
        if isinstance(owner, self.pool["customer.archive.workflow.mixin"]):
            owner._check_workflow_fields({res_field: True})

    def _check_held_files(self, names=None):
        """Refuse changing or deleting files that a workflow record holds in a field it declares
        (``_held_file_fields``, e.g. a credit application's documents), where that record's own
        rule (``_check_held_files_change``) refuses changing the field: a file swapped after the
        decision would change what was decided on; and files attached to a record that holds them
        all as they were made (``_held_attached_files``: a monthly report's PDFs, as e-mailed, a
        delegation's letter), their name included. Takes the fields written (None: a deletion).
        The system passes."""
        if self.env.su or not self.ids:
            return
        if names is None or HELD_AS_MADE_FIELDS.intersection(names):
            self._check_files_held_as_made()
        if names is None or HELD_FILE_FIELDS.intersection(names):
            self._check_files_held_in_fields()

    def _held_files(self):
        """The files of ``self`` that a workflow record holds, in a field it declares
        (``_held_file_fields``) or attached to it (``_held_attached_files``)."""
        held = self.browse()
        files = self.sudo()  # sudo: whose files they are, whoever asks
        for attachment in files:
            Holder = self.env.get(attachment.res_model) if attachment.res_model else None
            if attachment.res_id and Holder is not None and getattr(Holder, "_held_attached_files", False):
                held |= attachment
        for name in self.env.registry.descendants(["customer.archive.workflow.mixin"], "_inherit"):
            Holder = self.env[name]
            if Holder._abstract:
                continue
            for field_name in Holder._held_file_fields:
                Holders = Holder.sudo()  # sudo: which records hold these files, whoever asks
                holders = Holders.with_context(active_test=False).search([(field_name, "in", self.ids)])
                held |= holders[field_name] & files
        return held.with_env(self.env)

    def generate_access_token(self):
        """Odoo's tokens, except for files a workflow record holds: a token lets anyone download
        a file, and Odoo's own code makes them as the system (a message formatted for the portal,
        a large e-mail attachment sent as a link). Returns a token per file, False for those."""
        held = self._held_files() if self.ids else self.browse()
        if not held:
            return super().generate_access_token()
        tokens = dict(
            zip((self - held).ids, super(IrAttachment, self - held).generate_access_token(), strict=True)
        )
        return [tokens.get(attachment.id, False) for attachment in self]

    def _check_files_held_as_made(self):
        # Records that hold every file attached to them (``_held_attached_files``): a monthly
        # report's PDFs, each one as it was e-mailed; a delegation's letters.
        attached = defaultdict(set)
        for attachment in self.sudo():  # sudo: whose file each is, whoever changes it
            if attachment.res_model and attachment.res_id and not attachment.res_field:
                attached[attachment.res_model].add(attachment.res_id)
        for model, ids in attached.items():
            Holder = self.env.get(model)
            if Holder is not None and getattr(Holder, "_held_attached_files", False):
                Holder.browse(ids).exists()._check_held_files_change(None)

    def _check_files_held_in_fields(self):
        for name in self.env.registry.descendants(["customer.archive.workflow.mixin"], "_inherit"):
            Holder = self.env[name]
            if Holder._abstract:
                continue
            for field_name in Holder._held_file_fields:
                Holders = Holder.sudo()  # sudo: which records hold these files, whoever changes them
                holders = Holders.with_context(active_test=False).search([(field_name, "in", self.ids)])
                if holders:
                    holders.with_env(self.env)._check_held_files_change(field_name)

    @api.model_create_multi
    def create(self, vals_list):
        # A destroyed archive is given no file again, whatever the way (an upload, the chatter, RPC).
        for vals in vals_list:
            self._check_workflow_file(vals.get("res_model"), vals.get("res_field"))
            if vals.get("res_id"):
                self._archives_given_files(vals.get("res_model"), [vals["res_id"]])._check_not_destroyed()
        attachments = super().create(vals_list)
        # A scan attached straight to its document (not through the document's form) is in the
        # archive's history too.
        for document in attachments._archive_documents():
            document._log_on_archive(
                self.env._(
                    "Scan file added to %(document)s: %(files)s",
                    document=document.display_name,
                    files=attachments._names_of_files_of(document),
                )
            )
        return attachments

    def write(self, vals):
        # The file of a field only the workflow writes is neither changed nor moved, and no file is
        # moved into such a field.
        for attachment in self.sudo():  # sudo: which field each file is for, whoever writes it
            self._check_workflow_file(attachment.res_model, attachment.res_field)
            self._check_workflow_file(
                vals.get("res_model", attachment.res_model), vals.get("res_field", attachment.res_field)
            )
        if HELD_AS_MADE_FIELDS.intersection(vals):
            self._check_held_files(vals)
        if vals.get("res_id") or vals.get("res_model"):
            for attachment in self.sudo():  # sudo: where each file goes, whoever moves it
                self._archives_given_files(
                    vals.get("res_model", attachment.res_model), [vals.get("res_id", attachment.res_id)]
                )._check_not_destroyed()
        # A scan replaced in place (new content under the same file) is in the document's history.
        replaced = self._archive_documents() if CONTENT_FIELDS.intersection(vals) else ()
        result = super().write(vals)
        for document in replaced:
            document._log_on_archive(
                self.env._(
                    "Scan file replaced in %(document)s: %(files)s",
                    document=document.display_name,
                    files=self._names_of_files_of(document),
                )
            )
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_workflow_file(self):
        for attachment in self.sudo():  # sudo: which field each file is for, whoever deletes it
            self._check_workflow_file(attachment.res_model, attachment.res_field)
        self._check_held_files()

    def unlink(self):
        # A scan deleted from its document (not through the document's form) is in its history too.
        removed = [(document, self._names_of_files_of(document)) for document in self._archive_documents()]
        result = super().unlink()
        for document, names in removed:
            document._log_on_archive(
                self.env._(
                    "Scan file removed from %(document)s: %(files)s",
                    document=document.display_name,
                    files=names,
                )
            )
        return result

    def check_access(self, operation):
        """Also refuse (AccessError) reading files whose record the reader may not read, as Odoo's
        ``check`` does for ``read()``, and files of these addons' records (``customer.*``) that
        the reader may not read, unless public. Odoo checks a file's record when it searches files
        or reads their stored columns, not when only the content (``raw``, ``datas``: computed
        fields) is read by id, so a guessed id would hand out a confidential scan, a signature or
        a credit document. Takes the operation; raises what Odoo's check raises."""
        super().check_access(operation)
        if operation != "read" or self.env.su or not self:
            return
        # Odoo's own check of a file's record (a message's file by the message), which read()
        # makes and check_access did not: the e-mail templates link files by id after it. For
        # employees: Odoo's check refuses portal users every file, public ones aside.
        if self.env.user._is_internal():
            self.check("read")
        owners = defaultdict(set)
        for attachment in self.sudo():  # sudo: whose file each is, whoever reads it
            if (
                attachment.res_model
                and attachment.res_model.startswith("customer.")
                and not attachment.public
            ):
                owners[attachment.res_model].add(attachment.res_id)
        for model, ids in owners.items():
            if model in self.env:
                self.env[model].browse(ids).exists().check_access("read")

    # ------------------------------------------------------------------ reads of the content
    # read() serves web_read and web_search_read too; search_read, export and grouped reads read
    # the values without it.
    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields, load)
        if self._disclosing_fields_read(fields):
            self._log_archive_downloads()
        return result

    @api.model
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs):
        result = super().search_read(domain, fields, offset, limit, order, **read_kwargs)
        if result and self._disclosing_fields_read(fields):
            self.browse([row["id"] for row in result])._log_archive_downloads()
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        exported = {path.replace("/", ".").split(".")[0] for path in fields_to_export}
        if self._disclosing_fields_read(exported):
            self._log_archive_downloads()
        return result

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        result = super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        if not self.env.su and self._disclosing_fields_read(self._grouped_field_names(fields, groupby)):
            # Groups keyed by, or aggregating, the content hand it out for every file grouped.
            self.search(domain or [])._log_archive_downloads()
        return result

    @api.model
    def _grouped_field_names(self, fields, groupby):
        groupby = [groupby] if isinstance(groupby, str) else list(groupby or [])
        names = {parse_read_group_spec(spec)[0] for spec in groupby}
        for spec in fields or []:
            match = regex_field_agg.match(spec)
            if match:
                name, _func, fname = match.groups()
                names.add(fname or name)
        return names
