from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class CustomerArchiveHandoverWizard(models.TransientModel):
    """Pass everything a leaving user holds in the archive office to another user."""

    _name = "customer.archive.handover.wizard"
    _description = "Archive Handover"

    from_user_id = fields.Many2one("res.users", string="Leaving User", required=True)
    to_user_id = fields.Many2one(
        "res.users", string="Taken Over By", required=True, domain="[('share', '=', False)]"
    )

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("customer_archive.group_archive_manager"):
            raise AccessError(self.env._("Handovers are recorded by an archive manager."))
        if self.from_user_id == self.to_user_id:
            raise UserError(self.env._("Hand over to someone else."))
        holdings = self.from_user_id._archive_holdings()
        archives, lent, requests, shares, activities, cabinets = holdings.values()
        to_user = self.to_user_id
        # The holdings were found as superuser: the manager reassigns everything, whatever its level.
        archives.write({"user_id": to_user.id})
        (lent | requests)._handover_to(to_user)
        shares._workflow_write({"requester_id": to_user.id})
        activities.write({"user_id": to_user.id})
        for cabinet in cabinets:
            values = {}
            if cabinet.office_key_holder_id == self.from_user_id:
                values["office_key_holder_id"] = to_user.id
            if cabinet.backup_key_holder_id == self.from_user_id:
                values["backup_key_holder_id"] = to_user.id
            cabinet.write(values)
        summary = "\n".join(f"{label}: {len(records)}" for label, records in holdings.items())
        self.env["customer.archive.handover"].sudo()._workflow_create(  # sudo: only handovers write it
            [
                {
                    "from_user_id": self.from_user_id.id,
                    "to_user_id": to_user.id,
                    "done_by_id": self.env.user.id,
                    "date": fields.Datetime.now(),
                    "summary": summary,
                }
            ]
        )
        return {"type": "ir.actions.act_window_close"}
