"""Signing for a loan (issue 14, item 3: 登记签名): at the hand-out the borrower signs on the
officer's screen and the officer countersigns; without the borrower's signature nothing is handed
out, whatever the path; what was signed and lent is written by the workflow only."""

import base64
import io
from datetime import timedelta

from freezegun import freeze_time
from PIL import Image

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNATURE, SIGNED
from .workflow_values_common import WorkflowValuesMixin

NOW = MONDAY_9AM_UTC - timedelta(minutes=30)
LEND = "customer.archive.borrow.lend.wizard"
LINE = "customer.archive.borrow.line"


def png(color, size=(60, 20)):
    """A PNG filled with ``color`` (RGBA), base64: a blank pad gives a transparent one."""
    buffer = io.BytesIO()
    Image.new("RGBA", size, color).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue())


@freeze_time(NOW)
class TestSignedHandOut(WorkflowValuesMixin, BorrowCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ordinary.document_ids.page_count = 6

    def approved(self, archive=None, user=None, **values):
        request = self.request(archive or self.ordinary, user=user, **values)
        request.with_user(user or self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        return request

    def lend_form(self, request, user=None):
        action = request.with_user(user or self.officer).action_open_lend_wizard()
        self.assertEqual(action["res_model"], LEND)
        return Form(self.env[LEND].with_user(user or self.officer).with_context(action["context"]))

    def assert_not_lent(self, request):
        request.invalidate_recordset()
        self.assertEqual(request.state, "approved")
        self.assertFalse(request.lent_by_id or request.date_lent)
        self.assertFalse(request.borrower_signature or request.officer_signature)
        self.assertFalse(request.sudo().line_ids)  # sudo: whatever the reader
        self.assertEqual(request.archive_id.lent_count, 0)
        Attachment = self.env["ir.attachment"].sudo()  # sudo: the request's files, whoever reads
        attachments = Attachment.search([("res_model", "=", request._name), ("res_id", "=", request.id)])
        self.assertFalse(attachments)

    def test_the_officer_hands_out_with_the_borrowers_signature(self):
        request = self.approved()
        form = self.lend_form(request)
        self.assertEqual(form.requester_id, self.sales_user)
        form.borrower_signature = SIGNATURE
        form.officer_signature = SIGNATURE
        wizard = form.save()
        self.assertEqual(wizard.document_ids, self.ordinary.document_ids, "what is handed out is shown")
        self.assertEqual(wizard.action_confirm(), {"type": "ir.actions.act_window_close"})
        self.assertEqual((request.state, request.lent_by_id), ("lent", self.officer))
        self.assertEqual(request.borrower_signature, SIGNATURE)
        self.assertEqual(request.officer_signature, SIGNATURE)
        # What was lent, with its pages: the slip prints it, the take-back checks it.
        lines = request.with_user(self.sales_user).line_ids
        self.assertEqual(lines.document_id, self.ordinary.document_ids)
        self.assertEqual(set(lines.mapped("pages_lent")), {6})
        self.assertFalse(any(lines.mapped("integrity_result")))
        # The requester reads their own signature on their request.
        self.assertEqual(request.with_user(self.sales_user).borrower_signature, SIGNATURE)

    def test_without_the_borrowers_signature_nothing_is_handed_out(self):
        request = self.approved()
        blank, white = png((255, 255, 255, 0)), png((255, 255, 255, 255))
        refused = {
            "no signature (RPC)": {},
            "the officer's only": {"officer_signature": SIGNATURE},
            "the borrower's only": {"borrower_signature": SIGNATURE},
            "an empty pad": {"borrower_signature": blank, "officer_signature": SIGNATURE},
            "a white image": {"borrower_signature": white, "officer_signature": SIGNATURE},
            "not an image": {
                "borrower_signature": base64.b64encode(b"%PDF-1.4"),
                "officer_signature": SIGNATURE,
            },
            "not base64": {"borrower_signature": "signed!", "officer_signature": SIGNATURE},
        }
        for label, kwargs in refused.items():
            with self.subTest(path=label), self.assertRaises(UserError) as error:
                request.with_user(self.officer).action_lend(**kwargs)
            self.assertIs(type(error.exception), UserError)
            self.assert_not_lent(request)
        # The form: the borrower has not signed.
        form = self.lend_form(request)
        form.officer_signature = SIGNATURE
        with self.assertRaisesRegex(UserError, "borrower signs"):
            form.save().action_confirm()
        self.assert_not_lent(request)

    def test_the_scan_screen_hands_out_through_the_signed_form(self):
        request = self.approved()
        scan = Form(self.env["customer.archive.scan"].with_user(self.officer))
        scan.barcode = self.ordinary.number
        action = scan.save().action_hand_out()
        self.assertEqual((action["res_model"], action["context"]["default_borrow_id"]), (LEND, request.id))
        wizard = Form(self.env[LEND].with_user(self.officer).with_context(action["context"])).save()
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assert_not_lent(request)
        wizard.write({"borrower_signature": SIGNATURE, "officer_signature": SIGNATURE})
        back = wizard.action_confirm()
        self.assertEqual(back["res_model"], "customer.archive.scan")
        self.assertIn(request.name, back["context"]["default_message"])
        self.assertEqual(request.state, "lent")

    def test_only_the_archive_office_opens_the_hand_out_and_never_on_its_own_request(self):
        request = self.approved()
        with self.assertRaises(AccessError):
            request.with_user(self.sales_user).action_open_lend_wizard()
        with self.assertRaises(AccessError):
            request.with_user(self.sales_user).action_lend(**SIGNED)
        own = self.approved(user=self.officer)
        with self.assertRaises(AccessError):
            own.with_user(self.officer).action_open_lend_wizard()
        with self.assertRaises(AccessError):
            self.env[LEND].with_user(self.sales_user).create({"borrow_id": request.id, **SIGNED})
        self.assert_not_lent(request)

    def test_one_borrower_signs_for_their_own_loans_only(self):
        theirs = self.create_archive(partner=self.other_customer, name="Li's")
        self.add_documents(theirs)
        mine, other = self.approved(), self.approved(theirs, user=self.other_sales_user)
        with self.assertRaisesRegex(UserError, "one borrower at a time"):
            (mine | other).with_user(self.officer).action_lend(**SIGNED)
        self.assert_not_lent(mine)
        self.assert_not_lent(other)

    def test_a_whole_archive_loan_lends_what_is_there_and_a_missing_document_is_not_lent(self):
        lost, *present = self.ordinary.document_ids
        lost.condition = "missing"
        whole = self.approved()
        named = self.approved(document_ids=[(6, 0, lost.ids)])
        with self.assertRaisesRegex(UserError, "recorded missing"):
            named.with_user(self.officer).action_lend(**SIGNED)
        self.assert_not_lent(named)
        whole.with_user(self.officer).action_lend(**SIGNED)
        self.assertEqual(whole.line_ids.document_id.ids, [document.id for document in present])

    def test_signatures_and_documents_lent_are_written_by_the_workflow_only(self):
        request = self.approved()
        request.with_user(self.officer).action_lend(**SIGNED)
        line = request.line_ids[:1]
        other = png((0, 0, 0, 255))
        recorded = {"borrower_signature": other, "officer_signature": other}
        # The borrower, the officer and the manager alike: write, import, onchange.
        for user in (self.sales_user, self.officer, self.manager):
            with self.subTest(user=user.login):
                self.assert_recorded(request, user, recorded)
        # A new request cannot be created signed either.
        values = {
            "archive_id": self.ordinary.id,
            "content": "Contract",
            "purpose": "Visit",
            "date_start": MONDAY_9AM_UTC,
            "date_due": MONDAY_9AM_UTC + timedelta(hours=2),
        }
        self.assert_recorded(self.request(self.ordinary), self.sales_user, recorded, values)
        # The documents lent: not through the request, nor on their own.
        commands = {
            "update": [(1, line.id, {"pages_lent": 1})],
            "add": [(0, 0, {"document_id": line.document_id.id, "pages_lent": 1})],
            "remove": [(2, line.id)],
        }
        for user in (self.sales_user, self.officer):
            for label, command in commands.items():
                with self.subTest(user=user.login, command=label), self.assertRaises(UserError):
                    request.with_user(user).write({"line_ids": command})
        with self.assertRaises(UserError):
            line.with_user(self.sales_user).write({"integrity_result": "complete", "pages_counted": 6})
        with self.assertRaises(UserError):
            line.with_user(self.officer).write({"integrity_result": "complete", "pages_counted": 6})
        with self.assertRaises(UserError):
            self.env[LINE].with_user(self.officer).create(
                {"borrow_id": request.id, "document_id": line.document_id.id, "pages_lent": 1}
            )
        with self.assertRaises(UserError):
            line.with_user(self.officer).copy()
        with self.assertRaises(UserError):
            line.sudo().unlink()  # sudo: not even the superuser
        self.assertRecordValues(line, [{"pages_lent": 6, "integrity_result": False, "pages_counted": 0}])
        self.assertEqual(request.borrower_signature, SIGNATURE)
        self.assertEqual(len(request.line_ids), len(self.ordinary.document_ids))
        # A copy of the request is a new draft, unsigned and with nothing lent.
        copy = request.with_user(self.sales_user).copy()
        self.assertFalse(copy.borrower_signature or copy.officer_signature or copy.line_ids)

    def test_the_documents_lent_are_read_with_their_request_only(self):
        request = self.approved()
        request.with_user(self.officer).action_lend(**SIGNED)
        Line = self.env[LINE]
        domain = [("borrow_id", "=", request.id)]
        self.assertEqual(
            Line.with_user(self.sales_user).search_count(domain), len(self.ordinary.document_ids)
        )
        self.assertFalse(Line.with_user(self.other_sales_user).search(domain))
        self.assertFalse(Line.with_user(self.plain_user).has_access("read"))
        # Above the officer's clearance: neither the request nor its documents lent.
        secret = self.request(self.secret, hours=2)
        secret.with_user(self.sales_user).action_submit()
        secret.with_user(self.executive).action_approve()
        secret.with_user(self.officer).action_lend(**SIGNED)
        self.officer.archive_clearance = "ordinary"
        self.assertFalse(Line.with_user(self.officer).search([("borrow_id", "=", secret.id)]))
