from odoo.addons.customer_credit.models.customer_credit_dashboard import COMMERCIAL_ENTITIES
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase
from odoo.tools.safe_eval import safe_eval


class TestCreditShell(TransactionCase):
    def test_groups_imply_the_lower_ones(self):
        manager = self.env.ref("customer_credit.group_credit_manager")
        officer = self.env.ref("customer_credit.group_credit_officer")
        user = self.env.ref("customer_credit.group_credit_user")
        self.assertIn(officer, manager.implied_ids)
        self.assertIn(user, officer.implied_ids)
        self.assertEqual(
            {manager.category_id, officer.category_id, user.category_id},
            {self.env.ref("customer_credit.module_category_customer_credit")},
        )

    def test_menu_shown_to_credit_users_only(self):
        root = self.env.ref("customer_credit.customer_credit_menu_root")
        credit_user = new_test_user(self.env, "cc_user", groups="customer_credit.group_credit_user")
        plain_user = new_test_user(self.env, "cc_plain", groups="base.group_user")
        visible = self.env["ir.ui.menu"].with_user(credit_user)._visible_menu_ids()
        self.assertIn(root.id, visible)
        self.assertNotIn(root.id, self.env["ir.ui.menu"].with_user(plain_user)._visible_menu_ids())
        # Its Customers entry opens companies and individuals, not their contacts.
        action = self.env.ref("customer_credit.customer_credit_partner_action")
        self.assertEqual(action.res_model, "res.partner")
        # the customers the overview counts: a subsidiary with its own decision is one of them
        self.assertEqual(safe_eval(action.domain), COMMERCIAL_ENTITIES)
        Partner = self.env["res.partner"]
        group = Partner.create({"name": "菜单集团", "is_company": True})
        subsidiary = Partner.create({"name": "菜单集团 分公司", "is_company": True, "parent_id": group.id})
        contact = Partner.create({"name": "菜单 联系人", "parent_id": subsidiary.id})
        listed = Partner.search([*safe_eval(action.domain), ("id", "in", (group | subsidiary | contact).ids)])
        self.assertEqual(listed, group | subsidiary)
        self.assertIn(self.env.ref("customer_credit.customer_credit_partner_menu").id, visible)
