"""The integrity check per document (issue 14, item 6: 检查完整性): taking back a loan lists the
documents lent with their pages, each found complete, damaged or missing; the loan's result comes
from them; damaged and missing documents take that condition and open a repair; damage found
outside a loan is recorded as a repair too."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED

NOW = MONDAY_9AM_UTC - timedelta(minutes=30)
RETURN = "customer.archive.borrow.return.wizard"
REPAIR_WIZARD = "customer.archive.repair.wizard"
REPAIR_ACTIVITY = "customer_archive.mail_activity_type_repair"


@freeze_time(NOW)
class TestIntegrityPerDocument(BorrowCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for pages, document in enumerate(cls.ordinary.document_ids, start=2):
            document.page_count = pages
        cls.first, cls.second, *cls.others = cls.ordinary.document_ids

    def lent(self, archive=None, **values):
        request = self.request(archive or self.ordinary, **values)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.executive).action_approve()
        request.with_user(self.officer).action_lend(**SIGNED)
        return request

    def return_form(self, request):
        action = request.with_user(self.officer).action_open_return_wizard()
        return Form(self.env[RETURN].with_user(self.officer).with_context(action["context"]))

    def repairs(self, request):
        return request.with_user(self.officer).repair_ids

    def test_one_document_missing_makes_the_loan_missing_and_opens_a_repair(self):
        request = self.lent()
        form = self.return_form(request)
        self.assertEqual(len(form.line_ids), len(self.ordinary.document_ids))
        self.assertEqual(form.integrity_result, "complete")
        with form.line_ids.edit(1) as line:
            self.assertEqual((line.document_id, line.pages_lent, line.pages_counted), (self.second, 3, 3))
            line.integrity_result = "missing"
            self.assertEqual(line.pages_counted, 0)
        self.assertEqual(form.integrity_result, "missing", "derived from the documents")
        form.integrity_note = "The acceptance report was not brought back."
        form.save().action_confirm()

        self.assertEqual((request.state, request.integrity_result), ("returned", "missing"))
        by_document = {line.document_id: line for line in request.line_ids}
        self.assertEqual(
            (by_document[self.second].integrity_result, by_document[self.second].pages_counted),
            ("missing", 0),
        )
        self.assertEqual(
            (by_document[self.first].integrity_result, by_document[self.first].pages_counted), ("complete", 2)
        )
        self.assertEqual(self.second.condition, "missing")
        self.assertEqual(
            {document.condition for document in self.ordinary.document_ids - self.second}, {"good"}
        )
        repair = self.repairs(request)
        self.assertRecordValues(
            repair,
            [
                {
                    "kind": "missing",
                    "state": "to_repair",
                    "description": "The acceptance report was not brought back.",
                }
            ],
        )
        self.assertEqual(repair.document_ids, self.second)
        self.assertIn(self.manager, repair.activity_ids.user_id)
        self.assertFalse(self.ordinary.is_lent)

    def test_damaged_and_missing_documents_each_get_their_repair(self):
        request = self.lent()
        request.with_user(self.officer).action_return(
            integrity_note="Cover torn; licence copy lost",
            document_results=[
                {"document_id": self.first.id, "integrity_result": "damaged", "pages_counted": 1},
                {"document_id": self.second.id, "integrity_result": "missing"},
            ],
        )
        self.assertEqual(request.integrity_result, "missing")
        repairs = self.repairs(request)
        self.assertEqual(
            {repair.kind: repair.document_ids for repair in repairs},
            {"damaged": self.first, "missing": self.second},
        )
        self.assertEqual((self.first.condition, self.second.condition), ("damaged", "missing"))
        line = request.line_ids.filtered(lambda line: line.document_id == self.first)
        self.assertEqual((line.integrity_result, line.pages_lent, line.pages_counted), ("damaged", 2, 1))

    def test_a_check_that_does_not_add_up_is_refused_and_changes_nothing(self):
        request = self.lent()
        outsider = self.secret.document_ids[:1]
        refused = {
            "complete with pages short": [{"document_id": self.first.id, "pages_counted": 1}],
            "missing with pages": [
                {"document_id": self.first.id, "integrity_result": "missing", "pages_counted": 2}
            ],
            "a document not lent": [{"document_id": outsider.id, "integrity_result": "damaged"}],
            "a document twice": [{"document_id": self.first.id}, {"document_id": self.first.id}],
            "an unknown result": [{"document_id": self.first.id, "integrity_result": "wet"}],
            "pages as text": [
                {"document_id": self.first.id, "integrity_result": "damaged", "pages_counted": "2"}
            ],
            "not a check": ["everything fine"],
        }
        for label, results in refused.items():
            with self.subTest(check=label), self.assertRaises(UserError):
                request.with_user(self.officer).action_return(integrity_note="x", document_results=results)
        with self.assertRaises(ValidationError):
            request.with_user(self.officer).action_return(
                integrity_note="x",
                document_results=[
                    {"document_id": self.first.id, "integrity_result": "damaged", "pages_counted": -1}
                ],
            )
        with self.assertRaisesRegex(UserError, "Describe the damage"):
            request.with_user(self.officer).action_return(
                document_results=[{"document_id": self.first.id, "integrity_result": "damaged"}]
            )
        with self.assertRaisesRegex(UserError, "not both"):
            request.with_user(self.officer).action_return(
                "damaged",
                "x",
                document_results=[{"document_id": self.first.id, "integrity_result": "damaged"}],
            )
        with self.assertRaises(AccessError):
            request.with_user(self.sales_user).action_return(document_results=[])
        self.assertEqual(request.state, "lent")
        self.assertFalse(any(request.line_ids.mapped("integrity_result")))
        self.assertFalse(self.repairs(request))
        self.assertEqual({document.condition for document in self.ordinary.document_ids}, {"good"})

    def test_the_results_are_written_by_the_take_back_only(self):
        request = self.lent()
        request.with_user(self.officer).action_return(document_results=[])
        self.assertEqual(request.integrity_result, "complete")
        line = request.line_ids[:1]
        with self.assertRaises(UserError):
            line.with_user(self.sales_user).write({"integrity_result": "missing"})
        for user in (self.sales_user, self.officer, self.manager):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    request.with_user(user).write({"integrity_result": "damaged"})
                with self.assertRaises(UserError):
                    request.with_user(user).write(
                        {"line_ids": [(1, line.id, {"integrity_result": "missing"})]}
                    )
        with self.assertRaises(UserError):
            line.with_user(self.officer).write({"pages_counted": 0})
        # Taking it back again is refused: it is back.
        with self.assertRaises(UserError):
            request.with_user(self.officer).action_return(
                integrity_note="x",
                document_results=[{"document_id": line.document_id.id, "integrity_result": "missing"}],
            )
        self.assertEqual((line.integrity_result, request.integrity_result), ("complete", "complete"))

    def test_one_result_for_the_whole_loan_still_checks_every_document(self):
        """The bulk take-back (and RPC callers) give one result for a loan: every document lent
        gets it, or only those named."""
        whole = self.lent()
        whole.with_user(self.officer).action_return("damaged", "Wet folder")
        self.assertEqual(set(whole.line_ids.mapped("integrity_result")), {"damaged"})
        self.assertEqual(self.repairs(whole).document_ids, self.ordinary.document_ids)
        named = self.lent(self.secret, hours=2)
        torn = self.secret.document_ids[:1]
        named.with_user(self.officer).action_return("damaged", "Torn", damaged_document_ids=torn.ids)
        self.assertEqual(
            {line.document_id: line.integrity_result for line in named.line_ids},
            {
                document: "damaged" if document == torn else "complete"
                for document in self.secret.document_ids
            },
        )
        self.assertEqual(self.repairs(named).document_ids, torn)

    def test_the_bulk_take_back_keeps_one_result_per_loan(self):
        request = self.lent()
        form = Form(
            self.env["customer.archive.borrow.bulk.return.wizard"]
            .with_user(self.officer)
            .with_context(active_model=request._name, active_ids=request.ids)
        )
        with form.line_ids.edit(0) as line:
            line.integrity_result = "missing"
            line.integrity_note = "Folder lost"
        wizard = form.save()
        wizard.action_confirm()
        self.assertEqual((wizard.done_count, request.integrity_result), (1, "missing"))
        self.assertEqual(set(request.line_ids.mapped("integrity_result")), {"missing"})
        self.assertEqual(set(request.line_ids.mapped("pages_counted")), {0})
        self.assertEqual(set(self.ordinary.document_ids.mapped("condition")), {"missing"})

    def test_a_loan_without_documents_gets_one_result(self):
        # Its only document is recorded missing: a whole-archive loan lends the folder alone.
        empty = self.create_archive(name="Empty folder")
        self.add_documents(empty).condition = "missing"
        request = self.lent(empty)
        self.assertFalse(request.line_ids)
        form = self.return_form(request)
        self.assertFalse(form.by_document)
        form.integrity_result = "damaged"
        form.integrity_note = "Folder spine broken"
        form.save().action_confirm()
        self.assertEqual(request.integrity_result, "damaged")
        self.assertEqual(self.repairs(request).kind, "damaged")


@freeze_time(NOW)
class TestRepairOutsideALoan(BorrowCase):
    def record_form(self, user=None, **context):
        return Form(self.env[REPAIR_WIZARD].with_user(user or self.officer).with_context(**context))

    def test_the_office_records_damage_found_on_a_document(self):
        document = self.ordinary.document_ids[:1]
        form = self.record_form(
            default_archive_id=self.ordinary.id, default_document_ids=[(6, 0, document.ids)]
        )
        form.kind = "damaged"
        form.description = "Water stain found at the yearly inventory"
        action = form.save().action_confirm()
        repair = self.env["customer.archive.repair"].browse(action["res_id"])
        self.assertRecordValues(
            repair.with_user(self.officer),
            [{"archive_id": self.ordinary.id, "kind": "damaged", "state": "to_repair"}],
        )
        self.assertFalse(repair.sudo().borrow_id)  # sudo: the request field is the office's
        self.assertEqual(repair.document_ids, document)
        self.assertEqual(document.condition, "damaged")
        told = repair.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.env.ref(REPAIR_ACTIVITY)
        ).user_id
        self.assertIn(self.manager, told)
        self.assertNotIn(self.officer, told)
        repair.with_user(self.officer).action_mark_repaired()
        self.assertEqual(document.condition, "good")

    def test_a_folder_damaged_as_a_whole_and_documents_missing(self):
        Repair = self.env["customer.archive.repair"].with_user(self.officer)
        folder = Repair._record_outside_loan(
            self.ordinary, self.env["customer.archive.document"], "damaged", "Spine"
        )
        self.assertFalse(folder.document_ids)
        with self.assertRaisesRegex(UserError, "Name the documents"):
            Repair._record_outside_loan(
                self.ordinary, self.env["customer.archive.document"], "missing", "Lost"
            )
        lost = self.ordinary.document_ids[-1:]
        Repair._record_outside_loan(self.ordinary, lost, "missing", "Not in the folder")
        self.assertEqual(lost.condition, "missing")

    def test_recording_damage_keeps_the_rules(self):
        Repair = self.env["customer.archive.repair"]
        document = self.ordinary.document_ids[:1]
        count = Repair.sudo().search_count([])  # sudo: every repair, whoever may read it
        # Sales staff do not record repairs, by the window or directly.
        with self.assertRaises(AccessError):
            self.record_form(self.sales_user, default_archive_id=self.ordinary.id)
        with self.assertRaises(AccessError):
            Repair.with_user(self.sales_user)._record_outside_loan(self.ordinary, document, "damaged", "x")
        with self.assertRaises(UserError):
            Repair.with_user(self.officer).create(
                {"archive_id": self.ordinary.id, "kind": "damaged", "description": "x"}
            )
        officer = Repair.with_user(self.officer)
        refused = {
            "no description": (self.ordinary, document, "damaged", " "),
            "a document of another archive": (self.secret, document, "damaged", "x"),
            "an unknown kind": (self.ordinary, document, "burnt", "x"),
        }
        for label, args in refused.items():
            with self.subTest(refused=label), self.assertRaises(UserError):
                officer._record_outside_loan(*args)
        # Above the officer's clearance: not readable, not recorded.
        with self.assertRaises(AccessError):
            officer._record_outside_loan(
                self.confidential, self.env["customer.archive.document"], "damaged", "x"
            )
        # A document out on a loan is checked when it comes back.
        request = self.request(self.ordinary, document_ids=[(6, 0, document.ids)])
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        request.with_user(self.officer).action_lend(**SIGNED)
        with self.assertRaisesRegex(UserError, "comes back"):
            officer._record_outside_loan(self.ordinary, document, "damaged", "x")
        # Another document of the same archive is in the office.
        officer._record_outside_loan(self.ordinary, self.ordinary.document_ids[1:2], "damaged", "Torn")
        self.assertEqual(Repair.sudo().search_count([]), count + 1)  # sudo: as above
        self.assertEqual(document.condition, "good")
