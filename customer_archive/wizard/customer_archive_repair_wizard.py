from odoo import api, fields, models


class CustomerArchiveRepairWizard(models.TransientModel):
    """Damage or loss the archive office finds outside a loan (an inventory, a folder opened in
    the archive room): recorded as a repair, as a loan's integrity check would
    (``customer.archive.repair._record_outside_loan``)."""

    _name = "customer.archive.repair.wizard"
    _description = "Record Damage to an Archive"
    # Names an archive for one action and discloses nothing: not in the access log.
    _archive_access_log = False

    archive_id = fields.Many2one("customer.archive", required=True)
    document_ids = fields.Many2many(
        "customer.archive.document",
        string="Documents Concerned",
        domain="[('archive_id', '=', archive_id)]",
        help="Leave empty when the folder itself is damaged.",
    )
    kind = fields.Selection(
        [("damaged", "Damaged"), ("missing", "Missing")], required=True, default="damaged"
    )
    description = fields.Text(required=True)

    @api.onchange("archive_id")
    def _onchange_archive_id(self):
        self.document_ids = self.document_ids.filtered(
            lambda document: document.archive_id == self.archive_id
        )

    def action_confirm(self):
        """Record the repair and open it."""
        self.ensure_one()
        repair = self.env["customer.archive.repair"]._record_outside_loan(
            self.archive_id, self.document_ids, self.kind, self.description
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": repair._name,
            "res_id": repair.id,
            "view_mode": "form",
            "target": "current",
        }
