"""Every model of both addons that holds company data has a multi-company record rule (issue 11)."""

from odoo.tests.common import TransactionCase

ADDONS = ("customer_archive", "customer_credit")


class TestMultiCompanyRules(TransactionCase):
    def test_every_model_with_a_company_has_a_company_rule(self):
        models = self.env["ir.model"].search([("modules", "!=", False)])
        checked, missing = [], []
        for ir_model in models:
            name = ir_model.model
            Model = self.env.get(name)
            if Model is None or Model._abstract or Model._transient or not Model._auto:
                continue
            field = Model._fields.get("company_id")
            if not field or not field.store:
                continue
            # Only the models our addons define (not the ones they extend, such as res.partner).
            if not set(ir_model.modules.split(", ")) & set(ADDONS) or Model._original_module not in ADDONS:
                continue
            checked.append(name)
            rules = (
                self.env["ir.rule"]
                .sudo()
                .search([("model_id", "=", ir_model.id), ("global", "=", True), ("active", "=", True)])
            )  # sudo: the rules themselves are what is checked
            if not any("company_ids" in (rule.domain_force or "") for rule in rules):
                missing.append(name)
        self.assertGreater(len(checked), 15, checked)
        self.assertFalse(missing, f"models with company data but no multi-company rule: {missing}")
