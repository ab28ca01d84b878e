from odoo import api, fields, models

from .customer_archive_access_logged_mixin import REGISTER


class CustomerArchiveMonthlyReportLine(models.Model):
    _name = "customer.archive.monthly.report.line"
    _description = "Monthly Lending Report Line"
    _inherit = ["customer.archive.access.logged.mixin"]
    _order = "report_id, days_overdue desc, id"
    _archive_access_log = REGISTER

    report_id = fields.Many2one(
        "customer.archive.monthly.report", required=True, ondelete="cascade", index=True
    )
    borrow_id = fields.Many2one("customer.archive.borrow", string="Request", required=True)
    kind = fields.Selection([("original", "Original"), ("copy", "Copy")], required=True)
    # Shown as text: the report goes to managers and executives whatever the level of each request.
    request_name = fields.Char(related="borrow_id.name", string="Request Reference")
    archive_number = fields.Char(related="borrow_id.archive_id.number", string="Archive Number")
    archive_id = fields.Many2one(related="borrow_id.archive_id")
    holder_id = fields.Many2one(related="borrow_id.requester_id", string="Holder")
    department_id = fields.Many2one(related="borrow_id.department_id")
    date_due = fields.Datetime(related="borrow_id.date_due")
    days_overdue = fields.Integer()
    location = fields.Char(compute="_compute_location", string="Where It Is")

    def _access_log_targets(self):
        return self.archive_id, self.env["customer.archive.document"]

    def _access_log_subjects(self):
        return self.archive_id

    @api.depends("kind", "borrow_id.request_type", "borrow_id.copies_may_leave")
    def _compute_location(self):
        for line in self:
            request = line.borrow_id
            if line.kind == "copy":
                line.location = (
                    self.env._("Outside the company (approved)")
                    if request.copies_may_leave
                    else self.env._("Inside the company")
                )
            elif request.request_type == "onsite":
                line.location = self.env._("Archive room")
            else:
                line.location = self.env._(
                    "Inside the company, with %(holder)s", holder=request.requester_id.name
                )
