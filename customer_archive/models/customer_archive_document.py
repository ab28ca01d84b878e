from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.sql import create_index

from .customer_archive_access_logged_mixin import ARCHIVE

DOCUMENT_CONDITIONS = [
    ("good", "Good"),
    ("worn", "Worn"),
    ("damaged", "Damaged"),
    ("missing", "Missing"),
]

# Changes to these fields are written into the archive's chatter (修改后记录修改内容和日期).
TRACKED_ON_ARCHIVE = (
    "name",
    "type_id",
    "is_original",
    "page_count",
    "date_received",
    "confidentiality",
    "condition",
    "note",
    "attachment_ids",
)


class CustomerArchiveDocument(models.Model):
    """One item of an archive: a contract, a licence copy, a letter…"""

    _name = "customer.archive.document"
    _description = "Archive Document"
    _inherit = [
        # Before mail.thread: its chatter keeps within the record's level.
        "customer.archive.confidential.thread",
        "mail.thread",
        "customer.archive.confidentiality.mixin",
        "customer.archive.workflow.mixin",
        "customer.archive.access.logged.mixin",
    ]
    # The archives' order (newest opened first), then each archive's own order of its documents,
    # from the documents' own columns: a list page is read from an index, without joining archives.
    _order = "archive_date_opened desc, archive_id.id desc, sequence, id"
    _check_company_auto = True
    _archive_access_log = ARCHIVE
    # Which shares open a document is fixed by the shares' approval, never by editing documents.
    _workflow_fields = frozenset({"granted_share_ids"})

    archive_id = fields.Many2one(
        "customer.archive", required=True, index=True, ondelete="restrict", tracking=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Description", tracking=True)
    type_id = fields.Many2one("customer.archive.document.type", required=True, tracking=True)
    is_original = fields.Boolean(
        string="Original", default=True, tracking=True, help="Original document; unticked for a copy."
    )
    page_count = fields.Integer(string="Pages", tracking=True)
    date_received = fields.Date(
        string="Received", default=lambda self: self.env.company._archive_today(), tracking=True
    )
    condition = fields.Selection(DOCUMENT_CONDITIONS, required=True, default="good", tracking=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "customer_archive_document_attachment_rel",
        "document_id",
        "attachment_id",
        string="Attachments",
    )
    note = fields.Text()
    granted_share_ids = fields.Many2many(
        "customer.archive.share",
        "customer_archive_share_granted_document_rel",
        "document_id",
        "share_id",
        string="Opened by Shares",
        readonly=True,
    )
    partner_id = fields.Many2one(related="archive_id.partner_id", store=True)
    salesperson_id = fields.Many2one(related="archive_id.salesperson_id", store=True, index=True)
    archive_date_opened = fields.Date(related="archive_id.date_opened", store=True, string="Archive Opened")
    shared_with_me = fields.Boolean(
        compute="_compute_shared_with_me",
        search="_search_shared_with_me",
        help="An approved share opens this document to you.",
    )
    company_id = fields.Many2one(related="archive_id.company_id", store=True)
    archive_confidentiality = fields.Selection(
        related="archive_id.confidentiality", string="Archive Confidentiality"
    )

    @api.constrains("confidentiality", "archive_id")
    def _check_confidentiality_not_below_archive(self):
        for document in self:
            archive = document.archive_id.sudo()  # sudo: compares levels only
            if document.confidentiality_rank < archive.confidentiality_rank:
                raise ValidationError(
                    self.env._(
                        "Document %(document)s cannot be less confidential than its archive %(archive)s.",
                        document=document.display_name,
                        archive=document.archive_id.sudo().number,  # sudo: the number only
                    )
                )

    @api.constrains("page_count")
    def _check_page_count(self):
        if any(document.page_count < 0 for document in self):
            raise ValidationError(self.env._("The number of pages cannot be negative."))

    @api.onchange("archive_id")
    def _onchange_archive_id(self):
        if self.archive_id and self.confidentiality_rank < self.archive_id.confidentiality_rank:
            self.confidentiality = self.archive_id.confidentiality

    def _access_log_targets(self):
        return self.archive_id, self

    def init(self):
        create_index(
            self.env.cr,
            "customer_archive_document_order_idx",
            self._table,
            ["archive_date_opened DESC", "archive_id DESC", "sequence", "id"],
        )

    @api.depends_context("uid")
    def _compute_shared_with_me(self):
        opened = [("id", "in", self.ids), ("shared_with_me", "=", True)]
        shared = self.sudo().search(opened)  # sudo: whether the user's own shares open them
        for document in self:
            document.shared_with_me = document in shared

    def _search_shared_with_me(self, operator, value):
        """Documents an approved share opens to the current user (the sharing record rule), as
        one condition on the id."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on shared documents."))
        return self.env["customer.archive.share"]._opened_to_user_domain(
            "document", (operator == "=") == value
        )

    @api.depends("name", "type_id")
    def _compute_display_name(self):
        for document in self:
            document.display_name = document.name or document.type_id.display_name or ""

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = self._workflow_create_values(vals_list)
        archives = self.env["customer.archive"].browse([v.get("archive_id") for v in vals_list])
        archives._check_not_destroyed()
        for vals, archive in zip(vals_list, archives, strict=True):
            if "confidentiality" not in vals and archive:
                vals["confidentiality"] = archive.confidentiality
        documents = super().create(vals_list)
        documents._bind_attachments()
        for document in documents:
            # In the current language; the company's when the system or a data file adds it.
            company = document.archive_id.company_id or self.env.company
            note = company._archive_for_reader(document)
            note._log_on_archive(note.env._("Document added: %(document)s", document=document.display_name))
        return documents

    def write(self, vals):
        self._check_workflow_fields(vals)
        self._check_level_change(vals)
        if not self._in_workflow() and self._content_fields(vals):
            moved_to = self.env["customer.archive"].browse(vals.get("archive_id") or [])
            (self.archive_id | moved_to)._check_not_destroyed()
        tracked = [f for f in TRACKED_ON_ARCHIVE if f in vals]
        before = {doc: {f: doc[f] for f in tracked} for doc in self} if tracked else {}
        moved_from = {doc: doc.archive_id for doc in self} if vals.get("archive_id") else {}
        result = super().write(vals)
        for document, old_archive in moved_from.items():
            if old_archive != document.archive_id:
                document._log_move(old_archive)
        if "confidentiality" in vals:
            # The archive's requests and shares follow their most secret document.
            self._drop_uncleared_followers()
            self.sudo().archive_id.borrow_ids._drop_uncleared_followers()  # sudo: as the archive's level
            self.sudo().archive_id.share_ids._drop_uncleared_followers()  # sudo: as above
        if "attachment_ids" in vals:
            self._bind_attachments()
        for document, old_values in before.items():
            # In the current language; the company's when the system or a data file changes it.
            note = (document.archive_id.company_id or self.env.company)._archive_for_reader(document)
            changes = [
                note._format_change(field, old, document[field])
                for field, old in old_values.items()
                if old != document[field]
            ]
            if changes:
                note._log_on_archive(
                    note.env._(
                        "Document %(document)s changed: %(changes)s",
                        document=document.display_name,
                        changes="; ".join(changes),
                    )
                )
        return result

    def unlink(self):
        if self:
            raise UserError(self.env._("Archive documents are never deleted; mark a lost one as missing."))
        return super().unlink()

    def _copy_refusal(self):
        return self.env._(
            "A document is registered as it is received, with its own files: add the new document "
            "to the archive instead of duplicating one."
        )

    def _log_on_archive(self, body):
        """Write a document's change into its archive's chatter. Readers of the archive may lack the
        clearance of a more confidential document: they only learn that such a document changed;
        the details stay in the document's own history."""
        self.ensure_one()
        if self.confidentiality_rank > self.archive_id.confidentiality_rank:
            body = self.env._(
                "A document classified %(level)s was added or changed; see its own history.",
                level=dict(self._fields["confidentiality"]._description_selection(self.env))[
                    self.confidentiality
                ],
            )
        self.archive_id.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _log_move(self, old_archive):
        """A document moved between archives is recorded on both (修改后记录修改内容和日期)."""
        self.ensure_one()
        new_archive = self.archive_id
        # In the current language; the company's when the system or a data file moves it.
        note = (new_archive.company_id or self.env.company)._archive_for_reader(self)
        old_archive.sudo().message_post(  # sudo: the archive it left, whatever the mover may read
            body=note.env._(
                "Document %(document)s moved to archive %(archive)s.",
                document=note.display_name,
                archive=new_archive.sudo().number,  # sudo: the number only
            ),
            subtype_xmlid="mail.mt_note",
        )
        new_archive.message_post(
            body=note.env._(
                "Document %(document)s moved here from archive %(archive)s.",
                document=note.display_name,
                archive=old_archive.sudo().number,  # sudo: the number only
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _format_change(self, field_name, old, new):
        field = self._fields[field_name]

        def show(value):
            if field.type == "many2one":
                return value.display_name or "-"
            if field.type == "many2many":
                return ", ".join(value.sudo().mapped("display_name")) or "-"  # sudo: names of the files
            if field.type == "selection":
                return dict(field._description_selection(self.env)).get(value, "-")
            if field.type == "boolean":
                return self.env._("yes") if value else self.env._("no")
            return str(value) if value not in (False, None) else "-"

        label = field._description_string(self.env)
        return f"{label}: {show(old)} → {show(new)}"

    def _bind_attachments(self):
        """Attach uploaded files to their document, so that ir.attachment's access check
        follows the document's record rules (clearance and scope) and never lets them out."""
        for document in self:
            loose = document.attachment_ids.filtered(
                lambda a, doc=document: a.res_model != doc._name or a.res_id != doc.id or a.public
            )
            if loose:
                loose.write({"res_model": document._name, "res_id": document.id, "public": False})
