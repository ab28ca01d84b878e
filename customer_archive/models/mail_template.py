from odoo import models
from odoo.exceptions import AccessError


def command_ids(commands):
    """The record ids an x2many value links: ids, (4, id) and (6, 0, ids) commands."""
    ids = []
    for command in commands or ():
        if isinstance(command, int):
            ids.append(command)
        elif isinstance(command, list | tuple) and command and command[0] == 4:
            ids.append(command[1])
        elif isinstance(command, list | tuple) and command and command[0] == 6:
            ids.extend(command[2])
    return ids


class MailTemplate(models.Model):
    _inherit = "mail.template"

    def send_mail_batch(
        self, res_ids, force_send=False, raise_exception=False, email_values=None, email_layout_xmlid=False
    ):
        """Odoo creates the e-mails as superuser with the caller's ``email_values``: any file linked
        by id (a reminder letter, a grant notice of another salesperson's customer) went out to any
        address, and the e-mail could be filed on any record. The files must be readable by the
        user, and the record one they may post on. Raises AccessError otherwise."""
        if email_values and not self.env.su:
            files = command_ids(email_values.get("attachment_ids"))
            if files:
                self.env["ir.attachment"].browse(files).check_access("read")
            model, res_id = email_values.get("model"), email_values.get("res_id")
            if model or res_id:
                if model not in self.env or not res_id:
                    raise AccessError(self.env._("An e-mail is filed on a record you may post on."))
                record = self.env[model].browse(res_id)
                record.check_access(getattr(record, "_mail_post_access", "write"))
        return super().send_mail_batch(
            res_ids,
            force_send=force_send,
            raise_exception=raise_exception,
            email_values=email_values,
            email_layout_xmlid=email_layout_xmlid,
        )
