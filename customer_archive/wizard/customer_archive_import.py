import base64
import csv
import io
import re
from datetime import date, datetime

import psycopg2

from odoo import fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..models.customer_archive_confidentiality_mixin import CONFIDENTIALITY_LEVELS

try:
    import openpyxl
except ImportError:  # pragma: no cover - openpyxl is in Odoo's requirements
    openpyxl = None

OFFICER = "customer_archive.group_archive_officer"
MANAGER = "customer_archive.group_archive_manager"

# The template's columns: (header, key). The headers are the Chinese office's own words and stay
# Chinese in every language: they are the template. A header may carry a hint in brackets.
COLUMNS = [
    ("档案编号", "number"),
    ("档案标题", "title"),
    ("客户名称", "partner_name"),
    ("客户编码", "partner_ref"),
    ("档案类别", "category"),
    ("部门", "department"),
    ("密级(普通/秘密/机密/绝密)", "level"),
    ("状态(临时/正式/归档)", "state"),
    ("建档日期", "date_opened"),
    ("转正日期", "date_formalised"),
    ("归档日期", "date_filed"),
    ("档案柜", "cabinet"),
    ("备注", "note"),
    ("文件类型", "document_type"),
    ("文件名称", "document_name"),
    ("原件(是/否)", "document_original"),
    ("页数", "document_pages"),
    ("份数", "document_copies"),
]
ARCHIVE_KEYS = [key for _header, key in COLUMNS if not key.startswith("document_")]
DOCUMENT_KEYS = [key for _header, key in COLUMNS if key.startswith("document_")]
REQUIRED_HEADERS = ("number", "category", "department", "state", "date_opened")
# The words of the paper registers for the states and levels, beside the system's keys.
STATE_WORDS = {"临时": "temporary", "临时档案": "temporary", "正式": "formal", "正式档案": "formal"}
STATE_WORDS.update({"归档": "filed", "已归档": "filed", "上柜": "filed", "已上柜": "filed"})
LEVEL_WORDS = {"普通": "ordinary", "秘密": "secret", "机密": "confidential", "绝密": "top_secret"}
YES_WORDS = {"是", "原件", "yes", "y", "true", "1"}
NO_WORDS = {"否", "复印件", "no", "n", "false", "0"}
MAX_COPIES = 100
MAX_ROWS = 10000


class RowError(UserError):
    """What is wrong in one row of an archive's rows (a document row after the first)."""

    def __init__(self, message, row):
        super().__init__(message)
        self.row = row


