from datetime import timedelta

from .test_exposure import ExposureCase


class TestScoresPaidLate(ExposureCase):
    """Average days late and share paid late count paid invoices (优秀客户 从未逾期付款)."""

    def pay_on(self, invoice, amount, day):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": day})
            ._create_payments()
        )

    def figures(self, partner):
        return (
            self.env["customer.credit.indicator"].with_company(self.company)._figures_for(partner)[partner.id]
        )

    def test_always_sixty_days_late_is_no_perfect_payer(self):
        late = self.env["res.partner"].create({"name": "慢付客户", "is_company": True})
        on_time = self.env["res.partner"].create({"name": "优秀客户", "is_company": True})
        for days_ago in (250, 180, 120):
            invoice = self.taxed_invoice(late, 1000, days_ago=days_ago)
            self.pay_on(invoice, 1130, invoice.invoice_date_due + timedelta(days=60))
            invoice = self.taxed_invoice(on_time, 1000, days_ago=days_ago)
            self.pay_on(invoice, 1130, invoice.invoice_date_due)
        self.assertEqual(self.figures(late)["average_days_late"], 60)
        self.assertEqual(self.figures(late)["overdue_share"], 1.0)
        self.assertEqual(self.figures(on_time)["average_days_late"], 0)
        self.assertEqual(self.figures(on_time)["overdue_share"], 0)
        indicators = self.scorecard.indicator_ids
        days = indicators.filtered(lambda indicator: indicator.computation == "average_days_late")
        share = indicators.filtered(lambda indicator: indicator.computation == "overdue_share")
        self.assertAlmostEqual(days._score_of(60), round(100 * (1 - 60 / days.full_score_value), 2))
        self.assertEqual(share._score_of(1.0), 0)
        self.assertEqual(days._score_of(0), 100)

    def test_open_and_partly_paid_invoices_count_until_today(self):
        customer = self.env["res.partner"].create({"name": "部分付款", "is_company": True})
        open_invoice = self.taxed_invoice(customer, 1000, days_ago=70)  # due 40 days ago, 1130
        self.pay_on(open_invoice, 500, self.today)  # partly paid: still open, 40 days late
        paid = self.taxed_invoice(customer, 3000, days_ago=100)  # due 70 days ago, 3390, paid 10 days late
        self.pay_on(paid, 3390, paid.invoice_date_due + timedelta(days=10))
        old = self.taxed_invoice(customer, 500, days_ago=500)  # due and paid before the last 12 months
        self.pay_on(old, 565, old.invoice_date_due + timedelta(days=90))  # not counted
        forgotten = self.taxed_invoice(customer, 100, days_ago=430)  # due 400 days ago, still open: counted
        figures = self.figures(customer)
        self.assertAlmostEqual(
            figures["average_days_late"], (1130 * 40 + 3390 * 10 + 113 * 400) / (1130 + 3390 + 113)
        )
        self.assertEqual(forgotten.amount_total, 113)
        self.assertAlmostEqual(figures["overdue_share"], 1.0)
        not_due = self.taxed_invoice(customer, 1000, days_ago=0)  # due in 30 days: not in the period yet
        self.assertTrue(not_due.invoice_date_due > self.today)
        self.assertAlmostEqual(self.figures(customer)["overdue_share"], 1.0)

    def test_evaluation_date_bounds_the_period(self):
        customer = self.env["res.partner"].create({"name": "去年客户", "is_company": True})
        invoice = self.taxed_invoice(customer, 1000, days_ago=100)  # due 70 days ago
        self.pay_on(invoice, 1130, invoice.invoice_date_due + timedelta(days=20))
        Indicator = self.env["customer.credit.indicator"].with_company(self.company)
        as_of_due = Indicator._figures_for(customer, date=invoice.invoice_date_due + timedelta(days=5))
        self.assertEqual(as_of_due[customer.id]["average_days_late"], 5)  # open then, 5 days late
        self.assertEqual(self.figures(customer)["average_days_late"], 20)
