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
        archives, lent, requests, shares, activities, cabinets, customers = holdings
        to_user = self.to_user_id
        # The successor must be able to read every archive they now answer for.
        held = archives | customers.customer_archive_ids.filtered(lambda a: a.state != "destroyed")
        above = held.filtered(lambda archive: archive.confidentiality_rank > to_user.archive_clearance_rank)
        if above:
            raise UserError(
                self.env._(
                    "%(user)s is not cleared for every archive handed over (%(archives)s): "
                    "raise their clearance first.",
                    user=to_user.name,
                    archives=", ".join(above.mapped("number")[:10]),
                )
            )
        # The holdings were found as superuser: the manager reassigns everything, whatever its level.
        archives.write({"user_id": to_user.id})
        # The customers' salesperson is the archives' scope: nobody's archives are left unseen.
        customers.write({"user_id": to_user.id})
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
        labels = self.from_user_id._archive_holdings_labels()
        counts = (f"{label}: {len(records)}" for label, records in zip(labels, holdings, strict=True))
        summary = "\n".join(counts)
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
