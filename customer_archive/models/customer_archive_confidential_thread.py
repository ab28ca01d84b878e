from odoo import models


class CustomerArchiveConfidentialThread(models.AbstractModel):
    """The chatter of a record with a confidentiality level (密级): nobody below the level is
    notified or e-mailed about it, whoever is named on a message. Followers and activities are
    kept within the level by ``mail.followers`` and ``mail.activity`` themselves.

    It inherits ``mail.thread`` so that its override comes before mail.thread's in every model
    that lists both."""

    _name = "customer.archive.confidential.thread"
    _description = "Customer Archive Confidential Chatter"
    _inherit = ["mail.thread"]

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        rank = max(self.sudo().mapped("confidentiality_rank") or [0])  # sudo: the level only
        if not recipients or rank <= 1:
            return recipients
        Partner = self.env["res.partner"]
        partners = Partner.browse([data["id"] for data in recipients])
        cleared = self.env["customer.archive.confidentiality.mixin"]._partners_cleared_for_rank(
            partners, rank
        )
        return [data for data in recipients if data["id"] in cleared.ids]