def _exactly(text):
    """``text`` as an =ilike pattern matching itself only (any case)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _header_key(header):
    """The column of a header cell: its words before any bracketed hint."""
    name = re.split(r"[(（]", str(header or ""), maxsplit=1)[0].strip()
    for template_header, key in COLUMNS:
        if re.split(r"[(（]", template_header, maxsplit=1)[0] == name:
            return key
    return None


class CustomerArchiveImport(models.TransientModel):
    """Bring the paper registers in (A3): archives and their documents from a spreadsheet.

    Each archive is written in a savepoint of its own, through the archive's workflow (its number
    as written on the folder, its state and real dates), so that a wrong row never leaves half an
    archive; a check (dry run) does the same and then takes everything back."""

    _name = "customer.archive.import"
    _description = "Import Archives from a Spreadsheet"
    # A tool of the archive office; the archives it writes log their own reads.
    _archive_access_log = False

    file = fields.Binary(string="Spreadsheet", help="An .xlsx or .csv file laid out as the template.")
    file_name = fields.Char()
    all_or_nothing = fields.Boolean(help="Import nothing when one row is wrong.")
    state = fields.Selection(
        [("draft", "To Check"), ("checked", "Checked"), ("done", "Imported")], default="draft", readonly=True
    )
    archive_count = fields.Integer(string="Archives", readonly=True)
    document_count = fields.Integer(string="Documents", readonly=True)
    error_count = fields.Integer(string="Wrong Rows", readonly=True)
    result = fields.Text(readonly=True)
    template_file = fields.Binary(compute="_compute_template_file")

    # ------------------------------------------------------------------ template
    def _compute_template_file(self):
        for wizard in self:
            wizard.template_file = base64.b64encode(self._template_xlsx())

    def _template_xlsx(self):
        """The template: the columns, and a second sheet with an example number and the codes
        of the categories, departments, cabinets and document types the office may write."""
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "档案"
        sheet.append([header for header, _key in COLUMNS])
        for cell in sheet[1]:
            cell.font = openpyxl.styles.Font(bold=True)
            sheet.column_dimensions[cell.column_letter].width = 16
        company = self.env.company
        Category = self.env["customer.archive.category"]
        lists = [
            ("档案类别", Category.search([])),
            ("部门", self.env["customer.archive.department"].search([("company_id", "=", company.id)])),
            ("档案柜", self.env["customer.archive.cabinet"].search([("company_id", "=", company.id)])),
            ("文件类型", self.env["customer.archive.document.type"].search([])),
        ]
        example = company._archive_format_number(
            self.env.company._archive_today().year, lists[1][1][:1].code, lists[0][1][:1].code, 1
        )
        values = book.create_sheet("说明")
        values.append(
            ["档案编号示例", example, "每个档案一行；同一档案的其他文件另起一行，填写相同的档案编号。"]
        )
        values.append(["日期格式", "2024-03-01"])
        values.append([])
        values.append([text for title, _records in lists for text in (title, "名称")])
        for index in range(max(len(records) for _header, records in lists)):
            row = []
            for _header, records in lists:
                record = records[index] if index < len(records) else None
                row += [record.code, record.name] if record else ["", ""]
            values.append(row)
        stream = io.BytesIO()
        book.save(stream)
        return stream.getvalue()

    def action_download_template(self):
        """Download the template (an .xlsx with the Chinese headers)."""
        self.ensure_one()
        self._check_officer()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/template_file?download=true"
            "&filename=archive_import_template.xlsx",
            "target": "download",
        }

    # ------------------------------------------------------------------ actions
    def _check_officer(self):
        if not self.env.user.has_group(OFFICER):
            raise AccessError(self.env._("Only the archive office imports archives."))

    def action_check(self):
        """Dry run: every row goes through the import, then everything is taken back. Lists the
        wrong rows and changes nothing."""
        self.ensure_one()
        self._run(dry_run=True)
        return self._reopen()

    def action_import(self):
        """Import the good rows (each archive whole or not at all); with "all or nothing", import
        nothing when one row is wrong."""
        self.ensure_one()
        self._run(dry_run=False)
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Archives"),
        }

    def _run(self, dry_run):
        """Read the file and import it; returns the errors as a list of ``(row, message)``."""
        self._check_officer()
        if not self.file:
            raise UserError(self.env._("Choose the spreadsheet to import."))
        rows = self._read_rows()
        groups, errors = self._group_rows(rows)
        archives = self.env["customer.archive"]
        documents = 0
        outer = self.env.cr.savepoint()
        try:
            for group in groups:
                try:
                    with self.env.cr.savepoint():
                        archive = self._import_group(group)
                except (UserError, ValidationError, AccessError) as error:
                    errors.append((getattr(error, "row", group[0][0]), error.args[0]))
                    continue
                except psycopg2.IntegrityError:
                    # Another user took the number meanwhile: the row is refused like a duplicate.
                    errors.append(
                        (group[0][0], self.env._("The row conflicts with data saved meanwhile; try again."))
                    )
                    continue
                archives |= archive
                documents += len(archive.sudo().document_ids)  # sudo: counts the documents just written
        except BaseException:
            outer.close(rollback=True)
            raise
        errors.sort(key=lambda error: error[0])
        undone = bool(dry_run or (self.all_or_nothing and errors))
        outer.close(rollback=undone)
        lines = [self.env._("Row %(row)s: %(message)s", row=row, message=message) for row, message in errors]
        if dry_run:
            summary = self.env._(
                "Check only, nothing was changed: %(archives)s archives (%(documents)s documents) can be "
                "imported, %(errors)s rows are wrong.",
                archives=len(archives),
                documents=documents,
                errors=len(errors),
            )
        elif undone:
            summary = self.env._(
                "Nothing was imported: %(errors)s rows are wrong, and all or nothing was asked for.",
                errors=len(errors),
            )
        else:
            summary = self.env._(
                "%(archives)s archives (%(documents)s documents) imported; %(errors)s rows are wrong "
                "and were left out.",
                archives=len(archives),
                documents=documents,
                errors=len(errors),
            )
        self.write(
            {
                "state": "checked" if dry_run else "done",
                "archive_count": 0 if undone and not dry_run else len(archives),
                "document_count": 0 if undone and not dry_run else documents,
                "error_count": len(errors),
                "result": "\n".join([summary, *lines]),
            }
        )
        return errors

    # ------------------------------------------------------------------ reading
    def _read_rows(self):
        """The file's rows as ``(row number, {key: value})``, empty rows left out."""
        content = base64.b64decode(self.file)
        name = (self.file_name or "").lower()
        if name.endswith(".csv"):
            table = self._read_csv(content)
        elif name.endswith(".xlsx") or content[:2] == b"PK":
            table = self._read_xlsx(content)
        else:
            raise UserError(self.env._("Import an .xlsx or a .csv file, laid out as the template."))
        if not table:
            raise UserError(self.env._("The file is empty."))
        keys = [_header_key(header) for header in table[0]]
        missing = [header for header, key in COLUMNS if key in REQUIRED_HEADERS and key not in keys]
        if missing:
            raise UserError(
                self.env._(
                    "The file lacks the columns %(columns)s of the template.", columns=", ".join(missing)
                )
            )
        if len(table) > MAX_ROWS + 1:
            raise UserError(self.env._("Import at most %(rows)s rows at a time.", rows=MAX_ROWS))
        rows = []
        for index, cells in enumerate(table[1:], start=2):
            values = {}
            for key, cell in zip(keys, cells, strict=False):
                if key and cell not in (None, ""):
                    values[key] = cell.strip() if isinstance(cell, str) else cell
            if any(value not in (None, "") for value in values.values()):
                rows.append((index, values))
        return rows

    def _read_csv(self, content):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UserError(self.env._("The .csv file is neither UTF-8 nor GB18030 text."))
        return list(csv.reader(io.StringIO(text)))

    def _read_xlsx(self, content):
        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:
            raise UserError(self.env._("The file is not a readable .xlsx spreadsheet.")) from error
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]

    def _group_rows(self, rows):
        """Rows of one number are one archive: the first gives the archive, the others add
        documents and may only repeat its values. Returns the groups and the errors found."""
        groups, errors, first = {}, [], {}
        for row, values in rows:
            number = str(values.get("number") or "").strip()
            if not number:
                errors.append((row, self.env._("The archive number is missing.")))
                continue
            if number not in groups:
                groups[number], first[number] = [(row, values)], (row, values)
                continue
            first_row, first_values = first[number]
            differing = [
                header
                for header, key in COLUMNS
                if key in ARCHIVE_KEYS
                and key != "number"
                and key in values
                and str(values[key]) != str(first_values.get(key, ""))
            ]
            if differing:
                errors.append(
                    (
                        row,
                        self.env._(
                            "Archive number %(number)s is already used on row %(row)s with other "
                            "values (%(columns)s): a number is given once.",
                            number=number,
                            row=first_row,
                            columns=", ".join(differing),
                        ),
                    )
                )
                continue
            groups[number].append((row, values))
        return list(groups.values()), errors

    # ------------------------------------------------------------------ writing
    def _import_group(self, group):
        """Write one archive and its documents through the archive's workflow; raises UserError
        naming what is wrong in the row."""
        row, values = group[0]
        vals = self._archive_values(values)
        category = self.env["customer.archive.category"].browse(vals["category_id"])
        Archive = self.env["customer.archive"]
        archive = Archive._workflow_create([vals])
        document_vals = []
        for document_row, document_values in group:
            try:
                document_vals += self._document_values(archive, document_values)
            except UserError as error:
                raise RowError(error.args[0], document_row) from error
        if document_vals:
            self.env["customer.archive.document"].create(document_vals)
        if vals["state"] != "temporary":
            self._check_complete_when_formal(archive, category)
        archive.message_post(
            body=self.env._(
                "Imported from the paper registers: file %(file)s, row %(row)s.",
                file=self.file_name or "-",
                row=row,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return archive

    def _archive_values(self, values):
        company = self.env.company
        category = self._find_code(
            "customer.archive.category", values.get("category"), self.env._("archive category"), []
        )
        department = self._find_code(
            "customer.archive.department",
            values.get("department"),
            self.env._("department"),
            [("company_id", "=", company.id)],
        )
        state = self._state(values.get("state"))
        today = self.env.company._archive_today()
        opened = self._date(values.get("date_opened"), self.env._("opening date"), required=True)
        formalised = self._date(values.get("date_formalised"), self.env._("formalisation date"))
        filed = self._date(values.get("date_filed"), self.env._("filing date"))
        for day, label in (
            (formalised, self.env._("formalisation date")),
            (filed, self.env._("filing date")),
        ):
            if day and day > today:
                raise UserError(self.env._("The %(date)s %(day)s is in the future.", date=label, day=day))
        if state == "temporary" and (formalised or filed):
            raise UserError(self.env._("A temporary archive has no formalisation or filing date."))
        if state in ("formal", "filed") and not formalised:
            raise UserError(self.env._("A formal or filed archive needs its formalisation date."))
        if state == "formal" and filed:
            raise UserError(self.env._("A formal archive is not filed yet: leave its filing date empty."))
        if state == "filed" and not filed:
            raise UserError(self.env._("A filed archive needs its filing date."))
        cabinet = self.env["customer.archive.cabinet"]
        if values.get("cabinet"):
            cabinet = self._find_code(
                "customer.archive.cabinet",
                values["cabinet"],
                self.env._("cabinet"),
                [("company_id", "=", company.id)],
            )
        if state == "filed" and not cabinet:
            raise UserError(self.env._("A filed archive needs its cabinet."))
        vals = {
            "number": str(values["number"]).strip(),
            "name": values.get("title") and str(values["title"]),
            "partner_id": self._partner(values).id,
            "category_id": category.id,
            "department_id": department.id,
            "company_id": company.id,
            "state": state,
            "date_opened": opened,
            "date_formalised": formalised,
            "date_filed": filed,
            "cabinet_id": cabinet.id,
            "date_imported": today,
        }
        if values.get("level"):
            vals["confidentiality"] = self._level(values["level"])
        if values.get("note"):
            vals["note"] = str(values["note"])
        return vals

    def _document_values(self, archive, values):
        """The documents a row adds to ``archive`` (as many as its copies); none if it names none."""
        if not any(values.get(key) not in (None, "") for key in DOCUMENT_KEYS):
            return []
        if not values.get("document_type"):
            raise UserError(self.env._("The row names a document without its document type."))
        doc_type = self._find_code(
            "customer.archive.document.type", values["document_type"], self.env._("document type"), []
        )
        pages = self._integer(values.get("document_pages"), self.env._("pages")) or 0
        copies = self._integer(values.get("document_copies"), self.env._("copies")) or 1
        if not 1 <= copies <= MAX_COPIES:
            raise UserError(
                self.env._("A row holds between 1 and %(max)s copies of a document.", max=MAX_COPIES)
            )
        original = str(values.get("document_original", "是")).strip().lower()
        if original not in YES_WORDS | NO_WORDS:
            raise UserError(self.env._("Write 是 or 否 to say whether the document is an original."))
        document = {
            "archive_id": archive.id,
            "type_id": doc_type.id,
            "name": values.get("document_name") and str(values["document_name"]),
            "page_count": pages,
            "is_original": original in YES_WORDS,
            "date_received": archive.date_opened,
        }
        return [dict(document) for _copy in range(copies)]

    def _check_complete_when_formal(self, archive, category):
        """Formal in the paper register: complete, as formalising asks, or a manager's override."""
        archive.invalidate_recordset(["is_complete", "missing_document_type_ids"])
        if archive.is_complete:
            return
        if not self.env.user.has_group(MANAGER):
            raise UserError(
                self.env._(
                    "Archive %(number)s is formal but lacks required documents: %(missing)s. "
                    "Import it as temporary, or have an archive manager import it.",
                    number=archive.number,
                    missing=", ".join(archive.missing_document_type_ids.mapped("display_name")),
                )
            )
        archive._workflow_write(
            {
                "formalisation_override_reason": self.env._(
                    "Formal in the paper registers (imported from %(file)s).", file=self.file_name or "-"
                ),
                "formalisation_override_user_id": self.env.user.id,
            }
        )

    # ------------------------------------------------------------------ values
    def _find_code(self, model, value, label, domain):
        """The record of ``model`` whose code (or else name) is ``value``; UserError if none."""
        text = str(value or "").strip()
        if not text:
            raise UserError(self.env._("The %(what)s is missing.", what=label))
        Model = self.env[model]
        for field in ("code", "name"):
            records = Model.search([*domain, (field, "=ilike", _exactly(text))], limit=2)
            if len(records) == 1:
                return records
        raise UserError(self.env._("Unknown %(what)s: %(value)s.", what=label, value=text))

    def _state(self, value):
        text = str(value or "").strip()
        labels = dict(self.env["customer.archive"]._fields["state"]._description_selection(self.env))
        words = {**STATE_WORDS, **{label: key for key, label in labels.items()}}
        words.update({key: key for key in ("temporary", "formal", "filed")})
        if text not in words or words[text] not in ("temporary", "formal", "filed"):
            raise UserError(
                self.env._("Unknown state %(value)s: write 临时, 正式 or 归档.", value=text or "-")
            )
        return words[text]

    def _level(self, value):
        text = str(value).strip()
        labels = dict(
            self.env["customer.archive"]._fields["confidentiality"]._description_selection(self.env)
        )
        words = {**LEVEL_WORDS, **{label: key for key, label in labels.items()}}
        words.update({key: key for key, _label in CONFIDENTIALITY_LEVELS})
        if text not in words:
            raise UserError(
                self.env._("Unknown level %(value)s: write 普通, 秘密, 机密 or 绝密.", value=text)
            )
        return words[text]

    def _date(self, value, label, required=False):
        if value in (None, ""):
            if required:
                raise UserError(self.env._("The %(date)s is missing.", date=label))
            return False
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", str(value).strip())
        try:
            return date(*map(int, match.groups()))
        except (AttributeError, ValueError) as error:
            raise UserError(
                self.env._(
                    "The %(date)s %(value)s is not a date (write 2024-03-01).", date=label, value=value
                )
            ) from error

    def _integer(self, value, label):
        if value in (None, ""):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
        if number is None or number != int(number) or number < 0:
            raise UserError(self.env._("The %(what)s must be a whole number.", what=label))
        return int(number)

    def _partner(self, values):
        """The customer by its reference (客户编码), else by its exact name, else a new company."""
        name = str(values.get("partner_name") or "").strip()
        ref = str(values.get("partner_ref") or "").strip()
        Partner = self.env["res.partner"]
        base = [("parent_id", "=", False), ("company_id", "in", [False, self.env.company.id])]
        if ref:
            partners = Partner.search([*base, ("ref", "=", ref)], limit=2)
            if len(partners) > 1:
                raise UserError(self.env._("Several customers have the reference %(ref)s.", ref=ref))
            if partners:
                return partners
        if name:
            partners = Partner.search([*base, ("name", "=ilike", _exactly(name))], limit=2)
            if len(partners) > 1:
                raise UserError(
                    self.env._(
                        "Several customers are named %(name)s: give the customer's reference.", name=name
                    )
                )
            if partners:
                return partners
            return Partner.create({"name": name, "ref": ref or False, "is_company": True})
        raise UserError(self.env._("The customer is missing: give its name or its reference."))
