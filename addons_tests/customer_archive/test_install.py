from odoo.tests.common import TransactionCase


class TestInstall(TransactionCase):
    def test_both_addons_installed(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ("customer_archive", "customer_credit"))]
        )
        self.assertEqual(sorted(modules.mapped("state")), ["installed", "installed"])

    def test_credit_depends_on_archive_and_sale(self):
        credit = self.env["ir.module.module"].search([("name", "=", "customer_credit")])
        self.assertEqual(set(credit.dependencies_id.mapped("name")), {"customer_archive", "sale"})

    def test_default_categories_and_contract_checklist(self):
        categories = self.env["customer.archive.category"].search([])
        codes = set(categories.mapped("code"))
        self.assertLessEqual({"BAS", "TRA", "SRV", "CMP", "FBK", "REL", "CON", "CRD"}, codes)
        contract = self.env.ref("customer_archive.category_contract")
        self.assertEqual(
            contract.required_document_type_ids.mapped("code"),
            [f"1.{n}" for n in range(1, 12)],
        )
        self.assertTrue(contract.retention_permanent)
