"""The credit screens open for the roles that use them (views loaded, records read as shown)."""

from lxml import etree

from odoo import Command

from .credit_common import CreditCase


def _fields_of(arch):
    return {node.get("name") for node in etree.fromstring(arch).iter("field")}


class TestCreditScreens(CreditCase):
    def _open(self, user, records, view_types=("list", "form")):
        model = records.with_user(user)
        views = model.get_views([(False, view_type) for view_type in view_types])
        for view_type in view_types:
            names = [name for name in _fields_of(views["views"][view_type]["arch"]) if name in model._fields]
            spec = {name: {} for name in names}
            if view_type == "form":
                result = model.web_read(spec)
            else:
                result = model.web_search_read([("id", "in", records.ids)], spec)["records"]
            self.assertEqual(len(result), len(records), f"{records._name} {view_type} as {user.login}")

    def test_screens(self):
        self.customer.user_id = self.credit_user
        self.customer.with_user(self.credit_manager)._apply_credit_decision(100, 30, reason="start")
        self.invoice(self.customer, 500, days_ago=3)
        order = (
            self.env["sale.order"]
            .with_user(self.credit_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create({"product_id": self.product_a.id, "price_unit": 900, "tax_id": []})
                    ],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "credit_hold")
        application = (
            self.env["customer.credit.application"]
            .with_user(self.credit_user)
            .create({"partner_id": self.customer.id, "requested_limit": 1000, "reason": "more"})
        )
        evaluation = (
            self.env["customer.credit.evaluation"]
            .with_user(self.credit_officer)
            .create({"partner_id": self.customer.id, "scorecard_id": self.scorecard.id})
        )
        event = (
            self.env["customer.credit.event"]
            .with_user(self.credit_officer)
            .create({"partner_id": self.customer.id, "event_type": "dispute", "description": "Quality claim"})
        )
        self._open(self.credit_user, self.customer, ("form",))
        self._open(self.credit_user, order)
        self._open(self.credit_user, application)
        for user in (self.credit_officer, self.credit_manager):
            self._open(user, self.customer, ("form",))
            self._open(user, evaluation)
            self._open(user, event)
            self._open(user, application)
            self._open(user, order.sudo().credit_hold_ids)  # sudo: no credit rights in the test env
        self._open(self.credit_manager, self.grades, ("list",))
        self._open(self.credit_manager, self.scorecard)
