from odoo import api, fields, models
from odoo.tools import format_datetime


class CustomerArchiveCabinetKeyLog(models.Model):
    """One use of a cabinet key. Entries are evidence: never changed nor deleted."""

    _name = "customer.archive.cabinet.key.log"
    _description = "Cabinet Key Log"
    _inherit = ["customer.archive.evidence.mixin"]
    _order = "date desc, id desc"
    # The officer logs each use of a key (锁匙使用登记): the cabinet, the key and why.
    _evidence_entered_fields = frozenset({"cabinet_id", "key", "purpose"})
    # Data files record past key uses, with who and when.
    _evidence_superuser_creates = True

    cabinet_id = fields.Many2one("customer.archive.cabinet", required=True, index=True)
    company_id = fields.Many2one(related="cabinet_id.company_id", store=True)
    key = fields.Selection(
        [("office", "Archive Office Key"), ("backup", "General Manager's Backup Key")],
        string="Key Used",
        required=True,
        default="office",
    )
    user_id = fields.Many2one(
        "res.users", string="Used By", required=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    purpose = fields.Char(required=True)

    @api.depends("cabinet_id.code", "key", "date")
    @api.depends_context("lang", "tz")
    def _compute_display_name(self):
        # Which cabinet, which key, when (S1 · 内勤部锁匙 · 2026年11月30日 09:12:00): a key log
        # entry has no name of its own.
        keys = dict(self._fields["key"]._description_selection(self.env))
        for log in self:
            when = log.date and format_datetime(self.env, log.date, tz=self.env.context.get("tz"))
            parts = [log.cabinet_id.code, keys.get(log.key), when]
            log.display_name = " · ".join(part for part in parts if part)

    @api.model
    def _evidence_stamp(self):
        # The user and the time are the real ones, never chosen.
        return {"user_id": self.env.user.id, "date": fields.Datetime.now()}

    @api.model_create_multi
    def create(self, vals_list):
        logs = super().create(vals_list)
        logs.filtered(lambda log: log.key == "backup")._notify_backup_key_use()
        return logs

    def _notify_backup_key_use(self):
        """用备份锁匙取文件柜资料，须知会内勤部经理: tell the archive office managers of the cabinet's
        company (``res.users._archive_office_managers``: not the executives, and not whoever used
        the key) with a to-do each, in their language, the time of use in the company's time zone;
        the cabinet's chatter keeps a note of it in the language of whoever logs the use (the
        company's when the system does). Returns the activities."""
        activity_type = self.env.ref("customer_archive.mail_activity_type_backup_key")
        Users = self.env["res.users"]
        activities = self.env["mail.activity"]
        for log in self:
            company = log.cabinet_id.company_id
            cabinet = log.cabinet_id.sudo()  # sudo: officers log key uses but may not edit cabinets
            cabinet.message_post(
                body=company._archive_for_reader(log)._backup_key_message(),
                subtype_xmlid="mail.mt_note",
            )
            for manager in Users._archive_office_managers(company) - log.user_id:
                reader = company._archive_for_reader(log, manager)
                activities |= cabinet.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=reader.env._("Backup key used on cabinet %(cabinet)s", cabinet=cabinet.code),
                    note=reader._backup_key_message(),
                    user_id=manager.id,
                    date_deadline=fields.Date.context_today(reader),
                )
        return activities

    def _backup_key_message(self):
        """The use of the backup key, told in this record's language and time zone (context)."""
        self.ensure_one()
        return self.env._(
            "The backup key of cabinet %(cabinet)s was used by %(user)s on %(date)s: %(purpose)s",
            cabinet=self.cabinet_id.display_name,
            user=self.user_id.name,
            date=format_datetime(self.env, self.date, tz=self.env.context.get("tz")),
            purpose=self.purpose,
        )
