import base64
from collections import Counter
from datetime import timedelta

import pytz
from PIL import Image

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_datetime
from odoo.tools.image import ImageProcess

from .customer_archive_access_logged_mixin import REGISTER
from .customer_archive_approval_mixin import APPROVAL_FIELDS
from .customer_archive_borrow_line import DOCUMENT_RESULTS
from .customer_archive_confidentiality_mixin import CONFIDENTIALITY_LEVELS, level_opened
from .customer_archive_workflow_mixin import check_named_records_readable

REQUEST_TYPES = [
    ("borrow", "Borrow (read inside the company)"),  # 借阅
    ("onsite", "On-site Reading (archive room)"),  # 查阅
    ("photocopy", "Photocopy"),  # 影印
]
BORROW_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("lent", "Lent"),
    ("returned", "Returned"),
    ("done", "Done"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
INTEGRITY_RESULTS = [("complete", "Complete"), ("damaged", "Damaged"), ("missing", "Missing Items")]
OFFICER = "customer_archive.group_archive_officer"


class CustomerArchiveBorrow(models.Model):
    """A request to borrow, read on site or photocopy an archive or some of its documents."""

    _name = "customer.archive.borrow"
    _description = "Archive Lending Request"
    _inherit = [
        # Before mail.thread: its chatter keeps within the record's level.
        "customer.archive.confidential.thread",
        "mail.thread",
        "mail.activity.mixin",
        "customer.archive.confidentiality.mixin",
        "customer.archive.approval.mixin",
        "customer.archive.workflow.mixin",
        "customer.archive.access.logged.mixin",
    ]
    _order = "date_start desc, id desc"
    # A request is a register line: its prints, exports and files are logged, naming its archive.
    _archive_access_log = REGISTER
    _check_company_auto = True
    _workflow_fields = APPROVAL_FIELDS | {
        "allow_long_loan",
        "lent_by_id",
        "date_lent",
        "received_by_id",
        "date_returned",
        # Signed at the hand-out (登记签名); the lines are what was lent and how it came back.
        "borrower_signature",
        "officer_signature",
        "line_ids",
        # Derived from the lines' results by the take-back.
        "integrity_result",
        "integrity_note",
        "copies_may_leave",
        "copies_returned",
        "copies_verified_by_id",
        "date_copies_verified",
        "date_copies_released",
        "copies_released_by_id",
        "overdue_notified",
        # Counted by the officer at the return: nobody rewrites them afterwards.
        "copy_count",
        "copy_pages",
    }
    # A lending decision's options, also offered when several requests are decided at once.
    _approval_bulk_options = ("allow_long_loan", "copies_may_leave")
    # What the requester may still change after submitting: nothing of the request itself.
    _request_fields = frozenset(
        {
            "requester_id",
            "department_id",
            "archive_id",
            "document_ids",
            "request_type",
            "content",
            "purpose",
            "date_start",
            "date_due",
        }
    )

    name = fields.Char(string="Reference", readonly=True, copy=False, default=lambda self: self.env._("New"))
    request_type = fields.Selection(REQUEST_TYPES, required=True, default="borrow", tracking=True)
    state = fields.Selection(BORROW_STATES, required=True, default="draft", readonly=True, tracking=True)
    # The requester's department (借阅部门), by default; kept as the request was made.
    department_id = fields.Many2one(
        "customer.archive.department",
        compute="_compute_department_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        tracking=True,
    )
    # What may be asked for at all (the record rules add scope and clearance): nothing destroyed,
    # nothing top secret (绝密 is never lent), no temporary archive that holds no document yet.
    archive_id = fields.Many2one(
        "customer.archive",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="[('state', '!=', 'destroyed'), ('confidentiality', '!=', 'top_secret'), "
        "'|', ('state', '!=', 'temporary'), ('document_ids', '!=', False)]",
    )
    partner_id = fields.Many2one(related="archive_id.partner_id", store=True, string="Customer")
    document_ids = fields.Many2many(
        "customer.archive.document",
        string="Documents",
        domain="[('archive_id', '=', archive_id), ('confidentiality', '!=', 'top_secret'), "
        "('condition', '!=', 'missing')]",
        help="Leave empty to ask for the whole archive.",
    )
    content = fields.Text(string="Content Asked For", required=True)
    purpose = fields.Text(required=True)
    date_start = fields.Datetime(
        string="Requested Start", required=True, default=fields.Datetime.now, tracking=True
    )
    date_due = fields.Datetime(string="Due", required=True, tracking=True)
    allow_long_loan = fields.Boolean(
        string="Longer Than the Working Day", readonly=True, help="Allowed by the approving manager."
    )
    # The archive's company; before an archive is chosen, the current company, whose archives the
    # form offers (check_company).
    company_id = fields.Many2one("res.company", compute="_compute_company_id", store=True, precompute=True)
    # The request is as confidential as the most confidential thing it asks for.
    confidentiality = fields.Selection(
        CONFIDENTIALITY_LEVELS, compute="_compute_confidentiality", store=True, readonly=True, required=False
    )
    lent_by_id = fields.Many2one("res.users", string="Handed Out By", readonly=True, copy=False)
    date_lent = fields.Datetime(string="Handed Out", readonly=True, copy=False, tracking=True)
    # 登记签名: the borrower signs for what they take on the officer's screen, and the officer
    # countersigns, both at the hand-out (``action_lend``); the slip prints both.
    borrower_signature = fields.Binary(
        string="Borrower's Signature", attachment=True, readonly=True, copy=False
    )
    officer_signature = fields.Binary(
        string="Officer's Signature", attachment=True, readonly=True, copy=False
    )
    line_ids = fields.One2many(
        "customer.archive.borrow.line", "borrow_id", string="Documents Lent", readonly=True, copy=False
    )
    received_by_id = fields.Many2one("res.users", string="Received Back By", readonly=True, copy=False)
    date_returned = fields.Datetime(string="Returned", readonly=True, copy=False, tracking=True)
    integrity_result = fields.Selection(
        INTEGRITY_RESULTS, string="Integrity Check", readonly=True, copy=False
    )
    integrity_note = fields.Text(readonly=True, copy=False)
    copy_count = fields.Integer(string="Copies Made", copy=False)
    copy_pages = fields.Integer(string="Pages Copied", copy=False)
    copies_may_leave = fields.Boolean(
        string="Copies May Leave the Company", readonly=True, copy=False, tracking=True
    )
    copies_returned = fields.Boolean(
        string="Copies Returned and Verified", readonly=True, copy=False, tracking=True
    )
    copies_verified_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_copies_verified = fields.Datetime(readonly=True, copy=False)
    copies_released_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_copies_released = fields.Datetime(readonly=True, copy=False)
    # 影印件未归还: the one definition of copies still out, read by the close, the overview, the
    # filters, the photocopy register and the monthly report.
    copies_out = fields.Boolean(
        string="Copies Not Back",
        compute="_compute_copies_out",
        store=True,
        help="A photocopy whose original is back, whose copies are neither returned and verified "
        "nor released by an approver.",
    )
    overdue_notified = fields.Boolean(
        readonly=True, copy=False, help="The borrower and officer were told once."
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue", string="Overdue")
    days_overdue = fields.Integer(compute="_compute_is_overdue")
    repair_ids = fields.One2many(
        "customer.archive.repair",
        "borrow_id",
        string="Repairs",
        groups="customer_archive.group_archive_officer",
    )

    _sql_constraints = [
        ("copy_count_positive", "CHECK(copy_count >= 0)", "The number of copies cannot be negative."),
        # Copies still out are counted from the copies made: a photocopy is never back uncounted.
        (
            "photocopy_counted",
            "CHECK(request_type != 'photocopy' OR date_returned IS NULL OR copy_count > 0)",
            "A photocopy is taken back with the copies made counted.",
        ),
        ("copy_pages_positive", "CHECK(copy_pages >= 0)", "The number of pages copied cannot be negative."),
    ]

    # ------------------------------------------------------------------ access log
    def _access_log_targets(self):
        return self.archive_id, self.env["customer.archive.document"]

    def _access_log_subjects(self):
        """A printed or exported register discloses the archives it names."""
        return self.archive_id

    # ------------------------------------------------------------------ computes and checks
    @api.depends("archive_id.company_id")
    def _compute_company_id(self):
        for request in self:
            request.company_id = request.archive_id.company_id or request.company_id or self.env.company

    @api.depends("requester_id")
    def _compute_department_id(self):
        Department = self.env["customer.archive.department"]
        for request in self:
            # What a submitted request was made with stays (a handover changes its requester).
            if request.state in (False, "draft"):
                request.department_id = Department._of_user(request.requester_id, request.company_id)

    @api.depends(
        "archive_id.confidentiality",
        "document_ids.confidentiality",
        "archive_id.document_ids.confidentiality",
    )
    def _compute_confidentiality(self):
        # A whole-archive loan opens every document: it is as confidential as the most secret one.
        for request in self:
            request.confidentiality = level_opened(request.archive_id, request.document_ids)

    @api.depends("request_type", "date_returned", "copies_returned", "copies_released_by_id")
    def _compute_copies_out(self):
        for request in self:
            request.copies_out = bool(
                request.request_type == "photocopy"
                and request.date_returned
                and not request.copies_returned
                and not request.copies_released_by_id
            )

    @api.depends("state", "date_due")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for request in self:
            late = request.state == "lent" and request.date_due and request.date_due < now
            request.is_overdue = bool(late)
            request.days_overdue = (now - request.date_due).days if late else 0

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue requests."))
        overdue = [("state", "=", "lent"), ("date_due", "<", fields.Datetime.now())]
        return overdue if (operator == "=") == value else ["!", "&", *overdue]

    @api.constrains("date_start", "date_due")
    def _check_dates(self):
        for request in self:
            if request.date_due <= request.date_start:
                raise ValidationError(self.env._("The due time must be after the requested start."))

    @api.constrains("copy_count", "copy_pages")
    def _check_copies(self):
        for request in self:
            if request.copy_count < 0 or request.copy_pages < 0:
                raise ValidationError(self.env._("The number of copies and pages cannot be negative."))

    @api.constrains("document_ids", "archive_id")
    def _check_documents_in_archive(self):
        for request in self:
            if request.document_ids.sudo().archive_id - request.archive_id:  # sudo: checks membership
                raise ValidationError(self.env._("The documents asked for must belong to the archive."))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        check_named_records_readable(self, vals_list)
        vals_list = self._workflow_create_values(vals_list)
        for vals in vals_list:
            vals["name"] = self.env["ir.sequence"].next_by_code("customer.archive.borrow") or "/"
        Archive = self.env["customer.archive"]
        named = [vals["archive_id"] for vals in vals_list if vals.get("archive_id")]
        Archive.browse(named)._check_not_destroyed()
        return super().create(vals_list)

    def write(self, vals):
        check_named_records_readable(self, [vals])
        self._check_workflow_fields(vals)
        self._check_request_frozen(vals)
        if vals.get("archive_id"):
            self.env["customer.archive"].browse(vals["archive_id"])._check_not_destroyed()
        return super().write(vals)

    def unlink(self):
        if self:
            raise UserError(self.env._("Lending requests are part of the register and are never deleted."))
        return super().unlink()

    def copy_data(self, default=None):
        # A copy asks again from now, for as long as the original asked (its due was set at hand-out).
        vals_list = super().copy_data(default)
        now = fields.Datetime.now()
        for request, vals in zip(self, vals_list, strict=True):
            if "date_start" not in (default or {}):
                vals["date_start"] = now
                if "date_due" not in (default or {}):
                    vals["date_due"] = now + max(request.date_due - request.date_start, timedelta(hours=1))
        return vals_list

    # ------------------------------------------------------------------ rules by level
    def _approval_group_xmlid(self):
        return self._approval_group_by_level()

    def _check_level_kind(self):
        """What the level of what a request opens allows (密级借阅规定), whenever it is checked:
        top secret never leaves, confidential is read on site only, and the borrower is cleared for
        the level. The level may have risen since the request was made (a more secret document
        added, the archive raised): the approval and the hand-out check it again."""
        for request in self:
            level = request.confidentiality
            if level == "top_secret":
                raise UserError(self.env._("Top secret archives are never lent, read or copied."))
            if level == "confidential" and request.request_type != "onsite":
                raise UserError(
                    self.env._("Confidential archives are only read in the archive room (on-site reading).")
                )
            if request.requester_id.archive_clearance_rank < request.confidentiality_rank:
                raise UserError(
                    self.env._(
                        "%(user)s is not cleared for what %(name)s opens now: it is %(level)s.",
                        user=request.requester_id.name,
                        name=request.name,
                        level=dict(self._fields["confidentiality"]._description_selection(self.env))[level],
                    )
                )

    def _check_level_rules(self):
        """The rules of 密级借阅规定, checked when a request is submitted and again when it is
        approved (the level may have risen in between)."""
        now = fields.Datetime.now()
        self._check_level_kind()
        for request in self:
            if request.date_due <= now:
                raise UserError(self.env._("The due time of %(name)s has already passed.", name=request.name))
            level = request.confidentiality
            # The level's own limit; the working day's is the approver's to lift (a longer loan).
            level_limit = request._loan_limit(request.date_start, long_loan=True)
            if level == "confidential" and request.date_due > level_limit:
                raise UserError(self.env._("Confidential archives are returned the same day."))
            if level == "secret" and request.date_due > level_limit:
                raise UserError(
                    self.env._(
                        "Secret archives are lent for %(hours)s hours at the most.",
                        hours=request.company_id.archive_secret_loan_hours,
                    )
                )
            archive = request.archive_id.sudo()  # sudo: the state and count of documents are not secret
            if archive.state == "destroyed":
                raise UserError(self.env._("Archive %(number)s was destroyed.", number=archive.number))
            if archive.state == "temporary" and not archive.document_ids:
                raise UserError(
                    self.env._("This temporary archive holds no document yet: there is nothing to lend.")
                )

    def _loan_limit(self, start, long_loan=False):
        """The latest due time of this request's loan from ``start`` (naive UTC), by the rules of
        密级借阅规定, in the company's calendar and time zone: the end of the working day (of the
        next working day after hours) unless ``long_loan`` (a longer loan the approver allowed); a
        secret archive within the company's secret loan hours; a confidential one the same day.
        Returns a naive UTC datetime, or None when nothing limits the loan. The one home of the loan
        limits: the submission, the approval and the hand-out read it."""
        self.ensure_one()
        company = self.company_id
        limits = []
        if not long_loan:
            limits.append(company._archive_end_of_working_day(start))
        if self.confidentiality == "secret":
            limits.append(start + timedelta(hours=company.archive_secret_loan_hours))
        elif self.confidentiality == "confidential":
            limits.append(company._archive_end_of_day(start))
        return min(limits) if limits else None

    def _exceeds_working_day(self):
        self.ensure_one()
        return self.date_due > self._loan_limit(self.date_start)

    # ------------------------------------------------------------------ workflow
    def _check_officer(self):
        self._check_group(OFFICER, self.env._("Only the archive office hands out and takes back archives."))
        # Segregation of duties: the officer who registers a loan is never its borrower.
        self._check_not_requester(
            self.env._("An officer cannot hand out or take back a loan they requested themselves.")
        )

    def action_submit(self):
        self._check_requester_or_group(OFFICER, self.env._("Only the requester submits a request."))
        self._check_state("draft")
        self._check_level_rules()
        return self._approval_advance({"state": "submitted"})

    def action_approve(self, allow_long_loan=False, copies_may_leave=False):
        """Approve a submitted request. An ordinary request due after the working day needs the
        manager to allow it explicitly; photocopies may leave the company only if the approver says so."""

        def approval(request):
            request._check_level_rules()
            if request._exceeds_working_day() and not allow_long_loan:
                raise UserError(
                    self.env._(
                        "Request %(name)s is due after the end of the working day: "
                        "approve it as a longer loan.",
                        name=request.name,
                    )
                )
            return {
                "allow_long_loan": bool(allow_long_loan and request._exceeds_working_day()),
                "copies_may_leave": bool(copies_may_leave and request.request_type == "photocopy"),
            }

        return self._approval_decide("approve", ("submitted",), "approved", values=approval)

    def action_reject(self, reason):
        return self._approval_reject(reason)

    def _handover_to(self, user):
        """The requests of a leaving user pass to their successor, who answers for them now."""
        self._workflow_write({"requester_id": user.id})
        for request in self:
            note = request.company_id._archive_for_reader(request)
            note.message_post(
                body=note.env._("Handed over to %(user)s.", user=user.name), subtype_xmlid="mail.mt_note"
            )

    def action_open_decision_wizard(self):
        return self._action_open_wizard(
            "customer.archive.borrow.decision.wizard", self.env._("Decide"), "borrow_id"
        )

    def action_open_return_wizard(self):
        return self._action_open_wizard(
            "customer.archive.borrow.return.wizard", self.env._("Take Back"), "borrow_id"
        )

    def action_cancel(self):
        self._check_requester_or_group(
            OFFICER, self.env._("Only the requester or the archive office cancels a request.")
        )
        self._check_state("draft", "submitted", "approved")
        return self._approval_advance({"state": "cancelled"})

    def action_open_lend_wizard(self):
        """The hand-out form (the borrower signs, the officer confirms); refused at once to whoever
        could not hand the request out."""
        self._check_officer()
        self._check_state("approved")
        return self._action_open_wizard(
            "customer.archive.borrow.lend.wizard", self.env._("Hand Out"), "borrow_id"
        )

    def action_lend(self, borrower_signature=None, officer_signature=None):
        """Hand the archive out: registered and signed for (登记签名, 借阅流程).

        Takes the borrower's signature, made on the officer's screen at the counter, and the
        officer's countersignature (base64 images, as Odoo's signature widget gives them). Records
        the documents lent with their pages (``line_ids``), who handed out and when, and the due
        time. Raises AccessError for anyone but the archive office or on one's own request,
        UserError when a request is not approved, a signature is missing or not an image, the
        requests are several borrowers', a document asked for is recorded missing, or the archive
        is out under another request; then nothing changes."""
        self._check_officer()
        self._check_state("approved")
        self._check_level_kind()
        for request in self:
            # Approved before its level rose past what its approver decides: decided again.
            decider = request.approved_on_behalf_of_id or request.approver_id
            if decider and not decider.has_group(request._approval_group_xmlid()):
                raise UserError(
                    self.env._(
                        "%(name)s opens a more secret archive than when it was approved: it must be "
                        "submitted and approved again.",
                        name=request.name,
                    )
                )
        if len(self.requester_id) > 1:
            raise UserError(
                self.env._("Each borrower signs for their own loans: hand them out one borrower at a time.")
            )
        signatures = {
            "borrower_signature": self._checked_signature(
                borrower_signature, self.env._("The borrower signs for the archive before it is handed out.")
            ),
            "officer_signature": self._checked_signature(
                officer_signature, self.env._("The archive officer countersigns the hand-out.")
            ),
        }
        lent = {request: request._documents_to_lend() for request in self}
        self._lock_and_count_archives(+1)
        now = fields.Datetime.now()
        for request in self:
            request._check_not_lent_elsewhere()
            request._workflow_write(
                {
                    **signatures,
                    "state": "lent",
                    "lent_by_id": self.env.user.id,
                    "date_lent": now,
                    "date_due": request._due_when_lent(now),
                    "line_ids": [
                        fields.Command.create(
                            {"document_id": document.id, "sequence": index, "pages_lent": document.page_count}
                        )
                        for index, document in enumerate(lent[request], start=1)
                    ],
                }
            )
            if now < request.date_start:
                request._note_early_hand_out(now)
        return True

    def _checked_signature(self, signature, missing_message):
        """The signature ``signature`` (base64 text or bytes) when it is an image with something
        drawn on it; UserError with ``missing_message`` when it is empty or blank, and a clear
        UserError when it is not an image."""
        if not signature:
            raise UserError(missing_message)
        try:
            # Odoo's own image checks: an image PIL can read, of a reasonable size.
            image = ImageProcess(base64.b64decode(signature)).image
            if image:
                image.load()
        except (UserError, ValueError, OSError):
            image = None
        if not image:
            raise UserError(self.env._("A signature must be an image, as the signature pad gives it."))
        # A pad with nothing drawn gives a transparent (or white) image: that is no signature.
        paper = Image.new("RGBA", image.size, "white")
        paper.alpha_composite(image.convert("RGBA"))
        if not paper.convert("L").point(lambda value: 255 if value < 240 else 0).getbbox():
            raise UserError(missing_message)
        return signature if isinstance(signature, bytes) else signature.encode()

    def _documents_to_lend(self):
        """The documents a hand-out lends: those asked for, or every document of the archive that
        is not recorded missing. Raises UserError when a document asked for is recorded missing."""
        self.ensure_one()
        request = self.sudo()  # sudo: the loan's scope is the request's, whatever the officer's clearance
        missing = request.document_ids.filtered(lambda document: document.condition == "missing")
        if missing:
            raise UserError(
                self.env._(
                    "%(documents)s of %(name)s is recorded missing: it cannot be handed out.",
                    documents=", ".join(missing.mapped("display_name")),
                    name=self.name,
                )
            )
        documents = request.document_ids or request.archive_id.document_ids.filtered(
            lambda document: document.condition != "missing"
        )
        return documents.with_env(self.env)

    def _note_early_hand_out(self, now):
        """Say in the chatter that the archive was handed out before the requested start (times
        in the company's time zone, the note in the officer's or the company's language)."""
        self.ensure_one()
        note = self.company_id._archive_for_reader(self)
        tz = note.env.context["tz"]
        note.message_post(
            body=note.env._(
                "Handed out on %(lent)s, before the requested start of %(start)s.",
                lent=format_datetime(note.env, now, tz=tz),
                start=format_datetime(note.env, self.date_start, tz=tz),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _due_when_lent(self, now):
        """The loan's limit runs from the hand-out (``_loan_limit``): never later than the due time
        asked for, and never already past: a loan handed out after the working day, or after its
        requested due time, is due by the end of the next working day (or its level's limit)."""
        self.ensure_one()
        company = self.company_id
        limit = self._loan_limit(now, long_loan=self.allow_long_loan)
        # Handed out when no working time is left before the due time asked for (after the working
        # day, on a day off): the borrower has until the end of the next working day.
        working = self.date_due > now and company._archive_work_intervals(
            pytz.utc.localize(now), pytz.utc.localize(self.date_due)
        )
        if working:
            return min(self.date_due, limit) if limit else self.date_due
        return limit or company._archive_end_of_working_day(now)

    def _lock_and_count_archives(self, delta):
        """Change the lent count of the archives by one UPDATE (one step per request). It takes
        their row locks, and a second transaction lending the same archive meanwhile fails with a
        serialization error (then retried by Odoo) instead of lending it twice."""
        steps = Counter(request.archive_id.id for request in self)
        archives = self.archive_id
        self.env.cr.execute(
            SQL(
                """
                UPDATE customer_archive a
                   SET lent_count = GREATEST(a.lent_count + %(delta)s * s.requests, 0)
                  FROM (SELECT unnest(%(ids)s::int[]) AS id, unnest(%(counts)s::int[]) AS requests) s
                 WHERE a.id = s.id
                """,
                delta=delta,
                ids=list(steps),
                counts=list(steps.values()),
            )
        )
        # The counter changed in SQL: let the ORM know, so that it recomputes the stored flag.
        archives.invalidate_recordset(["lent_count"])
        archives.modified(["lent_count"])
        archives.flush_recordset(["is_lent"])

    def _check_not_lent_elsewhere(self):
        self.ensure_one()
        # sudo: a conflict must be found even in requests the officer cannot read
        others = self.sudo().search(  # sudo: conflicts in unreadable requests count
            [("archive_id", "=", self.archive_id.id), ("state", "=", "lent"), ("id", "!=", self.id)]
        )
        for other in others:
            if not self.document_ids or not other.document_ids or self.document_ids & other.document_ids:
                raise UserError(
                    self.env._(
                        "Archive %(archive)s (or the documents asked for) is already lent under %(request)s "
                        "and must come back first.",
                        archive=self.archive_id.number,
                        request=other.name,
                    )
                )

    def action_return(
        self,
        integrity_result=None,
        integrity_note=None,
        copy_count=None,
        copy_pages=None,
        damaged_document_ids=None,
        document_results=None,
    ):
        """Take the archive back and check it, document by document (检查完整性).

        Takes either ``document_results``, the check of each document lent (one request): a list
        of ``{"document_id": id, "integrity_result": "complete" | "damaged" | "missing",
        "pages_counted": n}``, a document not listed coming back complete with the pages lent; or
        one result for the whole loan: ``integrity_result`` (default complete) for every document
        lent, or only for ``damaged_document_ids`` among them. The request's result is derived
        from its documents' (missing when one is, else damaged when one is); damaged and missing
        documents take that condition and a repair is opened for each kind (拆旧破损应及时修复).
        ``integrity_note`` is required unless everything is complete; a photocopy needs
        ``copy_count``. Raises AccessError (not the archive office, one's own loan), UserError
        (not lent, results or pages that do not add up) or ValidationError (negative counts);
        then nothing changes."""
        self._check_officer()
        self._check_state("lent")
        if document_results is not None:
            if integrity_result or damaged_document_ids:
                raise UserError(
                    self.env._("Give the result of each document or one result for the whole loan, not both.")
                )
            self.ensure_one()
            whole = "complete"
            checks = {self: self._document_checks(document_results)}
        else:
            whole = integrity_result or "complete"
            if whole not in dict(INTEGRITY_RESULTS):
                raise UserError(self.env._("Unknown integrity check result."))
            checks = self._whole_loan_checks(whole, damaged_document_ids)
        results = {request: request._integrity_from(checks[request], whole) for request in self}
        if any(result != "complete" for result in results.values()) and not (integrity_note or "").strip():
            raise UserError(self.env._("Describe the damage or what is missing."))
        if any(value is not None and value < 0 for value in (copy_count, copy_pages)):
            raise ValidationError(self.env._("The number of copies and pages cannot be negative."))
        # Copies still out are counted from the photocopies' copy count: it is counted at the return.
        if any(request.request_type == "photocopy" for request in self) and not copy_count:
            raise UserError(self.env._("Count the copies made before taking back a photocopy request."))
        values = {
            "state": "returned",
            "received_by_id": self.env.user.id,
            "date_returned": fields.Datetime.now(),
            "integrity_note": integrity_note,
        }
        if copy_count is not None:
            values["copy_count"] = copy_count
        if copy_pages is not None:
            values["copy_pages"] = copy_pages
        for result in set(results.values()):
            requests = self.filtered(lambda request, result=result: results[request] == result)
            requests._workflow_write({**values, "integrity_result": result})
        for request in self:
            for line, (line_result, pages) in checks[request].items():
                line._workflow_write({"integrity_result": line_result, "pages_counted": pages})
        self._lock_and_count_archives(-1)
        for request in self:
            request._open_repairs(checks[request], results[request], integrity_note)
        self.activity_unlink(["customer_archive.mail_activity_type_borrow_overdue"])
        return True

    def _whole_loan_checks(self, result, damaged_document_ids=None):
        """The check of each document lent when the officer gives one ``result`` for the whole
        loan: every document, or only ``damaged_document_ids`` (one request) when named.
        Returns ``{request: {line: (result, pages counted)}}``."""
        damaged = self.env["customer.archive.document"].browse(damaged_document_ids or [])
        if damaged:
            self.ensure_one()
            if result == "complete":
                raise UserError(self.env._("Documents are named only when something is damaged or missing."))
            lent = self.sudo()._lent_documents()  # sudo: the loan's scope, whatever the officer's clearance
            if damaged - lent:
                raise UserError(self.env._("Only documents this request lent can be damaged or missing."))
        return {
            request: {
                line: request._line_check(
                    line, result if not damaged or line.document_id in damaged else "complete"
                )
                for line in request.line_ids
            }
            for request in self
        }

    def _document_checks(self, document_results):
        """The check of each document lent from ``document_results`` (see ``action_return``):
        ``{line: (result, pages counted)}``, the documents not named complete."""
        self.ensure_one()
        lines = {line.document_id.id: line for line in self.line_ids}
        checks = {line: self._line_check(line, "complete") for line in self.line_ids}
        named = set()
        for item in document_results:
            line = lines.get(item.get("document_id")) if isinstance(item, dict) else None
            if not line:
                raise UserError(self.env._("Only documents this request lent can be checked."))
            if line.document_id.id in named:
                raise UserError(
                    self.env._("%(document)s is checked twice.", document=line.document_id.display_name)
                )
            named.add(line.document_id.id)
            result = item.get("integrity_result") or "complete"
            if result not in dict(DOCUMENT_RESULTS):
                raise UserError(self.env._("Unknown integrity check result."))
            checks[line] = self._line_check(line, result, item.get("pages_counted"))
        return checks

    def _line_check(self, line, result, pages=None):
        """``(result, pages counted)`` of the document of ``line``: a missing document has no
        pages; the others have the pages lent unless counted otherwise, and a complete one has
        all of them. Raises UserError (ValidationError for a negative count) when they disagree."""
        document = line.document_id.display_name
        if pages is None or pages is False:
            pages = 0 if result == "missing" else line.pages_lent
        if isinstance(pages, bool) or not isinstance(pages, int):
            raise UserError(
                self.env._("Count the pages of %(document)s as a whole number.", document=document)
            )
        if pages < 0:
            raise ValidationError(self.env._("The number of pages cannot be negative."))
        if result == "missing" and pages:
            raise UserError(
                self.env._("%(document)s is missing: it has no pages to count.", document=document)
            )
        if result == "complete" and pages != line.pages_lent:
            raise UserError(
                self.env._(
                    "%(document)s was lent with %(lent)s pages and %(counted)s are counted: "
                    "it is not complete.",
                    document=document,
                    lent=line.pages_lent,
                    counted=pages,
                )
            )
        return result, pages

    @staticmethod
    def _integrity_from(checks, whole):
        """The loan's result from its documents' checks: missing when one is missing, else
        damaged when one is damaged; ``whole`` for a loan without documents recorded."""
        if not checks:
            return whole
        results = {result for result, _pages in checks.values()}
        return next((result for result in ("missing", "damaged") if result in results), "complete")

    def _open_repairs(self, checks, result, note):
        """A repair for the damaged documents and one for the missing ones (a loan without
        documents recorded: one for the whole loan). Returns the repairs."""
        self.ensure_one()
        Repair = self.env["customer.archive.repair"]
        if result == "complete":
            return Repair
        if not checks:
            return self._create_repair(result, note)
        repairs = Repair
        for kind in ("damaged", "missing"):
            lines = [line for line, (line_result, _pages) in checks.items() if line_result == kind]
            if lines:
                documents = self.env["customer.archive.document"].browse(
                    [line.document_id.id for line in lines]
                )
                repairs |= self._create_repair(kind, note, documents)
        return repairs

    def _lent_documents(self):
        """What the request lent: its documents lent, or (handed out without them recorded) the
        documents asked for, or the whole archive."""
        return self.line_ids.document_id or self.document_ids or self.archive_id.document_ids

    def _create_repair(self, integrity_result, note, documents=None):
        documents = documents or self._lent_documents()
        return self.env["customer.archive.repair"]._workflow_create(
            [
                {
                    "borrow_id": self.id,
                    "archive_id": self.archive_id.id,
                    "document_ids": [fields.Command.set(documents.ids)],
                    "kind": "missing" if integrity_result == "missing" else "damaged",
                    "description": note,
                }
            ]
        )

    def action_verify_copies(self):
        """The photocopies came back and were checked (核对影印件完整性)."""
        self._check_officer()
        self._check_state("returned")
        if any(request.request_type != "photocopy" for request in self):
            raise UserError(self.env._("Only photocopy requests have copies to verify."))
        self._workflow_write(
            {
                "copies_returned": True,
                "copies_verified_by_id": self.env.user.id,
                "date_copies_verified": fields.Datetime.now(),
            }
        )
        return self.action_close()

    def action_release_copies(self):
        """An approver lets the copies stay outside the company: the request can close without them."""
        self._check_state("returned", "lent", "approved")
        authorities = {request.id: request._approval_authority() for request in self}
        if any(request.request_type != "photocopy" for request in self):
            raise UserError(self.env._("Only photocopies can be released for outside use."))
        self._workflow_write(
            {
                "copies_may_leave": True,
                "copies_released_by_id": self.env.user.id,
                # The monthly report lists copies released after its cutoff as out at the cutoff.
                "date_copies_released": fields.Datetime.now(),
            }
        )
        self._approval_announce("release_copies", authorities)
        return True

    def _approval_decision_labels(self):
        return dict(
            super()._approval_decision_labels(),
            release_copies=self.env._("Copies released for use outside the company"),
        )

    def action_close(self):
        """Close the registration (注销登记)."""
        self._check_officer()
        self._check_state("returned")
        for request in self:
            if request.copies_out:
                raise UserError(
                    self.env._(
                        "The copies of %(name)s must be returned and verified, or released by an approver.",
                        name=request.name,
                    )
                )
        self._workflow_write({"state": "done"})
        return True

    # ------------------------------------------------------------------ overdue
    @api.model
    def _cron_notify_overdue(self, batch_size=200):
        """Flag loans past due (当天归还, A8): an activity for the borrower and for the officer who
        handed it out, each in their language with the due time in the company's time zone; the run
        ends with one digest e-mail per person listing them.

        Once per loan (``overdue_notified``), even after the activities are marked done. Handles one
        bounded batch and tells the cron runner what remains. Returns the requests of the batch."""
        activity_type = self.env.ref("customer_archive.mail_activity_type_borrow_overdue")
        requests, remaining = self.env["ir.cron"]._archive_batch(
            self,
            lambda company: [
                ("company_id", "=", company.id),
                ("is_overdue", "=", True),
                ("overdue_notified", "=", False),
            ],
            batch_size,
        )
        Activity = self.env["mail.activity"]
        Activity._archive_schedule(
            activity_type,
            [(request, request.requester_id | request.lent_by_id) for request in requests],
            lambda request: (
                request.env._("Overdue: %(name)s", name=request.name),
                request.env._(
                    "Archive %(number)s (request %(name)s) was due back on %(due)s and has not been "
                    "returned: it goes back to the archive office today.",
                    number=request.archive_id.number,
                    name=request.name,
                    due=format_datetime(request.env, request.date_due, tz=request.env.context.get("tz")),
                ),
            ),
            digest="customer_archive.ir_cron_borrow_overdue",
        )
        requests._workflow_write({"overdue_notified": True})
        self.env["ir.cron"]._archive_progress(
            len(requests), remaining, digest="customer_archive.ir_cron_borrow_overdue"
        )
        return requests
