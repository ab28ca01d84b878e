"""Credit events and disputes as evidence, the credit officer's profile and credit file, the general
manager's view (issue #10, section 5)."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .credit_common import CreditCase

TRACKING = {"tracking_disable": False, "mail_notrack": False}


class TestCreditEvents(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice(cls.customer, 800, days_ago=5)
        cls.customer.with_user(cls.credit_manager)._credit_change_limit(1000, 30, "Initial limit")

    def released_hold_event(self):
        order = (
            self.env["sale.order"]
            .with_user(self.credit_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_a.id,
                                "product_uom_qty": 1,
                                "price_unit": 300,
                                "tax_id": [],
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        hold = order.sudo().credit_hold_ids  # sudo: the accounting test user has no credit rights
        hold.with_user(self.credit_manager).action_release("Paid in advance")
        Event = self.env["customer.credit.event"].with_user(self.credit_manager)
        return Event.search([("sale_order_id", "=", order.id)])

    def test_system_events_are_never_rewritten(self):
        event = self.released_hold_event()
        self.assertRecordValues(event, [{"event_type": "hold_release", "amount": 300, "is_system": True}])
        before = event.read(["amount", "description", "date", "event_type"])
        for values in (
            {"amount": 0},
            {"description": "Nothing happened"},
            {"date": "2020-01-01"},
            {"event_type": "reward"},
            {"is_system": False},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                event.write(values)
        with self.assertRaises(UserError):
            event.sudo().write({"amount": 1})  # sudo: not even the system rewrites it
        with self.assertRaises(UserError):
            event.sudo().unlink()  # sudo: nor deletes it
        event.invalidate_recordset()
        self.assertEqual(event.read(["amount", "description", "date", "event_type"]), before)
        # The chatter stays open: a note on the event is not a change of it.
        event.message_post(body="Checked with the sales manager.")

    def test_only_workflow_code_records_system_events(self):
        Event = self.env["customer.credit.event"].with_user(self.credit_officer)
        values = {"partner_id": self.customer.id, "event_type": "overdue", "description": "Late"}
        for extra in ({"is_system": True}, {"monitoring_key": f"overdue:{self.customer.id}:2099-01-01"}):
            with self.subTest(extra=extra), self.assertRaises(UserError):
                Event.create(dict(values, **extra))
        self.assertFalse(Event.search([("partner_id", "=", self.customer.id)]))
        # The same event entered by hand is the officer's, and stays editable.
        event = Event.create(values)
        self.assertFalse(event.is_system)
        event.write({"amount": 50})
        system = self.env["customer.credit.event"]._create_system_event([dict(values, amount=70)])
        self.assertTrue(system.is_system)
        with self.assertRaises(UserError):
            system.with_user(self.credit_manager).write({"amount": 0})

    def test_hand_entered_events_are_tracked_field_by_field(self):
        Event = self.env["customer.credit.event"].with_user(self.credit_officer).with_context(**TRACKING)
        event = Event.create(
            {
                "partner_id": self.customer.id,
                "event_type": "major_contract",
                "description": "Framework contract for 2027",
                "amount": 100000,
                "source_document": "HT-2027-001",
            }
        )
        # Odoo does not track a record in the transaction that created it: as if committed.
        self.env.flush_all()
        self.env.cr.precommit.clear()
        changes = {
            "amount": 120000,
            "description": "Framework contract for 2027, amended",
            "source_document": "HT-2027-001-A",
            "date": "2027-01-05",
            "event_type": "major_event",
            "owner_id": self.credit_officer.id,
            "outcome": "Signed",
        }
        event.write(changes)
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = set(event.sudo().message_ids.tracking_value_ids.field_id.mapped("name"))  # sudo: reads
        self.assertEqual(tracked, set(changes))

    def test_a_resolved_dispute_is_frozen(self):
        Event = self.env["customer.credit.event"].with_user(self.credit_officer)
        dispute = Event.create(
            {
                "partner_id": self.customer.id,
                "event_type": "dispute",
                "description": "Customer says two inverters arrived broken",
                "amount": 25600,
            }
        )
        self.assertEqual(dispute.dispute_state, "open")
        # Resolving is a decision with its outcome, not a field to set.
        with self.assertRaises(UserError):
            dispute.write({"dispute_state": "resolved"})
        with self.assertRaises(UserError):
            Event.create(
                {
                    "partner_id": self.customer.id,
                    "event_type": "dispute",
                    "description": "Born resolved",
                    "dispute_state": "resolved",
                }
            )
        with self.assertRaises(UserError):
            dispute.action_resolve()  # no outcome yet
        self.assertEqual(dispute.dispute_state, "open")
        dispute.write({"outcome": "Carrier pays; two units replaced"})
        dispute.action_resolve()
        self.assertEqual(dispute.dispute_state, "resolved")
        for values in ({"outcome": "Customer pays nothing"}, {"amount": 0}, {"event_type": "reward"}):
            with self.subTest(values=values), self.assertRaises(UserError):
                dispute.with_user(self.credit_manager).write(values)
        with self.assertRaises(UserError):
            dispute.sudo().unlink()  # sudo: not even the system deletes it
        self.assertRecordValues(
            dispute,
            [{"outcome": "Carrier pays; two units replaced", "amount": 25600, "event_type": "dispute"}],
        )


class TestCreditProfileAndFile(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.credit_officer.archive_clearance = "secret"  # credit archives are secret by default
        # sudo: the archive office files the archives; the accounting test user has no archive rights
        office = cls.env(su=True)
        department = office["customer.archive.department"].create({"name": "Credit Dept", "code": "CRT"})
        Archive = office["customer.archive"]
        cls.credit_file = Archive.create(
            {
                "partner_id": cls.customer.id,
                "category_id": cls.env.ref("customer_archive.category_credit").id,
                "department_id": department.id,
            }
        )
        cls.contract_file = Archive.create(
            {
                "partner_id": cls.customer.id,
                "category_id": cls.env.ref("customer_archive.category_contract").id,
                "department_id": department.id,
            }
        )

    def test_credit_officer_maintains_the_profile(self):
        self.assertFalse(self.credit_officer.has_group("customer_archive.group_archive_user"))
        profile = {
            "registered_address": "广州市天河区体育西路 1 号",
            "business_scope": "电子元器件批发",
            "licence_number": "91440101MA5CXXXX1X",
            "licence_valid_until": "2030-12-31",
            "payment_habits": "Pays on the 25th of the following month",
        }
        self.customer.with_user(self.credit_officer).write(profile)
        values = self.customer.with_user(self.credit_officer).read(list(profile))[0]
        self.assertEqual(values["payment_habits"], profile["payment_habits"])
        # The legal representative and registered capital are on the archive card, which the
        # credit officer keeps too, from the customer (a card is made when missing).
        action = self.customer.with_user(self.credit_officer).action_view_archive_card()
        card = self.env["customer.archive.card"].with_user(self.credit_officer).browse(action["res_id"])
        card.write({"legal_representative": "陈明", "registered_capital": 5000000})
        self.assertEqual(card.read(["registered_capital"])[0]["registered_capital"], 5000000)
        self.assertEqual(self.customer.with_user(self.credit_officer).archive_card_ids, card)
        # Sales staff do not keep payment habits.
        with self.assertRaises(AccessError):
            self.customer.with_user(self.credit_user).write({"payment_habits": "Never pays"})

    def test_credit_officer_opens_the_credit_file(self):
        partner = self.customer.with_user(self.credit_officer)
        action = partner.action_view_credit_archives()
        Archive = self.env["customer.archive"].with_user(self.credit_officer).with_context(action["context"])
        archives = Archive.search(action["domain"])
        self.assertEqual(archives, self.credit_file)
        archives.read(["number", "partner_id", "category_id", "state", "document_ids"])
        # The rest of the archive office stays closed to the credit officer.
        self.assertFalse(Archive.search([("id", "=", self.contract_file.id)]))
        with self.assertRaises(AccessError):
            self.credit_file.with_user(self.credit_officer).write({"name": "Renamed"})


class TestGeneralManagerSeesAll(CreditCase):
    def test_executive_sees_grades_and_figures_of_every_customer(self):
        salesperson = new_test_user(
            self.env, "cc_sales2", groups="sales_team.group_sale_salesman,customer_credit.group_credit_user"
        )
        executive = new_test_user(
            self.env, "cc_gm", groups="customer_archive.group_archive_executive", name="GM Zhou"
        )
        self.customer.user_id = salesperson
        self.invoice(self.customer, 1130)  # posted, unpaid
        evaluation = (
            self.env["customer.credit.evaluation"]
            .with_user(self.credit_officer)
            .create(
                {
                    "partner_id": self.customer.id,
                    "scorecard_id": self.scorecard.id,
                    "risk_plan": "Cash on delivery",
                    "risk_plan_review_date": self.today,
                }
            )
        )
        evaluation.action_submit()
        evaluation.with_user(self.credit_manager).action_approve()
        grade = evaluation.grade_id
        self.assertTrue(grade)
        self.customer.with_user(self.credit_manager)._credit_change_limit(5000, 30, "After the evaluation")
        fields = ["credit_grade_id", "credit_exposure", "credit_available", "credit_over_limit"]
        seen = self.customer.with_user(executive).read(fields)[0]
        self.assertEqual(
            (seen["credit_grade_id"][0], seen["credit_exposure"], seen["credit_available"]),
            (grade.id, 1130, 5000 - 1130),
        )
        self.assertIn(
            self.customer,
            self.env["res.partner"].with_user(executive).search([("credit_grade_id", "=", grade.id)]),
        )
        # A salesperson who is not the customer's sees nothing of it.
        other = self.customer.with_user(self.credit_user).read(fields)[0]
        self.assertEqual((other["credit_grade_id"], other["credit_exposure"]), (False, 0))
