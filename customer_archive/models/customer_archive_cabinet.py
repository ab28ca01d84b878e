from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CustomerArchiveCabinet(models.Model):
    _name = "customer.archive.cabinet"
    _description = "Archive Cabinet"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "code"
    _rec_names_search = ["code", "name", "location"]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, tracking=True)
    location = fields.Char(tracking=True)
    capacity = fields.Integer(help="Number of archives the cabinet holds; 0 means no limit.", tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    # 文件柜锁匙分两份: one key for the archive office, a backup kept by the general manager.
    office_key_holder_id = fields.Many2one("res.users", tracking=True)
    backup_key_holder_id = fields.Many2one("res.users", tracking=True)
    archive_ids = fields.One2many("customer.archive", "cabinet_id", string="Archives")
    archive_count = fields.Integer(compute="_compute_archive_count")
    key_log_ids = fields.One2many("customer.archive.cabinet.key.log", "cabinet_id")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The cabinet code must be unique per company."),
    ]

    def copy(self, default=None):
        if self:
            # One record per physical cabinet, with its own code and keys.
            raise UserError(
                self.env._("A cabinet is registered once, with its own code and keys: create a new one.")
            )
        return super().copy(default)

    @api.depends("archive_ids")
    def _compute_archive_count(self):
        counts = dict(
            self.env["customer.archive"]._read_group(
                [("cabinet_id", "in", self.ids)], ["cabinet_id"], ["__count"]
            )
        )
        for cabinet in self:
            cabinet.archive_count = counts.get(cabinet, 0)

    def _check_room_for(self, archives):
        """Raise when filing ``archives`` would overfill a cabinet."""
        for cabinet in self.filtered("capacity"):
            held = (
                self.env["customer.archive"]
                .sudo()  # sudo: archives above clearance take room too
                .search_count(  # sudo: archives above clearance take room too
                    [("cabinet_id", "=", cabinet.id), ("id", "not in", archives.ids)]
                )
            )
            incoming = len(archives.filtered(lambda a, c=cabinet: a.cabinet_id == c))
            if held + incoming > cabinet.capacity:
                raise ValidationError(
                    self.env._(
                        "Cabinet %(cabinet)s holds at most %(capacity)s archives; it is full.",
                        cabinet=cabinet.display_name,
                        capacity=cabinet.capacity,
                    )
                )

    @api.depends("code", "name")
    def _compute_display_name(self):
        for cabinet in self:
            cabinet.display_name = f"[{cabinet.code}] {cabinet.name}" if cabinet.code else cabinet.name

    def action_view_archives(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_archive.customer_archive_action")
        action["domain"] = [("cabinet_id", "=", self.id)]
        action["context"] = {"default_cabinet_id": self.id}
        return action
