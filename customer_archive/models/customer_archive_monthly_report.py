from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .customer_archive_access_logged_mixin import REGISTER


class CustomerArchiveMonthlyReport(models.Model):
    """每月5日前统计: originals and copies lent and not returned, for the general manager.

    One report per company and month, describing the situation at the start of the month.
    """

    _name = "customer.archive.monthly.report"
    _description = "Monthly Lending Report"
    _inherit = ["mail.thread", "customer.archive.access.logged.mixin"]
    _order = "month desc, company_id"
    _archive_access_log = REGISTER

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
    def _outstanding_rows(self, company, cutoff):
        """Everything out of the archive room at ``cutoff``, in one query whatever the volume:
        originals handed out and not yet back, and copies still out (``copies_out``) then."""
        self.env["customer.archive.borrow"].flush_model()
        self.env.cr.execute(
            SQL(
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
                   -- copies out now (their one definition), or verified only after the cutoff
                   AND (b.copies_out OR b.date_copies_verified > %(cutoff)s)
                 ORDER BY 3, 1
                """,
                company=company.id,
                cutoff=cutoff,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _cutoff_of(self, company, month):
        tz = company._archive_tz()
        return tz.localize(datetime.combine(month, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

    def _generate(self):
        """(Re)build the lines and the PDF of each report."""
        Line = self.env["customer.archive.monthly.report.line"]
        for report in self:
            cutoff = self._cutoff_of(report.company_id, report.month)
            rows = self._outstanding_rows(report.company_id, cutoff)
            report.line_ids.sudo().unlink()  # sudo: lines are rebuilt, never edited by hand
            Line.sudo().create(  # sudo: as above
                [
                    {
                        "report_id": report.id,
                        "borrow_id": borrow_id,
                        "kind": kind,
                        "days_overdue": max((cutoff - date_due).days, 0) if date_due else 0,
                    }
                    for borrow_id, kind, date_due in rows
                ]
            )
            report.write(
                {"cutoff": cutoff, "generated_on": fields.Datetime.now(), "generated_by_id": self.env.user.id}
            )
            report._attach_pdf()
        return True

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
        self.report_attachment_id = attachment

    def _send_to_executives(self):
        template = self.env.ref("customer_archive.mail_template_monthly_report")
        executives = (
            self.env["res.users"]
            ._archive_group_members("customer_archive.group_archive_executive")
            .partner_id
        )
        # One e-mail per executive, in their language; times in the company's time zone (the
        # template reads it from the company).
        for report in self:
            for partner in executives:
                lang = partner.lang or report.company_id._archive_lang()
                template.with_context(lang=lang).send_mail(
                    report.id,
                    email_values={
                        "recipient_ids": [fields.Command.set(partner.ids)],
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
        return self.create({"company_id": company.id, "month": month}), True

    @api.model
    def _cron_monthly_report(self, today=None):
        """Runs daily: from the 1st to the 5th, make this month's report of each company that lacks
        it, so that a server down on the 1st still reports by the 5th; a report is made once."""
        today = fields.Date.to_date(today) or fields.Date.context_today(self)
        if today.day > 5:
            return self.browse()
        month = today.replace(day=1)
        made = self.browse()
        for company in self.env["res.company"].search([]):
            report, created = self._get_or_create(company, month)
            if created:
                report._generate()
                report._send_to_executives()
                made |= report
        return made

    def action_open_pdf(self):
        self.ensure_one()
        return self.env.ref("customer_archive.action_report_monthly_lending").report_action(self)
