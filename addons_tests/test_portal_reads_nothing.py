"""Issue 11: portal and public users read nothing of the archive card, archives or credit files,
their own company's included."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

CARD = [
    "owner_notes",
    "manager_notes",
    "competitor_relations",
    "credit_problems",
    "reputation",
    "trade_terms",
]
CREDIT = ["registered_address", "business_scope", "licence_number", "credit_exposure", "credit_grade_id"]


class TestPortalReadsNothing(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "西湖贸易", "is_company": True})
        cls.card = cls.env["customer.archive.card"].create(
            {"partner_id": cls.customer.id, "owner_notes": "Prefers green tea", "reputation": "good"}
        )
        contact = cls.env["res.partner"].create({"name": "王经理", "parent_id": cls.customer.id})
        cls.portal = new_test_user(cls.env, "pr_portal", groups="base.group_portal", partner_id=contact.id)
        cls.public = cls.env.ref("base.public_user")
        cls.internal = new_test_user(cls.env, "pr_internal", groups="base.group_user")
        cls.officer = new_test_user(cls.env, "pr_officer", groups="customer_archive.group_archive_officer")

    def test_portal_and_public_read_no_card_and_no_credit(self):
        for user in (self.portal, self.public):
            partner = self.customer.with_user(user)
            card = self.card.with_user(user)
            for name in CARD:
                with self.subTest(user=user.login, field=name), self.assertRaises(AccessError):
                    card.read([name])
            for name in ["archive_card_ids", *CREDIT]:
                with self.subTest(user=user.login, field=name), self.assertRaises(AccessError):
                    partner.read([name])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                partner.web_read({"archive_card_ids": {"fields": {"owner_notes": {}}}})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                partner.search([("archive_card_ids.owner_notes", "ilike", "tea")])
            for model in (
                "customer.archive",
                "customer.archive.document",
                "customer.archive.card",
                "customer.credit.evaluation",
            ):
                with self.subTest(user=user.login, model=model), self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([])
        # The portal user still reads the name of their own company; the archive office reads the
        # card (an employee without archive rights does not: see test_archive_card_scope.py).
        self.assertEqual(self.customer.with_user(self.portal).read(["name"])[0]["name"], "西湖贸易")
        self.assertEqual(self.card.with_user(self.officer).owner_notes, "Prefers green tea")
