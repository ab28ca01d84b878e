from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .test_exposure import ExposureCase

BUCKETS = ["not_due", "days_1_30", "days_31_60", "days_61_90", "days_over_90"]


class TestAgeing(ExposureCase):
    """Real invoices, payments and a credit note around a report date D (10 days ago):
    - 华南 (A): 1,130 due D-70 (400 paid at D-50, 300 more after D) and 565 due D+10;
    - 华北 (B): 2,260 due D-100 and a credit note of 226 due D-10;
    - 华西 (C): 1,130 EUR due D-35, 565 EUR paid at D-20 at another rate;
    - an invoice dated after D and a draft, which D does not count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.D = cls.today - timedelta(days=10)
        D = cls.D
        cls.env["res.currency.rate"].create(
            {
                "currency_id": cls.eur.id,
                "name": D - timedelta(days=30),
                "rate": 2.5,
                "company_id": cls.company.id,
            }
        )
        Partner = cls.env["res.partner"]
        cls.a = Partner.create({"name": "华南电子 A", "is_company": True, "user_id": cls.credit_user.id})
        cls.b = Partner.create({"name": "华北重工 B", "is_company": True})
        cls.c = Partner.create({"name": "华西贸易 C", "is_company": True})
        cls.a1 = cls.document(cls.a, 1000, D - timedelta(days=100), D - timedelta(days=70))
        cls.register(cls.a1, 400, D - timedelta(days=50))
        cls.register(cls.a1, 300, D + timedelta(days=5))  # after D
        cls.a2 = cls.document(cls.a, 500, D - timedelta(days=20), D + timedelta(days=10))
        cls.b1 = cls.document(cls.b, 2000, D - timedelta(days=130), D - timedelta(days=100))
        cls.b_refund = cls.document(
            cls.b, 200, D - timedelta(days=10), D - timedelta(days=10), move_type="out_refund"
        )
        cls.c1 = cls.document(cls.c, 1000, D - timedelta(days=40), D - timedelta(days=35), currency=cls.eur)
        cls.register(cls.c1, 565, D - timedelta(days=20), currency=cls.eur)
        cls.document(cls.a, 9000, D + timedelta(days=2), D + timedelta(days=30))  # after D
        cls.document(cls.b, 7000, D - timedelta(days=5), D, post=False)  # draft

    @classmethod
    def document(cls, partner, amount, date, due, move_type="out_invoice", currency=None, post=True):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": date,
                "date": date,
                "invoice_date_due": due,
                **({"currency_id": currency.id} if currency else {}),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Goods",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.set(cls.vat.ids)],
                        }
                    )
                ],
            }
        )
        if post:
            from odoo.addons.customer_credit.models.account_move import _Released

            move.with_context(customer_credit_released=_Released(move.ids)).action_post()
        return move

    @classmethod
    def register(cls, invoice, amount, date, currency=None):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": amount,
                    "payment_date": date,
                    **({"currency_id": currency.id} if currency else {}),
                }
            )
            ._create_payments()
        )

    def ageing(self, date, user=None):
        return (
            self.env["customer.credit.ageing"]
            .with_user(user or self.credit_officer)
            .with_context(ageing_date=str(date), ageing_company_id=self.company.id)
        )

    def by_partner(self, date):
        return {partner.id: values for partner, values in self.ageing(date)._ageing_by_partner()}

    def receivable_balance(self, date, partner=None):
        """What the accounting says: the balance of posted receivable lines dated up to ``date``."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(l.balance), 0)
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                 WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted'
                   AND l.company_id = %s AND l.date <= %s AND %s
                """,
                self.company.id,
                date,
                SQL("l.partner_id = %s", partner.id) if partner else SQL("TRUE"),
            )
        )
        return self.env.cr.fetchone()[0]

    def assertBuckets(self, values, **expected):
        for bucket in BUCKETS:
            with self.subTest(bucket=bucket):
                self.assertAlmostEqual(values[bucket], expected.get(bucket, 0.0), places=2)
        self.assertAlmostEqual(values["residual"], sum(expected.values()), places=2)

    def test_buckets_at_a_past_date(self):
        rows = self.by_partner(self.D)
        # 1,130 less the 400 paid by D (the 300 paid after D still owed then), 70 days overdue.
        self.assertBuckets(rows[self.a.id], days_61_90=1130 - 400, not_due=565)
        self.assertBuckets(rows[self.b.id], days_over_90=2260, days_1_30=-226)
        # The foreign invoice, 35 days overdue: 1,130 EUR booked at 2.0, 565 EUR paid at 2.5. The
        # accounting books the exchange difference of the payment in its own entry, which Odoo dates
        # at the end of the payment's month once that month is over: D counts it only if it is dated
        # by then (what "today" is decides it, so the test computes both cases by hand).
        c_line = self.c1.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        self.assertAlmostEqual(c_line.amount_residual_currency, 565)
        expected = 1130 / 2.0 - 565 / 2.5
        exchange = c_line.matched_credit_ids.exchange_move_id
        self.assertTrue(exchange, "the payment at another rate makes an exchange difference entry")
        if exchange.date <= self.D:
            expected -= 565 / 2.0 - 565 / 2.5
        self.assertBuckets(rows[self.c.id], days_31_60=expected)
        self.assertAlmostEqual(rows[self.c.id]["residual"], self.receivable_balance(self.D, self.c), places=2)

    def test_buckets_today(self):
        rows = self.by_partner(self.today)
        self.assertBuckets(rows[self.a.id], days_61_90=1130 - 700, not_due=565 + 9000 * 1.13)
        self.assertBuckets(rows[self.b.id], days_over_90=2260, days_1_30=-226)

    def test_the_total_is_the_receivable_balance(self):
        for date in (self.D - timedelta(days=60), self.D, self.D + timedelta(days=5), self.today):
            with self.subTest(date=date):
                total = sum(values["residual"] for values in self.by_partner(date).values())
                self.assertAlmostEqual(total, self.receivable_balance(date), places=2)
                rows = self.ageing(date).search_read([], ["residual", "company_id", "ageing_date"])
                self.assertAlmostEqual(
                    sum(row["residual"] for row in rows), float(self.receivable_balance(date)), 2
                )
                self.assertTrue(all(row["ageing_date"] == date for row in rows))
        # Read at two dates in one transaction, a line is two rows with their own amounts.
        a1 = self.a1.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        then = self.ageing(self.D).search([("move_line_id", "=", a1.id)])
        now = self.ageing(self.today).search([("move_line_id", "=", a1.id)])
        self.assertEqual((then.residual, now.residual), (730, 430))

    def test_list_and_pivot(self):
        groups = self.ageing(self.D).read_group(
            [("partner_id", "=", self.b.id)], ["residual:sum"], ["bucket"]
        )
        self.assertEqual(
            {group["bucket"]: round(group["residual"], 2) for group in groups},
            {"days_over_90": 2260, "days_1_30": -226},
        )
        wizard = (
            self.env["customer.credit.ageing.wizard"].with_user(self.credit_officer).create({"date": self.D})
        )
        action = wizard.action_open()
        self.assertEqual(action["res_model"], "customer.credit.ageing")
        self.assertEqual(action["context"]["ageing_date"], str(self.D))

    def test_the_credit_tab_shows_todays_buckets(self):
        a = self.a.with_user(self.credit_officer)
        self.assertAlmostEqual(a.credit_ageing_61_90, 430, places=2)
        self.assertAlmostEqual(a.credit_ageing_not_due, 565 + 9000 * 1.13, places=2)
        self.assertEqual((a.credit_ageing_1_30, a.credit_ageing_31_60, a.credit_ageing_over_90), (0, 0, 0))
        self.assertAlmostEqual(self.b.with_user(self.credit_officer).credit_ageing_over_90, 2260, places=2)
        # A contact shows its company's.
        contact = self.env["res.partner"].create({"name": "王经理", "parent_id": self.b.id})
        self.assertAlmostEqual(contact.with_user(self.credit_officer).credit_ageing_over_90, 2260, places=2)

    def test_sales_staff_do_not_read_the_ageing(self):
        with self.assertRaises(AccessError):
            self.ageing(self.D, self.credit_user).search([])
        with self.assertRaises(AccessError):
            self.a.with_user(self.credit_user).read(["credit_ageing_61_90"])
        with self.assertRaises(AccessError):
            self.env["customer.credit.ageing.wizard"].with_user(self.credit_user).create({"date": self.D})

    def test_the_pdf(self):
        wizard = (
            self.env["customer.credit.ageing.wizard"].with_user(self.credit_officer).create({"date": self.D})
        )
        report = self.env.ref("customer_credit.action_report_customer_credit_ageing").with_user(
            self.credit_officer
        )
        html = report._render_qweb_html(report.report_name, wizard.ids)[0].decode()
        for name in (self.a.name, self.b.name, self.c.name):
            self.assertIn(name, html)
        self.assertIn("Receivables Ageing", html)
        self.assertIn("2,260.00", html)
        self.assertIn("730.00", html)
        total = self.receivable_balance(self.D)
        self.assertIn(f"{total:,.2f}", html)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, wizard.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
