from datetime import date, timedelta

from odoo import Command
from odoo.addons.customer_credit.models.account_move import _Released
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user
from odoo.tools import SQL

from .test_exposure import ExposureCase


def last_complete_half(today):
    """(first day, last day) of the last half-year over before ``today``."""
    if today.month <= 6:
        return date(today.year - 1, 7, 1), date(today.year - 1, 12, 31)
    return date(today.year, 1, 1), date(today.year, 6, 30)


class AnalysisCase(ExposureCase):
    """Five customers over the last complete half-year S..E (13 % VAT, company currency unless said):
    - P1: graded A before S, B in the period; 1,130 invoiced at S+10 due S+40 paid at S+50 (10 days
      late); 2,260 invoiced at S+100 due S+130, open (overdue at E); limit 2,000 at E.
    - P2: graded C before S, B in the period; 565 invoiced at S-40 due S-10, open; 4,520 invoiced at
      S+150 due E+30, 1,000 paid at S+160; limit 3,000 at E.
    - P3: first graded A in the period; 3,390 invoiced at S+20 due S+50 paid at S+40; 1,130
      invoiced at S+170 due E+20; a credit note of 565 at S+170, not applied; limit 50,000.
    - P4: graded C before S (an evaluation rejected in the period); 1,130 EUR (565 in company
      currency) invoiced at S+60 due S+90, open; limit 100 at E.
    - P5: never graded; 904 invoiced at S+5 due S+35, open.
    Plus an invoice after E and a draft, which the period never counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The company's day, as the analysis and the report count it (Asia/Shanghai is a day ahead
        # of UTC from 16:00 UTC): the day of the server's clock failed them in the evening.
        cls.today = cls.company._archive_today()
        cls.S, cls.E = last_complete_half(cls.today)
        S, E = cls.S, cls.E
        cls.days = (E - S).days + 1
        cls.executive = new_test_user(
            cls.env, "cc_gm", groups="customer_archive.group_archive_executive", name="GM Zhou"
        )
        # A scorecard of one indicator scored by hand: each evaluation gets the grade the test wants.
        cls.hand_card = (
            cls.env["customer.credit.scorecard"]
            .sudo()  # sudo: configuration, the accounting test user has no credit rights
            .create(
                {
                    "name": "By hand",
                    "company_id": cls.company.id,
                    "indicator_ids": [Command.create({"name": "Judgement", "weight": 100, "kind": "manual"})],
                }
            )
        )
        grades = cls.grades.sorted("min_score", reverse=True)
        cls.A, cls.B, cls.C = grades[0], grades[1], grades[2]
        Partner = cls.env["res.partner"]
        cls.p1 = Partner.create({"name": "P1 华南电子", "is_company": True, "user_id": cls.credit_user.id})
        cls.p2 = Partner.create({"name": "P2 华北重工", "is_company": True})
        cls.p3 = Partner.create({"name": "P3 华东贸易", "is_company": True})
        cls.p4 = Partner.create({"name": "P4 华西物流", "is_company": True})
        cls.p5 = Partner.create({"name": "P5 西南建材", "is_company": True})
        day = lambda n: S + timedelta(days=n)  # noqa: E731
        # Evaluations, approved in date order per customer.
        cls.evaluate(cls.p1, day(-60), 90, 10000)
        cls.evaluate(cls.p1, day(30), 70, 2000)
        cls.evaluate(cls.p2, day(-30), 30, 1000)
        cls.evaluate(cls.p2, day(40), 70, 3000)
        cls.evaluate(cls.p3, day(60), 95, 50000)
        cls.evaluate(cls.p4, day(-90), 20, 100)
        cls.evaluate(cls.p4, day(80), 90, 900000, decide=False)
        # Invoices and payments.
        p1a = cls.document(cls.p1, 1000, day(10), day(40))
        cls.register(p1a, 1130, day(50))
        cls.document(cls.p1, 2000, day(100), day(130))
        cls.document(cls.p2, 500, day(-40), day(-10))
        p2b = cls.document(cls.p2, 4000, day(150), E + timedelta(days=30))
        cls.register(p2b, 1000, day(160))
        p3a = cls.document(cls.p3, 3000, day(20), day(50))
        cls.register(p3a, 3390, day(40))
        cls.document(cls.p3, 1000, day(170), E + timedelta(days=20))
        cls.document(cls.p3, 500, day(170), day(170), move_type="out_refund")
        cls.document(cls.p4, 1000, day(60), day(90), currency=cls.eur)
        cls.document(cls.p5, 800, day(5), day(35))
        cls.document(cls.p5, 7000, E + timedelta(days=1), E + timedelta(days=31))  # after E
        cls.document(cls.p2, 9000, day(100), day(130), post=False)  # draft

    @classmethod
    def evaluate(cls, partner, on, score, limit, decide=True):
        evaluation = (
            cls.env["customer.credit.evaluation"]
            .with_user(cls.credit_officer)
            .create(
                {
                    "partner_id": partner.id,
                    "scorecard_id": cls.hand_card.id,
                    "date": on,
                    "proposed_credit_limit": limit,
                    "proposed_term_days": 30,
                    "risk_plan": "Cash on delivery",
                    "risk_plan_review_date": on,
                }
            )
        )
        evaluation.line_ids.with_user(cls.credit_officer).write({"score": score})
        evaluation.with_user(cls.credit_officer).action_submit()
        if decide:
            evaluation.with_user(cls.credit_manager).action_approve()
            # Approved on the evaluation's date: the limit in force from then on.
            cls.env.flush_all()
            cls.env.cr.execute(
                SQL(
                    "UPDATE customer_credit_limit_history SET date = %s WHERE evaluation_id = %s",
                    on,
                    evaluation.id,
                )
            )
            cls.env.invalidate_all()
        else:
            evaluation.with_user(cls.credit_manager).action_reject("Not convinced")
        return evaluation

    @classmethod
    def document(cls, partner, amount, on, due, move_type="out_invoice", currency=None, post=True):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": on,
                "date": on,
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
            move.with_context(customer_credit_released=_Released(move.ids)).action_post()
        return move

    @classmethod
    def register(cls, invoice, amount, on):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": on})
            ._create_payments()
        )

    def wizard(self, user=None, **values):
        half = "1" if self.S.month == 1 else "2"
        return (
            self.env["customer.credit.analysis.wizard"]
            .with_user(user or self.credit_officer)
            .create({"period": "half", "year": self.S.year, "half": half, **values})
        )


class TestCreditAnalysis(AnalysisCase):
    def test_period(self):
        wizard = self.wizard()
        self.assertEqual((wizard.date_from, wizard.date_to), (self.S, self.E))
        year = self.wizard(period="year", year=self.today.year)
        self.assertEqual(year.date_from, date(self.today.year, 1, 1))
        self.assertEqual(year.date_to, self.today)  # a period not over yet ends today
        with self.assertRaises(ValidationError):
            self.wizard(year=20260)
        with self.assertRaises(ValidationError):
            self.wizard(half=False)
        with self.assertRaises(UserError):
            self.wizard(period="year", year=self.today.year + 1)._analysis_data()

    def test_grades_overdue_rate_and_dso(self):
        data = self.wizard()._analysis_data()
        self.assertEqual((data["date_from"], data["date_to"], data["days"]), (self.S, self.E, self.days))
        rows = {row["grade"].id: row for row in data["grades"]}
        expected = {
            # grade: (customers, receivable, overdue, credit sales), by hand from the documents above
            self.A.id: (1, 1130 - 565, 0, 3390 + 1130 - 565),
            self.B.id: (2, 2260 + (565 + 4520 - 1000), 2260 + 565, 1130 + 2260 + 4520),
            self.C.id: (1, 565, 565, 565),
            False: (1, 904, 904, 904),
        }
        self.assertEqual(set(rows), set(expected))
        for grade_id, (customers, receivable, overdue, sales) in expected.items():
            with self.subTest(grade=grade_id):
                row = rows[grade_id]
                self.assertEqual(row["customers"], customers)
                self.assertAlmostEqual(row["receivable"], receivable, places=2)
                self.assertAlmostEqual(row["overdue"], overdue, places=2)
                self.assertAlmostEqual(row["sales"], sales, places=2)
                self.assertAlmostEqual(row["overdue_rate"], 100.0 * overdue / receivable, places=4)
                self.assertAlmostEqual(row["dso"], receivable / sales * self.days, places=4)
        # B: 2,825 overdue of 6,345 open (44.5 %); DSO 6,345 / 7,910 × days of the half-year.
        self.assertAlmostEqual(rows[self.B.id]["overdue_rate"], 2825 / 6345 * 100, places=4)
        total = data["total"]
        self.assertEqual(total["customers"], 5)
        self.assertAlmostEqual(total["receivable"], 565 + 6345 + 565 + 904, places=2)
        self.assertAlmostEqual(total["overdue"], 2825 + 565 + 904, places=2)
        self.assertAlmostEqual(total["sales"], 3955 + 7910 + 565 + 904, places=2)
        # The receivable at E is what the ageing says at E.
        ageing = (
            self.env["customer.credit.ageing"]
            .with_user(self.credit_officer)
            .with_context(ageing_date=str(self.E), ageing_company_id=self.company.id)
        )
        self.assertAlmostEqual(
            sum(values["residual"] for _partner, values in ageing._ageing_by_partner()),
            total["receivable"],
            places=2,
        )

    def test_migration(self):
        migration = self.wizard()._analysis_migration(self.S, self.E)
        self.assertEqual(
            migration["matrix"], {(self.A.id, self.B.id): 1, (self.C.id, self.B.id): 1, (False, self.A.id): 1}
        )
        self.assertEqual(
            (migration["upgraded"], migration["downgraded"], migration["unchanged"], migration["new"]),
            (1, 1, 0, 1),
        )
        self.assertEqual(migration["grades"], self.A | self.B | self.C)
        rows = {source.id: (counts, total) for source, counts, total in migration["rows"]}
        self.assertEqual(rows[self.A.id], ([0, 1, 0], 1))
        self.assertEqual(rows[self.C.id], ([0, 1, 0], 1))
        self.assertEqual(rows[False], ([1, 0, 0], 1))
        # A year before: only the evaluations of then, all first ones.
        before = self.wizard()._analysis_migration(self.S - timedelta(days=120), self.S - timedelta(days=1))
        self.assertEqual(before["matrix"], {(False, self.A.id): 1, (False, self.C.id): 2})

    def test_grade_changes_screen(self):
        Change = self.env["customer.credit.grade.change"].with_user(self.executive)
        domain = [("partner_id", "in", (self.p1 | self.p2 | self.p3 | self.p4).ids)]
        groups = Change.read_group(
            [*domain, ("date", ">=", self.S), ("date", "<=", self.E)],
            ["__count"],
            ["previous_grade_id", "grade_id"],
            lazy=False,
        )
        self.assertEqual(
            {((g["previous_grade_id"] or [False])[0], g["grade_id"][0]): g["__count"] for g in groups},
            self.wizard()._analysis_migration(self.S, self.E)["matrix"],
        )
        movements = {
            change.partner_id: change.movement for change in Change.search([*domain, ("date", ">=", self.S)])
        }
        self.assertEqual(movements, {self.p1: "down", self.p2: "up", self.p3: "new"})
        self.assertEqual(Change.search_count(domain), 6)  # the rejected evaluation is none
        with self.assertRaises(AccessError):
            self.env["customer.credit.grade.change"].with_user(self.credit_user).search([])

    def test_the_figures_cost_the_same_for_5_and_25_customers(self):
        wizard = self.wizard()

        def queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            wizard._analysis_data()
            return self.env.cr.sql_log_count - before

        queries()  # warm the caches of rules, groups and rates
        few = queries()
        for n in range(20):
            partner = self.env["res.partner"].create({"name": f"Customer {n}", "is_company": True})
            self.document(partner, 100, self.S + timedelta(days=n), self.S + timedelta(days=n + 30))
        self.assertEqual(wizard._analysis_data()["total"]["customers"], 25)
        queries()
        self.assertEqual(queries(), few)

    def test_top_risk_customers(self):
        top = self.wizard()._analysis_data()["top_risk"]
        # By overdue: P1 2,260, P5 904; P2 and P4 both 565, P2 further over its limit (4,085 - 3,000
        # against 565 - 100). P3 owes nothing overdue and is under its limit.
        self.assertEqual([row["partner"] for row in top], [self.p1, self.p5, self.p2, self.p4])
        p1, p5, p2, p4 = top
        self.assertAlmostEqual(p1["over_limit"], 2260 - 2000, places=2)
        self.assertEqual(p1["days_overdue"], (self.E - (self.S + timedelta(days=130))).days)
        self.assertIsNone(p5["limit"])
        self.assertAlmostEqual(p2["over_limit"], 4085 - 3000, places=2)
        self.assertAlmostEqual(p4["over_limit"], 565 - 100, places=2)
        self.assertEqual(p2["grade"], self.B.display_name)

    def test_events_by_type_in_company_currency(self):
        Event = self.env["customer.credit.event"].with_user(self.credit_officer)
        inside = self.S + timedelta(days=10)
        # 1 company unit = 2 EUR until this day, then 4 EUR.
        self.env["res.currency.rate"].create(
            {
                "currency_id": self.eur.id,
                "name": inside + timedelta(days=5),
                "rate": 4.0,
                "company_id": self.company.id,
            }
        )
        Event.create(
            [
                {
                    "partner_id": self.p1.id,
                    "event_type": "major_contract",
                    "date": inside,
                    "amount": 10000,
                    "description": "Supply contract",
                },
                {
                    "partner_id": self.p2.id,
                    "event_type": "major_contract",
                    "date": inside,
                    "amount": 8000,
                    "currency_id": self.eur.id,
                    "description": "Contract in EUR",
                },
                {
                    "partner_id": self.p2.id,
                    "event_type": "major_contract",
                    "date": inside + timedelta(days=20),
                    "amount": 8000,
                    "currency_id": self.eur.id,
                    "description": "Another in EUR",
                },
                {
                    "partner_id": self.p4.id,
                    "event_type": "dispute",
                    "date": inside,
                    "amount": 300,
                    "description": "Quality claim",
                },
                {
                    "partner_id": self.p4.id,
                    "event_type": "dispute",
                    "date": self.E + timedelta(days=1),
                    "amount": 999,
                    "description": "After the period",
                },
            ]
        )
        rows = {
            label: (count, amount) for label, count, amount in self.wizard()._analysis_events(self.S, self.E)
        }
        self.assertEqual(rows["Major Contract"][0], 3)
        self.assertAlmostEqual(rows["Major Contract"][1], 10000 + 8000 / 2 + 8000 / 4, places=2)
        self.assertEqual(rows["Dispute"], (1, 300))
        self.assertEqual(rows["Total"][0], 4)
        self.assertAlmostEqual(rows["Total"][1], 16300, places=2)
        # The event pivot adds the same amounts, in the company currency.
        groups = Event.read_group(
            [("date", ">=", self.S), ("date", "<=", self.E), ("event_type", "=", "major_contract")],
            ["amount_company_currency:sum"],
            ["event_type"],
        )
        self.assertAlmostEqual(groups[0]["amount_company_currency"], 16000, places=2)

    def test_pdf_and_screen(self):
        ICP = self.env["ir.config_parameter"].sudo()  # sudo: a system setting
        ICP.set_param("report.url", "http://127.0.0.1:1")
        wizard = self.wizard()
        report = self.env.ref("customer_credit.action_report_credit_analysis").with_user(self.credit_officer)
        html = report._render_qweb_html(report.report_name, wizard.ids)[0].decode()
        for text in (
            "Half-yearly Credit Statistics",
            "Grade Migration",
            self.p1.name,
            self.p5.name,
            "Not Graded",
            "DSO = receivable at the period",
            f"{2825 / 6345 * 100:.1f} %",
            f"{6345 / 7910 * self.days:.1f}",
            "6,345.00",
        ):
            self.assertIn(text, html)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, wizard.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        action = wizard.action_open()
        self.assertEqual((action["report_type"], action["report_name"]), ("qweb-html", report.report_name))
        self.assertEqual(wizard.action_print()["report_type"], "qweb-pdf")

    def test_applications_and_grants(self):
        Application = self.env["customer.credit.application"]

        def apply(partner, limit):
            return Application.with_user(self.credit_user).create(
                {"partner_id": partner.id, "requested_limit": limit, "reason": "More business"}
            )

        granted, refused, pending = apply(self.p1, 100000), apply(self.p1, 50000), apply(self.p1, 30000)
        for application in granted | refused:
            application.with_user(self.credit_user).action_submit()
            application.with_user(self.credit_officer).action_review("Checked")
        granted.with_user(self.credit_manager).action_approve(
            80000, 45, self.today, self.today + timedelta(days=365), "Open account"
        )
        refused.with_user(self.credit_manager).action_reject("No guarantee")
        wizard = self.wizard(half="1" if self.today.month <= 6 else "2", year=self.today.year)
        rows = wizard._analysis_applications(wizard.date_from, wizard.date_to)
        self.assertEqual(
            rows,
            [
                ("Approved", 1, 100000, 80000),
                ("Rejected", 1, 50000, 0),
                ("In Progress", 1, 30000, 0),
                ("Total", 3, 180000, 80000),
            ],
        )
        self.assertEqual(pending.state, "draft")
        # The last half-year had none.
        self.assertEqual(self.wizard()._analysis_applications(self.S, self.E)[-1], ("Total", 0, 0, 0))

    def test_who_reads_the_analysis(self):
        # Salespeople do not read the figures of every customer.
        with self.assertRaises(AccessError):
            self.wizard(self.credit_user)
        report = self.env.ref("customer_credit.action_report_credit_analysis")
        wizard = self.wizard()
        with self.assertRaises(AccessError):
            wizard.with_user(self.credit_user)._analysis_data()
        with self.assertRaises(AccessError):
            report.with_user(self.credit_user)._render_qweb_html(report.report_name, wizard.ids)
        # The general management does, on screen and on paper.
        mine = self.wizard(self.executive)
        data = mine._analysis_data()
        self.assertEqual(data["total"]["customers"], 5)
        html = report.with_user(self.executive)._render_qweb_html(report.report_name, mine.ids)[0].decode()
        self.assertIn(self.p1.name, html)
        menu = self.env.ref("customer_credit.customer_credit_analysis_year_menu")
        self.assertIn(menu, self.env["ir.ui.menu"].with_user(self.executive).search([("id", "=", menu.id)]))
        self.assertFalse(
            self.env["ir.ui.menu"]
            .with_user(self.executive)
            .search([("id", "=", self.env.ref("customer_credit.customer_credit_ageing_menu").id)])
        )
        self.assertFalse(self.env["ir.ui.menu"].with_user(self.credit_user).search([("id", "=", menu.id)]))


class TestCustomerCreditReport(AnalysisCase):
    def render(self, partner, user=None):
        ICP = self.env["ir.config_parameter"].sudo()  # sudo: a system setting
        ICP.set_param("report.url", "http://127.0.0.1:1")
        return (
            self.env["ir.actions.report"]
            .with_user(user or self.credit_officer)
            ._render_qweb_html("customer_credit.action_report_credit_customer", partner.ids)[0]
            .decode()
        )

    def test_payment_record_of_the_last_12_months(self):
        values = (
            self.env["report.customer_credit.report_credit_customer"]
            .with_user(self.credit_officer)
            ._get_report_values(self.p1.ids)
        )
        rows = values["payments"][self.p1.id]
        due = self.S + timedelta(days=40)
        if due < self.today - timedelta(days=365):
            self.skipTest("The half-year's invoices fall out of the last 12 months today.")
        first = rows[0]
        self.assertEqual(first["due"], due)
        self.assertAlmostEqual(first["amount"], 1130, places=2)
        self.assertEqual(first["paid_date"], self.S + timedelta(days=50))
        self.assertEqual(first["days_late"], 10)
        second = rows[1]
        self.assertIsNone(second["paid_date"])
        self.assertAlmostEqual(second["residual"], 2260, places=2)
        self.assertEqual(second["days_late"], (self.today - (self.S + timedelta(days=130))).days)
        summary = values["payment_summary"][self.p1.id]
        self.assertEqual(
            (summary["invoices"], summary["late"], summary["on_time"], summary["open"]), (2, 1, 0, 1)
        )
        self.assertEqual(summary["average_days_late"], 10)
        # P3 paid on time.
        p3 = (
            self.env["report.customer_credit.report_credit_customer"]
            .with_user(self.credit_officer)
            ._get_report_values(self.p3.ids)["payment_summary"][self.p3.id]
        )
        self.assertEqual((p3["on_time"], p3["late"]), (1, 0))

    def test_report_shows_limit_term_ageing_collection_and_events(self):
        self.env["customer.credit.collection.log"].with_user(self.credit_officer).create(
            {"partner_id": self.p1.id, "kind": "call", "note": "Called the finance manager"}
        )
        self.env["customer.credit.event"].with_user(self.credit_officer).create(
            {
                "partner_id": self.p1.id,
                "event_type": "major_event",
                "amount": 1234,
                "description": "Moved its factory",
            }
        )
        html = self.render(self.p1)
        for text in (
            "Credit Limit",
            "2,000.00",  # the limit in force: the last evaluation's
            "Ageing of Receivables",
            "Over 90 Days",
            "Payment Record of the Last 12 Months",
            "Called the finance manager",
            "Moved its factory",
            "1,234.00",
        ):
            self.assertIn(text, html)
        # The ageing buckets are those of the receivables ageing today.
        p1 = self.p1.with_user(self.credit_officer)
        overdue_bucket = max(
            (p1.credit_ageing_1_30, p1.credit_ageing_31_60, p1.credit_ageing_61_90, p1.credit_ageing_over_90)
        )
        self.assertAlmostEqual(overdue_bucket, 2260, places=2)
        self.assertIn("2,260.00", html)
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.credit_officer)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("customer_credit.action_report_credit_customer", self.p1.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_only_the_credit_department_prints_it(self):
        # Not even the salesperson of the customer: it shows the whole credit file.
        with self.assertRaises(AccessError):
            self.render(self.p1, self.credit_user)
        with self.assertRaises(AccessError):
            self.render(self.p2, self.credit_user)
        self.assertIn(self.p2.name, self.render(self.p2))
