"""Holes found by an attacker in customer_archive, closed on the server and tested as an RPC caller
at the lowest role: the forbidden path raises and changes nothing, the allowed path works."""

import base64
import io
from datetime import timedelta

from freezegun import freeze_time
from PIL import Image

from odoo.exceptions import AccessError, UserError

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNATURE, SIGNED

BORROW = "customer.archive.borrow"


def forged_signature():
    """Another signature than the one signed at the counter (a black stroke, base64 PNG)."""
    buffer = io.BytesIO()
    Image.new("RGBA", (60, 20), (0, 0, 0, 255)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue())


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestSignatureFilesAreTheWorkflows(BorrowCase):
    """登记签名: the borrower's and the officer's signatures are files (``attachment=True``); writing
    the file is writing the field, which only the hand-out does (the workflow mixin's
    ``_workflow_fields``)."""

    def approved(self):
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        return request

    def signature_files(self, request):
        Attachment = self.env["ir.attachment"].sudo()  # sudo: the request's files, whoever reads
        return Attachment.search(
            [("res_model", "=", BORROW), ("res_id", "=", request.id), ("res_field", "!=", False)]
        )

    def assert_signed_as_at_the_counter(self, request, files):
        request.invalidate_recordset()
        self.assertEqual(request.borrower_signature, SIGNATURE)
        self.assertEqual(request.officer_signature, SIGNATURE)
        self.assertEqual(self.signature_files(request), files)
        self.assertEqual(set(files.mapped("raw")), {base64.b64decode(SIGNATURE)})

    def test_no_signature_is_forged_before_the_hand_out(self):
        request = self.approved()
        for user in (self.sales_user, self.officer):
            for field in ("borrower_signature", "officer_signature"):
                with self.subTest(user=user.login, field=field), self.assertRaises(UserError):
                    self.env["ir.attachment"].with_user(user).create(
                        {
                            "name": field,
                            "res_model": BORROW,
                            "res_id": request.id,
                            "res_field": field,
                            "datas": forged_signature(),
                        }
                    )
        request.invalidate_recordset()
        self.assertFalse(request.borrower_signature or request.officer_signature)
        self.assertFalse(self.signature_files(request))
        # The hand-out itself signs.
        request.with_user(self.officer).action_lend(**SIGNED)
        self.assertEqual(request.state, "lent")
        self.assert_signed_as_at_the_counter(request, self.signature_files(request))

    def test_the_signatures_signed_at_the_counter_are_neither_replaced_nor_removed(self):
        request = self.approved()
        request.with_user(self.officer).action_lend(**SIGNED)
        files = self.signature_files(request)
        self.assertEqual(len(files), 2)
        for user in (self.sales_user, self.officer):
            mine = (
                self.env["ir.attachment"]
                .with_user(user)
                .create(
                    {
                        "name": "note.png",
                        "res_model": BORROW,
                        "res_id": request.id,
                        "datas": forged_signature(),
                    }
                )
            )
            attacks = {
                "replace the content": lambda f, u: f.with_user(u).write({"datas": forged_signature()}),
                "replace the raw bytes": lambda f, u: f.with_user(u).write({"raw": b"forged"}),
                "detach it": lambda f, u: f.with_user(u).write({"res_field": False}),
                "move it elsewhere": lambda f, u: f.with_user(u).write({"res_id": self.approved().id}),
                "delete it": lambda f, u: f.with_user(u).unlink(),
                "put another file in its place": lambda f, u, mine=mine: mine.write(
                    {"res_field": f.res_field}
                ),
            }
            for file in files:
                for label, attack in attacks.items():
                    with self.subTest(user=user.login, field=file.res_field, attack=label):
                        with self.assertRaises(UserError):  # AccessError is one too
                            attack(file.sudo(), user)  # sudo dropped by with_user: the user's call
            mine.unlink()  # their own file on the request (not a signature) is theirs to remove
        self.assert_signed_as_at_the_counter(request, files)


class TestMergingAnotherSalespersonsCustomer(BorrowCase):
    """A partner merge hands the merged customer's archives to the kept partner's salesperson: a
    salesperson does not merge another's customer into their own, as they do not reassign it."""

    def test_a_salesperson_does_not_merge_another_salespersons_customer_with_archives(self):
        # Odoo's template user gives every internal user Contact Creation, which opens the merge.
        partner_manager = self.env.ref("base.group_partner_manager")
        self.other_sales_user.groups_id = [(4, partner_manager.id)]
        (self.customer | self.other_customer).email = "buy@example.com"  # Odoo's check for non-admins
        Wizard = self.env["base.partner.merge.automatic.wizard"].with_user(self.other_sales_user)
        wizard = Wizard.create(
            {
                "partner_ids": [(6, 0, (self.customer | self.other_customer).ids)],
                "dst_partner_id": self.other_customer.id,
            }
        )
        with self.assertRaises(AccessError):
            wizard.action_merge()
        self.assertTrue(self.customer.exists().active)
        self.assertEqual(self.ordinary.partner_id, self.customer)
        self.assertFalse(
            self.env["customer.archive"]
            .with_user(self.other_sales_user)
            .search([("id", "=", self.ordinary.id)])
        )
        # The archive office merges them; the archives follow the kept partner's salesperson.
        self.officer.groups_id = [(4, partner_manager.id)]
        self.env["base.partner.merge.automatic.wizard"].with_user(self.officer).create(
            {
                "partner_ids": [(6, 0, (self.customer | self.other_customer).ids)],
                "dst_partner_id": self.other_customer.id,
            }
        ).action_merge()
        self.assertEqual(self.ordinary.partner_id, self.other_customer)
