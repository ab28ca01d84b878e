from datetime import timedelta

from odoo import Command, api, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.customer_credit.models.account_move import _Released
from odoo.tests import new_test_user


class CreditCase(AccountTestInvoicingCommon):
    """Real invoices, payments and sales orders on a company with a chart of accounts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        credit = "customer_credit.group_credit_%s"
        sales = "base.group_allow_export,sales_team.group_sale_salesman,customer_archive.group_archive_user,"
        cls.credit_user = new_test_user(
            cls.env, "cc_sales", groups=sales + credit % "user", name="Sales Zhang"
        )
        cls.credit_officer = new_test_user(
            cls.env, "cc_officer", groups=credit % "officer", name="Credit Officer Lin"
        )
        cls.credit_manager = new_test_user(
            cls.env, "cc_manager", groups=credit % "manager", name="Credit Manager He"
        )
        cls.customer = cls.env["res.partner"].create({"name": "华南电子", "is_company": True})
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        # The accounting test company is a new one: give it the default grades and scorecard.
        cls.scorecard = (
            cls.env.ref("customer_credit.scorecard_standard")
            .sudo()  # sudo: the accounting test user has no credit rights
            .copy({"company_id": cls.company.id})
        )
        Grade = cls.env["customer.credit.grade"].sudo()  # sudo: as above
        if not Grade.search_count([("company_id", "=", cls.company.id)]):
            for code in ("a", "b", "c"):
                grade = cls.env.ref(f"customer_credit.grade_{code}").sudo()  # sudo: as above
                grade.copy({"company_id": cls.company.id})
        cls.grades = Grade.search([("company_id", "=", cls.company.id)])

    def rpc_env(self, user):
        """An environment as an RPC request of ``user`` has: Odoo makes the lines of a partner's
        contacts (``child_ids`` commands) as the request's user (``uid_origin``), whom
        ``with_user`` does not change; the tests' own user would be checked instead."""
        return api.Environment(self.env.cr, user.id, dict(self.env.context))

    def credit_activities(self, partners, xmlid=None):
        """The activities the credit department gave about ``partners``: on their credit status,
        as stored (sudo), of the activity type ``xmlid`` if given."""
        domain = [
            ("res_model", "=", "customer.credit.collection"),
            (
                "res_id",
                "in",
                self.env["customer.credit.collection"]
                .sudo()
                .search([("partner_id", "in", partners.ids)])
                .ids,
            ),
        ]
        if xmlid:
            domain.append(("activity_type_id", "=", self.env.ref(xmlid).id))
        return self.env["mail.activity"].sudo().search(domain)  # sudo: every activity, as stored

    @classmethod
    def invoice(cls, partner, amount, days_ago=0, due_days=30, post=True):
        invoice_date = cls.today - timedelta(days=days_ago)
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_date_due": invoice_date + timedelta(days=due_days),
                "invoice_line_ids": [
                    Command.create({"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        if post:
            # A debt the customer already owes, whatever its credit now: posted as a credit manager's
            # release would post it (test_invoice_hold.py tests the credit check of posting).
            move.with_context(customer_credit_released=_Released(move.ids)).action_post()
        return move

    @classmethod
    def pay(cls, invoice, amount):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": cls.today})
            ._create_payments()
        )

    @classmethod
    def confirmed_order(cls, partner, amount):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product_a.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        return order
