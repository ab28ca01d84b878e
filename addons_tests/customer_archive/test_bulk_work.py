"""Bulk work (issue 14, item 5): deciding several requests, taking back several loans of one
borrower, filing several formal archives, each record through the step a button calls on it
alone, with its checks; a refused record changes nothing, and the summary says why."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED

BORROW = "customer.archive.borrow"
DECIDE = "customer.archive.approval.bulk.wizard"
RETURN = "customer.archive.borrow.bulk.return.wizard"
FILE = "customer.archive.bulk.file.wizard"


def wizard_form(model, user, records):
    return Form(model.with_user(user).with_context(active_model=records._name, active_ids=records.ids))


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestBulkDecision(BorrowCase):
    def submitted(self, archive, user=None, **values):
        request = self.request(archive, user=user, **values)
        request.with_user(user or self.sales_user).action_submit()
        return request

    def asked(self, request):
        approval = self.env.ref("customer_archive.mail_activity_type_approval")
        # sudo: every approver's activity
        return request.sudo().activity_ids.filtered(lambda activity: activity.activity_type_id == approval)

    def test_an_approver_approves_what_they_may_and_the_rest_is_listed_with_its_reason(self):
        first, second = self.submitted(self.ordinary), self.submitted(self.ordinary, hours=2)
        # A secret request is an executive's to decide: not the manager's.
        secret = self.submitted(self.secret)
        requests = first | second | secret
        asked_before = self.asked(secret)
        waiting = (
            self.env[BORROW]
            .with_user(self.manager)
            .search([("id", "in", requests.ids), ("approval_waiting_for_me", "=", True)])
        )
        self.assertEqual(waiting, first | second)
        form = wizard_form(self.env[DECIDE], self.manager, requests)
        self.assertEqual(form.request_count, 3)
        form.decision = "approve"
        wizard = form.save()
        wizard.action_confirm()
        self.assertEqual((wizard.state, wizard.done_count, wizard.refused_count), ("done", 2, 1))
        self.assertEqual((first.state, second.state), ("approved", "approved"))
        self.assertEqual((first.approver_id, second.approver_id), (self.manager, self.manager))
        self.assertFalse(self.asked(first) | self.asked(second))
        self.assertTrue(any("Approved by Manager Sun" in message.body for message in first.message_ids))
        # The refused one is as it was: still waiting for the executives, nothing recorded.
        self.assertEqual((secret.state, secret.approver_id), ("submitted", self.env["res.users"]))
        self.assertEqual(self.asked(secret), asked_before)
        self.assertIn(self.executive, asked_before.user_id)
        self.assertIn(secret.name, wizard.summary)
        self.assertIn("needs the group", wizard.summary)
        self.assertNotIn(first.name + "</strong>", wizard.summary)

    def test_a_refusal_needs_a_reason_and_tells_each_requester(self):
        requests = self.submitted(self.ordinary) | self.submitted(self.ordinary, hours=2)
        wizard = (
            self.env[DECIDE]
            .with_user(self.manager)
            .create({"res_model": BORROW, "res_ids": requests.ids, "decision": "reject", "reason": "  "})
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(set(requests.mapped("state")), {"submitted"})
        wizard.reason = "Not needed for a service visit"
        wizard.action_confirm()
        self.assertEqual(set(requests.mapped("state")), {"rejected"})
        self.assertEqual(set(requests.mapped("rejection_reason")), {"Not needed for a service visit"})

    def test_the_lending_options_apply_to_each_request(self):
        # Due the next morning: approved only as a longer loan, as one by one.
        long_loan = self.submitted(self.ordinary, hours=20)
        wizard = (
            self.env[DECIDE].with_user(self.manager).create({"res_model": BORROW, "res_ids": long_loan.ids})
        )
        wizard.action_confirm()
        self.assertEqual((long_loan.state, wizard.refused_count), ("submitted", 1))
        self.assertIn("longer loan", wizard.summary)
        wizard = (
            self.env[DECIDE]
            .with_user(self.manager)
            .create({"res_model": BORROW, "res_ids": long_loan.ids, "allow_long_loan": True})
        )
        wizard.action_confirm()
        self.assertEqual((long_loan.state, long_loan.allow_long_loan), ("approved", True))

    def test_a_salesperson_decides_nothing_in_bulk_either(self):
        requests = self.submitted(self.ordinary) | self.submitted(self.ordinary, hours=2)
        wizard = (
            self.env[DECIDE]
            .with_user(self.other_sales_user)
            .create({"res_model": BORROW, "res_ids": requests.ids})
        )
        wizard.action_confirm()
        self.assertEqual((wizard.done_count, wizard.refused_count), (0, 2))
        self.assertEqual(set(requests.mapped("state")), {"submitted"})
        # Nor their own requests, even as an approver.
        own = self.submitted(self.ordinary, user=self.manager)
        wizard = self.env[DECIDE].with_user(self.manager).create({"res_model": BORROW, "res_ids": own.ids})
        wizard.action_confirm()
        self.assertEqual((own.state, wizard.refused_count), ("submitted", 1))
        self.assertIn("Nobody decides on a request they made", wizard.summary)

    def test_only_requests_of_the_approval_engine_are_decided(self):
        wizard = (
            self.env[DECIDE]
            .with_user(self.manager)
            .create({"res_model": "customer.archive", "res_ids": self.ordinary.ids})
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(self.ordinary.state, "temporary")

    def test_shares_are_decided_the_same_way(self):
        share = (
            self.env["customer.archive.share"]
            .with_user(self.sales_user)
            .create(
                {
                    "archive_id": self.ordinary.id,
                    "grantee_user_ids": [(6, 0, self.other_sales_user.ids)],
                    "purpose": "Joint tender",
                    "date_end": MONDAY_9AM_UTC.date() + timedelta(days=3),
                }
            )
        )
        share.action_submit()
        form = wizard_form(self.env[DECIDE], self.manager, share)
        form.save().action_confirm()
        self.assertEqual((share.state, share.approver_id), ("approved", self.manager))


@freeze_time(MONDAY_9AM_UTC + timedelta(hours=1))
class TestBulkTakeBack(BorrowCase):
    def lent(self, archive, user=None, **values):
        with freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30)):
            request = self.request(archive, user=user, **values)
            request.with_user(user or self.sales_user).action_submit()
            request.with_user(self.executive).action_approve()
        with freeze_time(MONDAY_9AM_UTC):
            # Nobody hands out their own loan.
            request.with_user(self.deputy if user == self.officer else self.officer).action_lend(**SIGNED)
        return request

    def test_several_loans_of_one_borrower_come_back_each_checked(self):
        first = self.lent(self.ordinary, document_ids=[(6, 0, self.ordinary.document_ids[:1].ids)])
        second = self.lent(self.ordinary, document_ids=[(6, 0, self.ordinary.document_ids[1:2].ids)])
        copy = self.lent(self.secret, request_type="photocopy", hours=3)
        loans = first | second | copy
        form = wizard_form(self.env[RETURN], self.officer, loans)
        self.assertEqual(form.borrower_id, self.sales_user)
        with form.line_ids.edit(1) as line:
            line.integrity_result = "damaged"
            line.integrity_note = "Coffee stain"
        # The photocopy's copies are not counted: refused, as it would be alone.
        wizard = form.save()
        wizard.action_confirm()
        self.assertEqual((wizard.done_count, wizard.refused_count), (2, 1))
        self.assertEqual((first.state, first.integrity_result), ("returned", "complete"))
        self.assertEqual((second.state, second.integrity_result), ("returned", "damaged"))
        self.assertTrue(second.sudo().repair_ids)
        self.assertEqual(copy.state, "lent")
        self.assertFalse(copy.received_by_id)
        self.assertTrue(self.secret.is_lent)
        self.assertFalse(self.ordinary.is_lent)
        self.assertIn("Count the copies", wizard.summary)

    def test_loans_of_several_borrowers_are_taken_back_one_borrower_at_a_time(self):
        theirs = self.create_archive(partner=self.other_customer, name="Li's")
        self.add_documents(theirs)
        loans = self.lent(self.ordinary) | self.lent(theirs, user=self.other_sales_user)
        with self.assertRaises(UserError):
            wizard_form(self.env[RETURN], self.officer, loans)

    def test_an_officer_does_not_take_back_their_own_loan_in_bulk_either(self):
        own = self.lent(self.ordinary, user=self.officer)
        wizard = wizard_form(self.env[RETURN], self.officer, own).save()
        wizard.action_confirm()
        self.assertEqual((own.state, wizard.refused_count), ("lent", 1))

    def test_a_salesperson_cannot_use_the_take_back_window(self):
        loan = self.lent(self.ordinary)
        with self.assertRaises(AccessError):
            self.env[RETURN].with_user(self.sales_user).create({"line_ids": [(0, 0, {"borrow_id": loan.id})]})
        self.assertEqual(loan.state, "lent")


class TestBulkFiling(BorrowCase):
    def formal(self, name):
        archive = self.create_archive(name=name)
        self.add_documents(archive)
        archive.action_formalise()
        return archive

    def test_formal_archives_are_filed_until_the_cabinet_is_full(self):
        # Cabinet A holds two archives.
        archives = self.formal("one") | self.formal("two") | self.formal("three")
        temporary = self.create_archive(name="not yet formal")
        selected = archives | temporary
        form = wizard_form(self.env[FILE], self.officer, selected)
        form.cabinet_id = self.cabinet
        wizard = form.save()
        wizard.action_confirm()
        self.assertEqual((wizard.done_count, wizard.refused_count), (2, 2))
        filed = selected.filtered(lambda archive: archive.state == "filed")
        self.assertEqual(len(filed), 2)
        self.assertEqual(filed.cabinet_id, self.cabinet)
        # Refused ones are left as they were: not even placed in the cabinet.
        for archive in selected - filed:
            self.assertNotEqual(archive.state, "filed")
            self.assertFalse(archive.cabinet_id)
        self.assertIn("it is full", wizard.summary)
        self.assertIn("Only a formal archive", wizard.summary)

    def test_a_salesperson_files_nothing(self):
        archive = self.formal("one")
        with self.assertRaises(AccessError):
            self.env[FILE].with_user(self.sales_user).create(
                {"archive_ids": [(6, 0, archive.ids)], "cabinet_id": self.cabinet.id}
            )
        self.assertEqual((archive.state, archive.cabinet_id.id), ("formal", False))

    def test_a_cabinet_is_required(self):
        archive = self.formal("one")
        wizard = self.env[FILE].with_user(self.officer).create({"archive_ids": [(6, 0, archive.ids)]})
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(archive.state, "formal")
