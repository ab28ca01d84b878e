from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .customer_archive_access_logged_mixin import REGISTER

# Items a monthly report's PDF lists one by one (the most overdue); the summary per holder counts all.
PDF_LINES = 500


class CustomerArchiveMonthlyReport(models.Model):
    """每月5日前统计: originals and copies lent and not returned, for the general manager.

    One report per company and month, describing the situation at the start of the month.
    """

    _name = "customer.archive.monthly.report"
    _description = "Monthly Lending Report"
    _inherit = ["mail.thread", "customer.archive.access.logged.mixin", "customer.archive.workflow.mixin"]
    _order = "month desc, company_id"
    _archive_access_log = REGISTER
    # What the report says is what the scheduled action or a regeneration made: its month, cutoff,
    # lines, who made it and when, and its PDF (the file too) are written by them only.
    _held_file_fields = frozenset({"report_attachment_id"})
    # Every PDF it made, the ones e-mailed before a regeneration too.
    _held_attached_files = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    month = fields.Date(required=True, readonly=True, help="First day of the month reported on.")
    cutoff = fields.Datetime(readonly=True, help="The moment the report describes: the month's first minute.")
    line_ids = fields.One2many(
        "customer.archive.monthly.report.line", "report_id", string="Lines", readonly=True
    )
    line_count = fields.Integer(compute="_compute_line_count")
    generated_on = fields.Datetime(readonly=True)
    generated_by_id = fields.Many2one("res.users", readonly=True)
    report_attachment_id = fields.Many2one("ir.attachment", string="PDF", readonly=True)

    _sql_constraints = [
        (
            "company_month_uniq",
            "unique(company_id, month)",
            "There is one monthly report per company and month.",
        ),
    ]

    @api.depends("month", "company_id")
    def _compute_name(self):
        # A stored title, made by a scheduled action for other people: in the company's language.
        for report in self:
            company_env = report.with_context(lang=report.company_id._archive_lang()).env
            report.name = (
                company_env._("Lending report %(month)s", month=report.month.strftime("%Y-%m"))
                if report.month
                else ""
            )

    def _compute_line_count(self):
        counts = dict(
            self.env["customer.archive.monthly.report.line"]._read_group(
                [("report_id", "in", self.ids)], ["report_id"], ["__count"]
            )
        )
        for report in self:
            report.line_count = counts.get(report, 0)

    def _access_log_subjects(self):
        """A printed, exported or downloaded report discloses the archives out at its cutoff."""
        return self.line_ids.archive_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_workflow_fields(vals)
        return super().create(vals_list)

    def _check_workflow_fields(self, vals):
        # A module's data file, loaded by the system (the demo's report of last month, made and
        # then regenerated as the scheduled action does), names the company and the month too.
        if self.env.su and self.env.context.get("install_filename"):
            return None
        return super()._check_workflow_fields(vals)

    def write(self, vals):
        self._check_workflow_fields(vals)
        return super().write(vals)

    def unlink(self):
        if self:
            raise UserError(self.env._("Monthly reports are kept; regenerate one instead."))
        return super().unlink()

    def copy(self, default=None):
        if self:
            raise UserError(
                self.env._(
                    "Monthly reports are made by the scheduled action, one per month: regenerate one instead."
                )
            )
        return super().copy(default)

    # ------------------------------------------------------------------ data
    @api.model
    def _outstanding_query(self, company, cutoff):
        """The query of everything out of the archive room at ``cutoff``: originals handed out and
        not yet back, and copies still out (``copies_out``) then; rows (request id, kind, due)."""
        return SQL(
            """
            SELECT b.id, 'original' AS kind, b.date_due
              FROM customer_archive_borrow b
             WHERE b.company_id = %(company)s
               AND b.date_lent <= %(cutoff)s
               AND (b.date_returned IS NULL OR b.date_returned > %(cutoff)s)
            UNION ALL
            SELECT b.id, 'copy' AS kind, b.date_due
              FROM customer_archive_borrow b
             WHERE b.company_id = %(company)s
               AND b.date_returned <= %(cutoff)s
               -- copies out now (their one definition), or verified or released only after the cutoff
               AND (
                   b.copies_out
                   OR b.date_copies_verified > %(cutoff)s
                   OR b.date_copies_released > %(cutoff)s
               )
            """,
            company=company.id,
            cutoff=cutoff,
        )

    @api.model
    def _outstanding_rows(self, company, cutoff):
        """Everything out of the archive room at ``cutoff`` (``_outstanding_query``), in one query
        whatever the volume, ordered by due time."""
        self.env["customer.archive.borrow"].flush_model()
        self.env.cr.execute(SQL("%s ORDER BY 3, 1", self._outstanding_query(company, cutoff)))
        return self.env.cr.fetchall()

    @api.model
    def _cutoff_of(self, company, month):
        tz = company._archive_tz()
        return tz.localize(datetime.combine(month, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

    def _generate(self):
        """(Re)build the lines and the PDF of each report. The lines are written by one statement
        from ``_outstanding_query``: memory stays flat whatever is out; the PDF summarises per
        holder and lists the most overdue items (``_pdf_lines``)."""
        Line = self.env["customer.archive.monthly.report.line"]
        self.env["customer.archive.borrow"].flush_model()
        for report in self:
            cutoff = self._cutoff_of(report.company_id, report.month)
            # The lines are rebuilt, never edited: the old ones go in one statement too.
            Line.flush_model()
            self.env.cr.execute(
                SQL("DELETE FROM customer_archive_monthly_report_line WHERE report_id = %s", report.id)
            )
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO customer_archive_monthly_report_line
                           (report_id, borrow_id, kind, days_overdue, create_uid, write_uid,
                            create_date, write_date)
                    SELECT %(report)s, out.id, out.kind,
                           GREATEST(
                               COALESCE(FLOOR(EXTRACT(EPOCH FROM %(cutoff)s - out.date_due) / 86400), 0), 0
                           ),
                           %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                      FROM (%(outstanding)s) out
                    """,
                    report=report.id,
                    cutoff=cutoff,
                    uid=self.env.uid,
                    outstanding=self._outstanding_query(report.company_id, cutoff),
                )
            )
            Line.invalidate_model()
            report.invalidate_recordset(["line_ids", "line_count"])
            report._workflow_write(
                {"cutoff": cutoff, "generated_on": fields.Datetime.now(), "generated_by_id": self.env.user.id}
            )
            report._attach_pdf()
        return True

    def _pdf_summary(self):
        """What each holder has out (originals, copies, overdue, most days overdue), most overdue
        first: one query, one row per holder whatever the number of items."""
        self.ensure_one()
        self.env["customer.archive.monthly.report.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT b.requester_id,
                       COUNT(*) FILTER (WHERE l.kind = 'original'),
                       COUNT(*) FILTER (WHERE l.kind = 'copy'),
                       COUNT(*) FILTER (WHERE l.days_overdue > 0),
                       MAX(l.days_overdue)
                  FROM customer_archive_monthly_report_line l
                  JOIN customer_archive_borrow b ON b.id = l.borrow_id
                 WHERE l.report_id = %s
                 GROUP BY b.requester_id
                 ORDER BY 5 DESC, 1
                """,
                self.id,
            )
        )
        Users = self.env["res.users"]
        return [
            {
                "holder": Users.browse(holder_id),
                "originals": originals,
                "copies": copies,
                "overdue": overdue,
                "days_overdue": days,
            }
            for holder_id, originals, copies, overdue, days in self.env.cr.fetchall()
        ]

    def _pdf_lines_note(self, shown):
        """The PDF's sentence when it lists only the ``shown`` most overdue of its items."""
        self.ensure_one()
        return self.env._(
            "The %(shown)s most overdue of %(count)s items; every item is listed in Odoo "
            "(Customer Archives > Lending > Monthly Reports).",
            shown=shown,
            count=self.line_count,
        )

    def _pdf_lines(self):
        """The items the PDF lists one by one: the ``PDF_LINES`` most overdue (all of them in a
        usual month); every item stays in the report's lines in Odoo."""
        self.ensure_one()
        return self.env["customer.archive.monthly.report.line"].search(
            [("report_id", "=", self.id)], order="days_overdue desc, id", limit=PDF_LINES
        )

    def _attach_pdf(self):
        self.ensure_one()
        # Made for the general manager by a scheduled action: the company's language and time zone.
        company = self.company_id
        content, _type = (
            self.env["ir.actions.report"]
            .with_context(lang=company._archive_lang(), tz=company._archive_tz().zone)
            ._render_qweb_pdf("customer_archive.action_report_monthly_lending", self.ids)
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self.name}.pdf",
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )
        self._workflow_write({"report_attachment_id": attachment.id})

    def _send_to_executives(self):
        """E-mail each report to the executives (总经理) of its company (the administrator only when
        there is nobody else), one e-mail each in their language with the times in the company's
        time zone (``res.company._archive_for_reader``); the PDF is the company's."""
        template = self.env.ref("customer_archive.mail_template_monthly_report")
        for report in self:
            company = report.company_id
            executives = self.env["res.users"]._archive_addressees(
                "customer_archive.group_archive_executive", company
            )
            for user in executives:
                reader = company._archive_for_reader(report, user)
                template.with_context(lang=reader.env.lang, tz=reader.env.context["tz"]).send_mail(
                    report.id,
                    email_values={
                        "recipient_ids": [fields.Command.set(user.partner_id.ids)],
                        "attachment_ids": [fields.Command.set(report.report_attachment_id.ids)],
                    },
                )

    # ------------------------------------------------------------------ entry points
    def action_regenerate(self):
        if not self.env.user.has_group("customer_archive.group_archive_manager"):
            raise AccessError(self.env._("Only an archive manager regenerates a monthly report."))
        return self._generate()

    @api.model
    def _get_or_create(self, company, month):
        report = self.search([("company_id", "=", company.id), ("month", "=", month)])
        if report:
            return report, False
        return self._workflow_create([{"company_id": company.id, "month": month}]), True

    @api.model
    def _cron_monthly_report(self, today=None):
        """Runs daily: from the 1st to the 5th, make this month's report of each company that lacks
        it, so that a server down on the 1st still reports by the 5th; a report is made once."""
        made = self.browse()
        for company in self.env["res.company"].search([]):
            # Each company's own today (its calendar's time zone), not the server's.
            day = fields.Date.to_date(today) or company._archive_today()
            if day.day > 5:
                continue
            month = day.replace(day=1)
            report, created = self._get_or_create(company, month)
            if created:
                report._generate()
                report._send_to_executives()
                made |= report
        return made

    def action_open_pdf(self):
        self.ensure_one()
        return self.env.ref("customer_archive.action_report_monthly_lending").report_action(self)
