from odoo import models

ADDONS = ("customer_archive", "customer_credit")


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        """Odoo moves the partners' archives, documents and credit data to the kept partner in SQL;
        the values our record rules read (salesperson, customer, company) are stored computed from
        those partners, so they are recomputed here: after a merge the kept partner's salesperson
        sees the archives and the old one does not."""
        # Merging is handing the merged partners' archives to the kept partner's salesperson: the
        # same rule as changing their salesperson (a salesperson does not merge another's customer
        # into their own to read its archives).
        src_partners.filtered(lambda p: p.user_id != dst_partner.user_id)._archive_check_salesperson_change(
            {"user_id": dst_partner.user_id.id}
        )
        # A customer has one archive card: the merged partners' cards are folded into the kept one's.
        self.env["customer.archive.card"]._merge_into(src_partners, dst_partner)
        result = super()._update_foreign_keys(src_partners, dst_partner)
        self.env.invalidate_all()
        for Model in self.env.registry.values():
            if Model._abstract or Model._transient or not Model._auto or Model._original_module not in ADDONS:
                continue
            fields = [
                name
                for name, field in Model._fields.items()
                if field.type == "many2one" and field.comodel_name == "res.partner" and field.store
            ]
            if not fields:
                continue
            records = (
                self.env[Model._name]
                .sudo()  # sudo: every record the merge moved, whoever merges
                .with_context(active_test=False)
                .search(["|"] * (len(fields) - 1) + [(name, "=", dst_partner.id) for name in fields])
            )
            records.modified(fields)
        self.env.flush_all()
        return result
