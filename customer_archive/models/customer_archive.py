from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date
from odoo.tools.sql import create_index

from .customer_archive_access_logged_mixin import ARCHIVE
from .customer_archive_review import REVIEW_OUTCOMES

# What an archive number is made from (see res.company._archive_number_series).
NUMBER_PARTS = frozenset({"company_id", "department_id", "category_id", "date_opened"})

ARCHIVE_STATES = [
    ("temporary", "Temporary"),  # 临时档案: from contract signing, documents being collected
    ("formal", "Formal"),  # 正式档案: complete, within the formalisation period
    ("filed", "Filed"),  # 上柜: stored in a cabinet
    ("destroyed", "Destroyed"),  # 销毁: by an approved, supervised destruction; kept in the register
]


class CustomerArchive(models.Model):
    """An archive (folder) of one commercial partner, e.g. per contract or project."""

    _name = "customer.archive"
    _description = "Customer Archive"
    _inherit = [
        # Before mail.thread: its chatter keeps within the record's level.
        "customer.archive.confidential.thread",
        "mail.thread",
        "mail.activity.mixin",
        "customer.archive.confidentiality.mixin",
        "customer.archive.workflow.mixin",
        "customer.archive.access.logged.mixin",
    ]
    _order = "date_opened desc, id desc"
    _rec_name = "number"
    _archive_access_log = ARCHIVE
    _rec_names_search = ["number", "name", "partner_id.name"]
    _check_company_auto = True
    _workflow_fields = frozenset(
        {
            "state",
            "date_completion_received",
            "formalisation_deadline",
            "date_formalised",
            "date_filed",
            "formalisation_override_reason",
            "formalisation_override_user_id",
            "lent_count",
            "formalisation_overdue_notified",
            "legal_hold",
            "legal_hold_reason",
            "legal_hold_user_id",
            "date_last_review",
            "date_destroyed",
            "date_imported",
        }
    )

    number = fields.Char(readonly=True, copy=False, index="trigram", tracking=True)
    name = fields.Char(string="Title", tracking=True, help="Contract, project or subject of the archive.")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    salesperson_id = fields.Many2one(
        related="partner_id.user_id", store=True, index=True, string="Salesperson"
    )
    industry_id = fields.Many2one(related="partner_id.industry_id", store=True)
    region_id = fields.Many2one(related="partner_id.archive_region_id", store=True)
    category_id = fields.Many2one("customer.archive.category", required=True, tracking=True, index=True)
    department_id = fields.Many2one(
        "customer.archive.department", required=True, tracking=True, check_company=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(ARCHIVE_STATES, required=True, default="temporary", readonly=True, tracking=True)
    # A copy is a new temporary archive, opened today: not yet in a cabinet.
    cabinet_id = fields.Many2one("customer.archive.cabinet", tracking=True, check_company=True, copy=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    # Today in the company's time zone (its calendar's), whatever the user's own.
    date_opened = fields.Date(
        required=True, default=lambda self: self.env.company._archive_today(), tracking=True, copy=False
    )
    date_completion_received = fields.Date(
        string="Completion Documents Received", readonly=True, tracking=True
    )
    formalisation_deadline = fields.Date(readonly=True, tracking=True)
    date_formalised = fields.Date(readonly=True, tracking=True)
    date_filed = fields.Date(readonly=True, tracking=True)
    is_formalisation_overdue = fields.Boolean(
        string="Formalisation Overdue",
        compute="_compute_is_formalisation_overdue",
        search="_search_is_formalisation_overdue",
    )
    formalisation_overdue_notified = fields.Boolean(readonly=True, copy=False)
    formalisation_override_reason = fields.Text(readonly=True, tracking=True)
    formalisation_override_user_id = fields.Many2one("res.users", readonly=True, string="Override By")
    document_ids = fields.One2many("customer.archive.document", "archive_id", string="Documents")
    document_count = fields.Integer(compute="_compute_completeness")
    required_document_type_ids = fields.Many2many(related="category_id.required_document_type_ids")
    missing_document_type_ids = fields.Many2many(
        "customer.archive.document.type",
        compute="_compute_completeness",
        string="Missing Documents",
    )
    completeness = fields.Char(compute="_compute_completeness", help="Required documents present / required.")
    completeness_rate = fields.Float(compute="_compute_completeness", string="Completeness (%)")
    is_complete = fields.Boolean(compute="_compute_completeness", search="_search_is_complete")
    note = fields.Html()
    # --- retention and legal hold (保管期限)
    retention_end_date = fields.Date(
        compute="_compute_retention_end_date", store=True, help="Empty for archives kept permanently."
    )
    legal_hold = fields.Boolean(readonly=True, tracking=True, help="Stops any disposal while it stands.")
    legal_hold_reason = fields.Text(readonly=True, tracking=True)
    legal_hold_user_id = fields.Many2one("res.users", string="Legal Hold Set By", readonly=True)
    date_destroyed = fields.Date(readonly=True, tracking=True)
    # --- periodic review (定期审查, 动态管理)
    review_ids = fields.One2many(
        "customer.archive.review",
        "archive_id",
        string="Reviews",
        groups="customer_archive.group_archive_officer",
    )
    date_last_review = fields.Date(readonly=True, tracking=True)
    date_next_review = fields.Date(compute="_compute_review_dates", store=True)
    # Stale (not reviewed for two review intervals) from this day on: stored, so that the "Stale"
    # filter is one SQL condition whatever the number of archives.
    date_stale = fields.Date(string="Stale From", compute="_compute_review_dates", store=True)
    date_imported = fields.Date(
        readonly=True,
        copy=False,
        help="Day the archive was brought in from the paper registers; its dates are the real ones.",
    )
    is_stale = fields.Boolean(compute="_compute_is_stale", search="_search_is_stale", string="Stale")
    # Requests holding the archive (or some of its documents) out of its cabinet right now. Lending
    # updates this row, which serialises two hand-outs of the same archive (see the borrow model).
    lent_count = fields.Integer(readonly=True, copy=False, default=0)
    is_lent = fields.Boolean(compute="_compute_is_lent", store=True, string="Lent Out")
    borrow_ids = fields.One2many("customer.archive.borrow", "archive_id", string="Lending Requests")
    borrow_count = fields.Integer(compute="_compute_borrow_count")
    share_ids = fields.One2many("customer.archive.share", "archive_id", string="Shares")
    share_count = fields.Integer(compute="_compute_share_count")
    shared_with_me = fields.Boolean(
        compute="_compute_shared_with_me",
        search="_search_shared_with_me",
        help="An approved share opens this archive to you.",
    )

    _sql_constraints = [
        (
            "number_company_uniq",
            "unique(company_id, number)",
            "The archive number must be unique per company.",
        ),
    ]

    def init(self):
        # The lists' default order, read from an index page by page instead of sorting the table.
        create_index(self.env.cr, "customer_archive_order_idx", self._table, ["date_opened DESC", "id DESC"])

    # ------------------------------------------------------------------ computes
    @api.depends("document_ids.type_id", "document_ids.condition", "category_id.required_document_type_ids")
    def _compute_completeness(self):
        for archive in self:
            # sudo: the checklist counts document types, which are not confidential; documents above
            # the reader's clearance still count, or a complete archive would look incomplete.
            documents = archive.sudo().document_ids  # sudo: types are not confidential
            have = set(documents.filtered(lambda d: d.condition != "missing").type_id.ids)
            # archived types are off the checklist, whatever the context (as the search has it)
            required = archive.category_id.required_document_type_ids.filtered("active")
            missing = required.filtered(lambda t, have=have: t.id not in have)
            archive.missing_document_type_ids = missing
            archive.document_count = len(documents)
            done = len(required) - len(missing)
            archive.completeness = f"{done}/{len(required)}"
            archive.completeness_rate = 100.0 * done / len(required) if required else 100.0
            archive.is_complete = not missing

    @api.depends("category_id.retention_years", "category_id.retention_permanent", "date_formalised")
    def _compute_retention_end_date(self):
        for archive in self:
            category = archive.category_id
            if category.retention_permanent or not archive.date_formalised:
                archive.retention_end_date = False
            else:
                archive.retention_end_date = fields.Date.add(
                    archive.date_formalised, years=category.retention_years
                )

    @api.depends(
        "date_last_review",
        "date_formalised",
        "date_opened",
        "date_imported",
        "category_id.review_interval_months",
    )
    def _compute_review_dates(self):
        for archive in self:
            since = archive.date_last_review or archive.date_formalised or archive.date_opened
            months = archive.category_id.review_interval_months or 12
            if not since:
                archive.date_next_review = archive.date_stale = False
                continue
            steps = 1
            imported = archive.date_imported
            if imported and not archive.date_last_review:
                # An archive brought in from the paper registers keeps the review cycle of its real
                # dates, but its first review here falls after the day it came in: it is neither
                # due nor stale on its first day.
                elapsed = (imported.year - since.year) * 12 + imported.month - since.month
                steps = max(elapsed // months, 1)
                while fields.Date.add(since, months=steps * months) <= imported:
                    steps += 1
            archive.date_next_review = fields.Date.add(since, months=steps * months)
            archive.date_stale = fields.Date.add(since, months=(steps + 1) * months)

    def _compute_is_stale(self):
        today = self.env.company._archive_today()
        for archive in self:
            archive.is_stale = archive._stale_since(today)

    def _stale_since(self, today):
        """Not reviewed for two review intervals (``date_stale`` reached), unless destroyed."""
        return bool(self.state != "destroyed" and self.date_stale and self.date_stale <= today)

    def _search_is_stale(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on stale archives."))
        today = self.env.company._archive_today()
        stale = [("state", "!=", "destroyed"), ("date_stale", "<=", today)]
        if (operator == "=") == value:
            return stale
        return ["!", "&", *stale]

    def _search_is_complete(self, operator, value):
        """Domain of the archives that hold (or lack) a document, not missing, of every type their
        category requires: the rule of ``_compute_completeness`` as one SQL subquery, for the
        "Incomplete" filter (资料完整性). Takes ``=``/``!=`` and a boolean; raises UserError else."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on complete archives."))
        # Documents above the reader's clearance count, as in the compute: the checklist is of
        # document types, which are not confidential.
        required = self.env["customer.archive.category"]._fields["required_document_type_ids"]
        incomplete = SQL(
            """
            SELECT a.id
              FROM customer_archive a
              JOIN %(relation)s r ON r.%(category)s = a.category_id
              -- an archived document type is off the checklist, as the form reads it
              JOIN customer_archive_document_type t ON t.id = r.%(type)s AND t.active
             WHERE NOT EXISTS (
                   SELECT 1
                     FROM customer_archive_document d
                    WHERE d.archive_id = a.id AND d.type_id = r.%(type)s AND d.condition != 'missing'
             )
            """,
            relation=SQL.identifier(required.relation),
            category=SQL.identifier(required.column1),
            type=SQL.identifier(required.column2),
        )
        self.env["customer.archive.document"].flush_model(["archive_id", "type_id", "condition"])
        self.env["customer.archive.category"].flush_model(["required_document_type_ids"])
        self.env["customer.archive.document.type"].flush_model(["active"])
        self.flush_model(["category_id"])
        return [("id", "not in" if (operator == "=") == value else "in", SQL("(%s)", incomplete))]

    # ------------------------------------------------------------------ review and legal hold
    def action_record_review(self, outcome, note=None):
        """Record a periodic review of the archive: current, updated or to be closed."""
        self._check_officer()
        if outcome not in dict(REVIEW_OUTCOMES):
            raise UserError(self.env._("Unknown review outcome."))
        if any(archive.state == "destroyed" for archive in self):
            raise UserError(self.env._("A destroyed archive is not reviewed."))
        today = self.env.company._archive_today()
        self.env["customer.archive.review"]._workflow_create(
            [
                {
                    "archive_id": archive.id,
                    "outcome": outcome,
                    "note": note,
                    "date": today,
                    "reviewer_id": self.env.uid,
                }
                for archive in self
            ]
        )
        self._workflow_write({"date_last_review": today})
        self.activity_unlink(["customer_archive.mail_activity_type_archive_review"])
        return True

    def action_set_legal_hold(self, reason):
        if not self.env.user.has_group("customer_archive.group_archive_manager"):
            raise AccessError(self.env._("Only an archive manager sets a legal hold."))
        if not (reason or "").strip():
            raise UserError(self.env._("A legal hold needs its reason."))
        self._workflow_write(
            {"legal_hold": True, "legal_hold_reason": reason.strip(), "legal_hold_user_id": self.env.user.id}
        )
        return True

    def action_open_review_wizard(self):
        return self._action_open_wizard("customer.archive.review.wizard", self.env._("Review"), "archive_id")

    def action_open_legal_hold_wizard(self):
        return self._action_open_wizard(
            "customer.archive.legal.hold.wizard", self.env._("Legal Hold"), "archive_id"
        )

    def action_release_legal_hold(self):
        if not self.env.user.has_group("customer_archive.group_archive_manager"):
            raise AccessError(self.env._("Only an archive manager lifts a legal hold."))
        self._workflow_write({"legal_hold": False})
        return True

    def _destruction_snapshot(self):
        """The archive's state before destruction, kept in the register (备份: a copy before change)."""
        self.ensure_one()
        return {
            "number": self.number,
            "title": self.name,
            "partner": self.partner_id.display_name,
            "category": self.category_id.code,
            "state": self.state,
            "confidentiality": self.confidentiality,
            "dates": {
                "opened": self.date_opened,
                "formalised": self.date_formalised,
                "filed": self.date_filed,
            },
            "cabinet": self.cabinet_id.code,
            "documents": [
                {
                    "type": doc.type_id.code,
                    "name": doc.name,
                    "original": doc.is_original,
                    "pages": doc.page_count,
                    "condition": doc.condition,
                    "files": doc.attachment_ids.mapped("name"),
                }
                for doc in self.document_ids
            ],
        }

    @api.model
    def _check_number_code_change(self, records, field_name, vals):
        """A code that numbers were made of (the ``code`` of the department or category in
        ``field_name`` of ``records``) is not renamed once an archive is numbered with it: the
        numbers would name a code nobody has (no gaps, no strangers in a series, 断号). Raises
        UserError."""
        if "code" not in vals or not records:
            return
        changed = records.filtered(lambda record: record.code != vals["code"])
        # sudo: whether any archive, whoever may read it, carries the code in its number
        if changed and self.sudo().with_context(active_test=False).search_count(  # sudo: any archive numbered
            [(field_name, "in", changed.ids), ("number", "!=", False)], limit=1
        ):
            raise UserError(
                self.env._(
                    "Archives are numbered with the code %(code)s: it is no longer changed. Create a new "
                    "one and archive this one instead.",
                    code=", ".join(changed.mapped("code")),
                )
            )

    @api.model
    def _cron_schedule_reviews(self, batch_size=200):
        """Give the responsible user a review activity for each archive due for its periodic review
        (定期审查, A14), due on the company's today, in the user's language; the run ends with one
        digest e-mail per person. Idempotent (an archive holding a review activity is skipped);
        handles one bounded batch and tells the cron runner what remains. Returns the archives of
        the batch."""
        activity_type = self.env.ref("customer_archive.mail_activity_type_archive_review")
        archives, remaining = self.env["ir.cron"]._archive_batch(
            self,
            lambda company: [
                ("company_id", "=", company.id),
                ("state", "!=", "destroyed"),
                ("date_next_review", "<=", company._archive_today()),
                ("activity_ids", "not any", [("activity_type_id", "=", activity_type.id)]),
            ],
            batch_size,
        )
        Activity = self.env["mail.activity"]
        Activity._archive_schedule(
            activity_type,
            [(archive, archive.user_id) for archive in archives],
            lambda archive: (False, archive.env._("Review archive %(number)s.", number=archive.number)),
            digest="customer_archive.ir_cron_schedule_reviews",
        )
        self.env["ir.cron"]._archive_progress(
            len(archives), remaining, digest="customer_archive.ir_cron_schedule_reviews"
        )
        return archives

    @api.depends("lent_count")
    def _compute_is_lent(self):
        for archive in self:
            archive.is_lent = archive.lent_count > 0

    def _compute_borrow_count(self):
        counts = dict(
            self.env["customer.archive.borrow"]._read_group(
                [("archive_id", "in", self.ids)], ["archive_id"], ["__count"]
            )
        )
        for archive in self:
            archive.borrow_count = counts.get(archive, 0)

    @api.depends_context("uid")
    def _compute_shared_with_me(self):
        opened = [("id", "in", self.ids), ("shared_with_me", "=", True)]
        shared = self.sudo().search(opened)  # sudo: whether the user's own shares open them
        for archive in self:
            archive.shared_with_me = archive in shared

    def _search_shared_with_me(self, operator, value):
        """Archives an approved share opens to the current user (the sharing record rule), as
        one condition on the id."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on shared archives."))
        return self.env["customer.archive.share"]._opened_to_user_domain(
            "archive", (operator == "=") == value
        )

    def _compute_share_count(self):
        counts = dict(
            self.env["customer.archive.share"]._read_group(
                [("archive_id", "in", self.ids)], ["archive_id"], ["__count"]
            )
        )
        for archive in self:
            archive.share_count = counts.get(archive, 0)

    def action_view_shares(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.customer_archive_share_action"
        )
        action["domain"] = [("archive_id", "=", self.id)]
        action["context"] = {"default_archive_id": self.id}
        return action

    def action_view_borrows(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.customer_archive_borrow_action"
        )
        action["domain"] = [("archive_id", "=", self.id)]
        action["context"] = {"default_archive_id": self.id}
        return action

    def _compute_is_formalisation_overdue(self):
        today = self.env.company._archive_today()
        for archive in self:
            archive.is_formalisation_overdue = bool(
                archive.state == "temporary"
                and archive.formalisation_deadline
                and archive.formalisation_deadline < today
            )

    def _search_is_formalisation_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue formalisation."))
        today = self.env.company._archive_today()
        overdue = [("state", "=", "temporary"), ("formalisation_deadline", "<", today)]
        if (operator == "=") == value:
            return overdue
        return ["!", "&", *overdue]

    def _access_log_targets(self):
        return self, self.env["customer.archive.document"]

    @api.onchange("category_id")
    def _onchange_category_id(self):
        if self.category_id:
            self.confidentiality = self.category_id.default_confidentiality

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        # filled in below on copies, as _workflow_create_values gives them (the number is checked
        # first, with its own message)
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            # A number is given by the system; only the workflow (the import of the paper
            # registers) brings in a number already written on a folder.
            if vals.get("number") and not self._in_workflow():
                raise UserError(self.env._("Archive numbers are given by the system and cannot be chosen."))
            self._check_workflow_fields(vals)
            self._check_date_opened(vals)
            category = self.env["customer.archive.category"].browse(vals.get("category_id"))
            if "confidentiality" not in vals and category:
                vals["confidentiality"] = category.default_confidentiality
            if vals.get("number"):
                self._take_written_number(vals, category)
            else:
                vals["number"] = self._next_archive_number(vals, category)
        archives = super().create(vals_list)
        archives.cabinet_id._check_room_for(archives)
        # A customer with archives has its archive card (客户档案卡), to be filled in.
        self.env["customer.archive.card"]._ensure_for_partners(archives.partner_id)
        self.env["res.partner"].invalidate_model(["customer_archive_ids"])
        return archives

    @api.constrains("date_opened", "date_formalised", "date_filed")
    def _check_dates_in_order(self):
        """An archive is opened, then formalised, then filed (建档, 转正, 上柜): never in another
        order, whoever writes the dates (the workflow, or an import of the paper registers)."""
        for archive in self:
            if archive.date_formalised and archive.date_formalised < archive.date_opened:
                raise ValidationError(
                    self.env._(
                        "Archive %(number)s cannot be formal before it was opened.", number=archive.number
                    )
                )
            if archive.date_filed and archive.date_filed < (archive.date_formalised or archive.date_opened):
                raise ValidationError(
                    self.env._(
                        "Archive %(number)s cannot be filed before it was formal.", number=archive.number
                    )
                )

    def _check_date_opened(self, vals):
        """An archive is opened on a day that has come (建档): a future opening date is refused
        (UserError); it would also number the archive in a year not yet begun."""
        opened = fields.Date.to_date(vals.get("date_opened"))
        company = self.env["res.company"].browse(vals.get("company_id")) or self.company_id[:1]
        company = company or self.env.company
        # Today in the company's time zone, whoever's own time zone the user has.
        if opened and not self.env.su and opened > company._archive_today():
            raise UserError(self.env._("An archive cannot be opened on a future date."))

    def _next_archive_number(self, vals, category):
        company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
        department = self.env["customer.archive.department"].browse(vals.get("department_id"))
        opened = fields.Date.to_date(vals.get("date_opened")) or company._archive_today()
        counter = self.env["customer.archive.number.counter"].sudo()  # sudo: technical, never read by users
        series = company._archive_number_series(opened.year, department.code, category.code)
        sequence = counter._next_number(company, opened.year, series)
        return company._archive_format_number(opened.year, department.code, category.code, sequence)

    def _take_written_number(self, vals, category):
        """Keep the number written on a folder brought in from the paper registers (编号照旧).

        Takes the values of the archive to create (``number`` set); raises UserError when the
        number does not follow the company's format for the archive's department, category and
        opening year, or is already taken in the company (destroyed archives included). Moves the
        counter of the number's series past it, so the system never gives it again."""
        company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
        department = self.env["customer.archive.department"].browse(vals.get("department_id"))
        number = vals["number"] = vals["number"].strip()
        parsed = company._archive_parse_number(number, department.code, category.code)
        if not parsed:
            example = company._archive_format_number(
                company._archive_today().year, department.code, category.code, 1
            )
            raise UserError(
                self.env._(
                    "Archive number %(number)s does not follow the company's number format "
                    "for this department and category (e.g. %(example)s).",
                    number=number,
                    example=example,
                )
            )
        year, sequence = parsed
        opened = fields.Date.to_date(vals.get("date_opened")) or company._archive_today()
        if year != opened.year:
            raise UserError(
                self.env._(
                    "Archive number %(number)s is of the year %(year)s, "
                    "but the archive was opened in %(opened)s.",
                    number=number,
                    year=year,
                    opened=opened.year,
                )
            )
        every_archive = self.sudo()  # sudo: a number held by an archive the user cannot see is taken
        if every_archive.search_count([("company_id", "=", company.id), ("number", "=", number)], limit=1):
            raise UserError(self.env._("Archive number %(number)s is already taken.", number=number))
        counter = self.env["customer.archive.number.counter"].sudo()  # sudo: technical, never read by users
        counter._advance_past(company, year, sequence, department.code, category.code)

    def write(self, vals):
        if "number" in vals:
            raise UserError(self.env._("An archive number can never be changed."))
        self._check_workflow_fields(vals)
        self._check_date_opened(vals)
        if not self._in_workflow() and self._content_fields(vals):
            self._check_not_destroyed()
        self._check_level_change(vals)
        self._check_number_parts(vals)
        result = super().write(vals)
        # The customers' lists are computed (with the archives' rules), not kept by the inverse field.
        self.env["res.partner"].invalidate_model(["customer_archive_ids"])
        if "confidentiality" in vals:
            self._raise_documents_to_archive_level()
            self._drop_uncleared_below_level()
        if "cabinet_id" in vals:
            self.cabinet_id._check_room_for(self)
        return result

    def _check_number_parts(self, vals):
        """What a number was made from (company, department, category, opening date: 档案编号)
        never changes once the archive is numbered, or the number would belong to another series.
        Raises UserError naming the fields; writing the value a field already has passes (a form)."""
        changed = set()
        for name in NUMBER_PARTS.intersection(vals):
            field = self._fields[name]
            for archive in self:
                new = field.convert_to_record(field.convert_to_cache(vals[name], archive), archive)
                if archive.number and new != archive[name]:
                    changed.add(name)
        if changed:
            raise UserError(
                self.env._(
                    "An archive's number is made from its company, department, category and opening "
                    "date: %(fields)s can no longer change. Open a new archive instead.",
                    fields=", ".join(
                        sorted(self._fields[name]._description_string(self.env) for name in changed)
                    ),
                )
            )

    def unlink(self):
        if self:
            raise UserError(
                self.env._(
                    "Customer archives are never deleted. An archive ends only by an approved destruction."
                )
            )
        return super().unlink()

    def _check_not_destroyed(self):
        """A destroyed archive (销毁) is final evidence: it is never edited, lent, shared or given
        documents again. Raises UserError naming the first destroyed archive of ``self``."""
        for archive in self.sudo():  # sudo: the state and number of an archive are not secret
            if archive.state == "destroyed":
                raise UserError(
                    self.env._("Archive %(number)s was destroyed; it stays as it was.", number=archive.number)
                )

    def _drop_uncleared_below_level(self):
        """A level raised: those it now excludes stop following the archive, its documents and the
        requests and shares on it, and their activities there pass to a cleared manager."""
        archives = self.sudo()  # sudo: everything that hangs off the archives, whoever raised them
        for records in (archives, archives.document_ids, archives.borrow_ids, archives.share_ids):
            records._drop_uncleared_followers()

    def _raise_documents_to_archive_level(self):
        for archive in self:
            lower = archive.document_ids.sudo().filtered(  # sudo: raising levels must reach every document
                lambda d, rank=archive.confidentiality_rank: d.confidentiality_rank < rank
            )
            lower.write({"confidentiality": archive.confidentiality})

    # ------------------------------------------------------------------ workflow
    def _check_officer(self):
        if not self.env.user.has_group("customer_archive.group_archive_officer"):
            raise AccessError(self.env._("Only the archive office can change the state of an archive."))

    def action_receive_completion_documents(self, received_date=None):
        """The completion documents are in: the archive must be formal within N working days."""
        self._check_officer()
        received = fields.Date.to_date(received_date) or self.env.company._archive_today()
        if received > self.env.company._archive_today():
            raise UserError(self.env._("The completion documents cannot be received in the future."))
        for archive in self:
            if archive.state != "temporary":
                raise UserError(
                    self.env._("Archive %(number)s is no longer temporary.", number=archive.number)
                )
            if archive.date_completion_received:
                raise UserError(
                    self.env._(
                        "The completion documents of %(number)s were already received; the deadline stands.",
                        number=archive.number,
                    )
                )
            company = archive.company_id
            archive._workflow_write(
                {
                    "date_completion_received": received,
                    "formalisation_deadline": company._archive_add_working_days(
                        received, company.archive_formalisation_days
                    ),
                }
            )
        return True

    def action_formalise(self, override_reason=None):
        """Temporary → formal. Needs every checklist item, unless a manager overrides with a reason."""
        self._check_officer()
        override_reason = (override_reason or "").strip()
        if override_reason and not self.env.user.has_group("customer_archive.group_archive_manager"):
            raise AccessError(self.env._("Only an archive manager can formalise an incomplete archive."))
        for archive in self:
            if archive.state != "temporary":
                raise UserError(self.env._("Only a temporary archive can be formalised."))
            if not archive.is_complete and not override_reason:
                raise UserError(
                    self.env._(
                        "Archive %(number)s lacks required documents: %(missing)s. "
                        "An archive manager can formalise it anyway with a reason.",
                        number=archive.number,
                        missing=", ".join(archive.missing_document_type_ids.mapped("display_name")),
                    )
                )
        values = {"state": "formal", "date_formalised": self.env.company._archive_today()}
        for archive in self:
            archive_values = dict(values)
            if not archive.is_complete:
                archive_values.update(
                    formalisation_override_reason=override_reason,
                    formalisation_override_user_id=self.env.user.id,
                )
            archive._workflow_write(archive_values)
        self.activity_unlink(["customer_archive.mail_activity_type_formalisation_overdue"])
        return True

    def action_open_formalise_wizard(self):
        return self._action_open_wizard(
            "customer.archive.formalise.wizard", self.env._("Formalise Incomplete Archive"), "archive_id"
        )

    def action_file(self):
        """Formal → filed: the archive goes into its cabinet (上柜)."""
        self._check_officer()
        for archive in self:
            if archive.state != "formal":
                raise UserError(self.env._("Only a formal archive can be filed in a cabinet."))
            if not archive.cabinet_id:
                raise UserError(
                    self.env._(
                        "Choose the cabinet of archive %(number)s before filing it.", number=archive.number
                    )
                )
        self.cabinet_id._check_room_for(self)
        self._workflow_write({"state": "filed", "date_filed": self.env.company._archive_today()})
        return True

    # ------------------------------------------------------------------ scheduled action
    @api.model
    def _cron_notify_overdue_formalisation(self, batch_size=200):
        """Give the responsible user an activity for each archive past its formalisation deadline
        (临时档案 → 正式档案 within the period, A5), in the user's language; the run ends with one
        digest e-mail per person.

        Once per archive (``formalisation_overdue_notified``), even after the activity is marked
        done. Handles one bounded batch and tells the cron runner what remains, so that it commits
        per batch and calls again. Returns the archives of the batch.
        """
        activity_type = self.env.ref("customer_archive.mail_activity_type_formalisation_overdue")
        archives, remaining = self.env["ir.cron"]._archive_batch(
            self,
            lambda company: [
                ("company_id", "=", company.id),
                ("is_formalisation_overdue", "=", True),
                ("formalisation_overdue_notified", "=", False),
            ],
            batch_size,
        )
        Activity = self.env["mail.activity"]
        Activity._archive_schedule(
            activity_type,
            [(archive, archive.user_id) for archive in archives],
            lambda archive: (
                activity_type.with_env(archive.env).summary,
                archive.env._(
                    "Archive %(number)s had to be formal by %(deadline)s.",
                    number=archive.number,
                    deadline=format_date(archive.env, archive.formalisation_deadline),
                ),
            ),
            digest="customer_archive.ir_cron_notify_overdue_formalisation",
        )
        archives._workflow_write({"formalisation_overdue_notified": True})
        self.env["ir.cron"]._archive_progress(
            len(archives), remaining, digest="customer_archive.ir_cron_notify_overdue_formalisation"
        )
        return archives
