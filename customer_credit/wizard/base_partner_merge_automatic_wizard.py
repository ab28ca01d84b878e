from odoo import models
from odoo.exceptions import AccessError, UserError

CREDIT_MANAGER = "customer_credit.group_credit_manager"
# The records of credit decisions about a partner (信用授予规则): none may be on a contact.
DECISION_MODELS = (
    "customer.credit.limit.history",
    "customer.credit.evaluation",
    "customer.credit.application",
)


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        """Odoo moves the merged partners' credit data (limit history, evaluations, applications,
        holds) and their orders and invoices to the kept partner, in SQL: no write of a partner or
        an order runs. So the rules of moving them apply here: changing a salesperson
        (``res.partner._credit_check_salesperson_change``), taking debts out of a customer under
        credit control (refused, as ``_credit_check_debtor_change``), and bringing debts into one
        (``_credit_check_debts_moved``). The system and credit managers pass."""
        src_partners._credit_check_salesperson_change({"user_id": dst_partner.user_id.id})
        self._credit_check_debts_leaving(src_partners, dst_partner)
        before = src_partners._credit_exposure_before_move({"parent_id": dst_partner.id})
        result = super()._update_foreign_keys(src_partners, dst_partner)
        src_partners._credit_check_debts_moved(before)
        return result

    def _update_values(self, src_partners, dst_partner):
        """Odoo merges the partners' values into the kept one after their credit data moved to it
        (``_update_foreign_keys``). Credit decisions are made on customers in their own right
        (信用授予规则): a merge that leaves decisions (limit history, evaluations, applications) on a
        contact is refused (UserError, the whole merge undone); a customer kept gets the limit and
        term of its latest decision (``res.partner._credit_restore_decided_terms``), not one merged in."""
        result = super()._update_values(src_partners, dst_partner)
        kept = dst_partner.sudo()  # sudo: what the merge left, whoever merges
        if kept.commercial_partner_id != kept:
            Models = [self.env[model].sudo() for model in DECISION_MODELS]  # sudo: any decision
            decided = any(Model.search_count([("partner_id", "=", kept.id)], limit=1) for Model in Models)
            if decided:
                raise UserError(
                    self.env._(
                        "%(partner)s is a contact of %(customer)s: once merged, credit decisions (limit "
                        "history, evaluations, applications) would be on a contact. Merge into the customer "
                        "instead.",
                        partner=kept.name,
                        customer=kept.commercial_partner_id.name,
                    )
                )
        kept._credit_restore_decided_terms()
        return result

    def _credit_check_debts_leaving(self, src_partners, dst_partner):
        """Refuse (AccessError) merging partners whose debts count on a customer under credit
        control into a partner outside that customer's credit (信用授予规则, C8): its orders and
        invoices would leave its limit and hold. The system and credit managers pass."""
        if self.env.su or self.env.user.has_group(CREDIT_MANAGER):
            return
        Partner = self.env["res.partner"]
        for company in self.env.user.company_ids:
            merged = (src_partners | dst_partner).sudo()  # sudo: which customers control them, whoever merges
            debtor_of = merged._credit_debtor(company)
            leaving = {debtor_of[partner.id] for partner in src_partners} - {debtor_of[dst_partner.id]}
            leaving = Partner.browse(leaving).sudo()  # sudo: under control? whoever merges
            if leaving._credit_unseen():
                # Another's customer refuses alike, controlled or not (the refusal tells nothing).
                raise AccessError(
                    self.env._(
                        "%(partners)s belong to a customer whose credit you do not see: only a credit "
                        "manager merges them into another customer.",
                        partners=", ".join(src_partners.mapped("display_name")),
                    )
                )
            if leaving._credit_managed(company):
                raise AccessError(
                    self.env._(
                        "%(partners)s belong to a customer under credit control: only a credit "
                        "manager merges them into another customer.",
                        partners=", ".join(src_partners.mapped("display_name")),
                    )
                )
