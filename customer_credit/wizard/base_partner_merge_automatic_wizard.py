from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        """Odoo moves the merged partners' credit data (limit history, evaluations, applications,
        holds) to the kept partner: that hands their credit file to its salesperson, so the rule
        of changing a salesperson applies (``res.partner._credit_check_salesperson_change``)."""
        src_partners._credit_check_salesperson_change({"user_id": dst_partner.user_id.id})
        return super()._update_foreign_keys(src_partners, dst_partner)
