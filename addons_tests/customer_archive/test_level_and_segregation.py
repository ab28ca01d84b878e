"""Issue 11: a level is lowered only by an archive office manager; an officer never registers a loan
they requested themselves."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestLevelChanges(BorrowCase):
    def test_lowering_a_level_needs_an_archive_office_manager(self):
        self.manager.archive_clearance = "top_secret"
        archive = self.create_archive(confidentiality="secret", name="to lower")
        document = self.add_documents(archive)[:1]
        self.flush_tracking()  # as if made in an earlier transaction
        for record in (archive, document):
            with self.subTest(model=record._name):
                with self.assertRaises(AccessError):
                    record.with_user(self.officer).write({"confidentiality": "ordinary"})
                self.assertEqual(record.confidentiality, "secret")
        # Raising is open to officers.
        ordinary = self.create_archive(name="to raise")
        ordinary.with_user(self.officer).write({"confidentiality": "secret"})
        self.assertEqual(ordinary.confidentiality, "secret")
        self.flush_tracking()
        # Lowering is the manager's, and the change is in the history with who made it.
        archive.with_user(self.manager).write({"confidentiality": "ordinary"})
        self.flush_tracking()
        document.with_user(self.manager).write({"confidentiality": "ordinary"})
        self.assertEqual((archive.confidentiality, document.confidentiality), ("ordinary", "ordinary"))
        values = archive.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "confidentiality"
        )
        self.assertIn(self.manager.partner_id, values.mail_message_id.author_id)


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestSegregation(BorrowCase):
    def test_an_officer_does_not_hand_out_or_take_back_their_own_loan(self):
        request = self.request(self.ordinary, user=self.officer)
        request.with_user(self.officer).action_submit()
        request.with_user(self.manager).action_approve()
        with freeze_time(MONDAY_9AM_UTC):
            with self.assertRaises(AccessError):
                request.with_user(self.officer).action_lend(**SIGNED)
            self.assertEqual(request.state, "approved")
            self.assertFalse(self.ordinary.is_lent)
            request.with_user(self.deputy).action_lend(**SIGNED)
        self.assertEqual((request.state, request.lent_by_id), ("lent", self.deputy))
        with freeze_time(MONDAY_9AM_UTC + timedelta(hours=1)):
            with self.assertRaises(AccessError):
                request.with_user(self.officer).action_return("complete")
            self.assertEqual(request.state, "lent")
            request.with_user(self.deputy).action_return("complete")
        self.assertEqual(request.state, "returned")


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestLevelOpened(BorrowCase):
    """One definition of what a request opens: the archive and every document it covers."""

    def test_a_whole_archive_request_follows_its_most_secret_document(self):
        archive = self._archive_with_documents("ordinary")
        secret_document = archive.document_ids[:1]
        secret_document.write({"confidentiality": "secret"})
        plain_document = archive.document_ids - secret_document
        whole = self.request(archive, hours=8)
        self.assertEqual(whole.confidentiality, "secret")
        # Secret rules: at most the company's hours (4), decided by an executive.
        with self.assertRaises(UserError):
            whole.with_user(self.sales_user).action_submit()
        self.assertEqual(whole.state, "draft")
        short = self.request(archive, hours=2)
        short.with_user(self.sales_user).action_submit()
        with self.assertRaises(AccessError):
            short.with_user(self.manager).action_approve()
        short.with_user(self.executive).action_approve()
        self.assertEqual(short.state, "approved")
        # Naming only the ordinary documents opens only them.
        named = self.request(archive, document_ids=[(6, 0, plain_document.ids)])
        self.assertEqual(named.confidentiality, "ordinary")
        share = self.env["customer.archive.share"].create(
            {"archive_id": archive.id, "purpose": "audit", "date_end": "2026-12-31"}
        )
        self.assertEqual(share.confidentiality, "secret")
        destruction = self.env["customer.archive.destruction"].create(
            {"line_ids": [(0, 0, {"archive_id": archive.id, "appraisal": "No longer needed"})]}
        )
        self.assertEqual(destruction.confidentiality_rank, 2)


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestNamingWhatOneMayNotRead(BorrowCase):
    """A request that names an archive or document discloses it: its author must be able to read it."""

    def test_requests_name_only_readable_archives_and_documents(self):
        foreign = self.create_archive(partner=self.other_customer, name="foreign")
        foreign_document = self.add_documents(foreign)[:1]
        self.assertFalse(
            self.env["customer.archive"].with_user(self.sales_user).search([("id", "=", foreign.id)])
        )
        Borrow = self.Borrow.with_user(self.sales_user)
        Share = self.env["customer.archive.share"].with_user(self.sales_user)
        values = {
            "content": "x",
            "purpose": "y",
            "date_start": MONDAY_9AM_UTC,
            "date_due": MONDAY_9AM_UTC + timedelta(hours=2),
        }
        count = self.Borrow.search_count([])
        with self.assertRaises(AccessError):
            Borrow.create({"archive_id": foreign.id, **values})
        with self.assertRaises(AccessError):
            Share.create({"archive_id": foreign.id, "purpose": "y", "date_end": "2026-12-31"})
        # Naming a foreign document on one's own request is refused too, and a write likewise.
        own = Borrow.create({"archive_id": self.ordinary.id, **values})
        with self.assertRaises(AccessError):
            Borrow.create(
                {"archive_id": self.ordinary.id, "document_ids": [(6, 0, foreign_document.ids)], **values}
            )
        with self.assertRaises(AccessError):
            own.write({"archive_id": foreign.id})
        self.assertEqual(own.archive_id, self.ordinary)
        self.assertEqual(self.Borrow.search_count([]), count + 1)
        # The form's onchange answers nothing about it (no customer, no level).
        spec = {"archive_id": {}, "partner_id": {"fields": {"display_name": {}}}, "confidentiality": {}}
        with self.assertRaises(AccessError):
            Borrow.onchange({"archive_id": foreign.id}, ["archive_id"], spec)
        answer = Borrow.onchange({"archive_id": self.ordinary.id}, ["archive_id"], spec)
        self.assertEqual(answer["value"]["partner_id"]["id"], self.customer.id)

    def test_a_wizards_or_lines_form_names_only_what_its_user_reads(self):
        """The other forms of the addons (wizards, report lines) answered whatever their user's
        rights: a salesperson was told a loan's archive, holder and due date through the monthly
        report's line, a secret archive's missing documents through the formalise wizard; an
        officer the customer of an archive above their clearance through the scanning screen."""
        self.assertFalse(
            self.env["customer.archive"].with_user(self.deputy).search([("id", "=", self.top_secret.id)])
        )
        values = {
            "content": "x",
            "purpose": "y",
            "date_start": MONDAY_9AM_UTC,
            "date_due": MONDAY_9AM_UTC + timedelta(hours=2),
        }
        above = self.Borrow.create({"archive_id": self.top_secret.id, **values})
        within = self.Borrow.create({"archive_id": self.ordinary.id, **values})
        archive_spec = {"archive_id": {}, "partner_id": {"fields": {"display_name": {}}}}
        borrow_spec = {"borrow_id": {}, "archive_id": {"fields": {"display_name": {}}}}
        refused = [
            (
                self.sales_user,
                "customer.archive.formalise.wizard",
                {"archive_id": self.top_secret.id},
                archive_spec,
            ),
            (self.sales_user, "customer.archive.monthly.report.line", {"borrow_id": above.id}, borrow_spec),
            (self.deputy, "customer.archive.scan", {"archive_id": self.top_secret.id}, archive_spec),
            (self.deputy, "customer.archive.borrow.bulk.return.line", {"borrow_id": above.id}, borrow_spec),
        ]
        for user, model, named, spec in refused:
            with self.subTest(model=model, user=user.login), self.assertRaises(AccessError):
                self.env[model].with_user(user).onchange(named, list(named), spec)
        # What the officer reads is answered.
        Scan = self.env["customer.archive.scan"].with_user(self.deputy)
        answer = Scan.onchange({"archive_id": self.ordinary.id}, ["archive_id"], archive_spec)["value"]
        self.assertEqual(answer["partner_id"]["id"], self.ordinary.partner_id.id)
        Line = self.env["customer.archive.borrow.bulk.return.line"].with_user(self.deputy)
        answer = Line.onchange({"borrow_id": within.id}, ["borrow_id"], borrow_spec)["value"]
        self.assertEqual(answer["archive_id"]["id"], self.ordinary.id)

    def test_a_form_names_no_archive_by_another_shape_of_id_nor_in_a_computed_field(self):
        """The second attack on forms: an archive above the officer's clearance named by a list in
        a many2one's values, or in a field the server computes (the lend wizard's archive, which
        is its request's)."""
        Document = self.env["customer.archive.document"].with_user(self.deputy)
        spec = {"archive_id": {"fields": {"display_name": {}}}, "archive_confidentiality": {}}
        with self.assertRaises(AccessError):
            Document.onchange({"archive_id": {"id": [self.top_secret.id]}}, ["archive_id"], spec)
        Lend = self.env["customer.archive.borrow.lend.wizard"].with_user(self.deputy)
        lend_spec = {"archive_id": {"fields": {"display_name": {}}}}
        # the computed archive is left out of the values, and so is no change of the user's
        with self.assertRaises(AccessError):
            Lend.onchange({"archive_id": self.top_secret.id}, ["archive_id"], lend_spec)
        answer = Lend.onchange(
            {"archive_id": self.top_secret.id, "borrower_signature": False}, ["borrower_signature"], lend_spec
        )
        self.assertFalse(answer["value"].get("archive_id"))
        # Their own archive's document form is answered.
        answer = Document.onchange({"archive_id": self.ordinary.id}, ["archive_id"], spec)["value"]
        self.assertNotIn("top_secret", str(answer))
        # Nor by a new form's default (the context's default_archive_id).
        Borrow = self.Borrow.with_user(self.deputy)
        with self.assertRaises(AccessError):
            Borrow.with_context(default_archive_id=self.top_secret.id).onchange({}, [], {"archive_id": {}})
        answer = Borrow.with_context(default_archive_id=self.ordinary.id).onchange({}, [], {"archive_id": {}})
        self.assertTrue(answer["value"]["archive_id"])


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestCopy(BorrowCase):
    """Duplicating an archive or a request makes a new draft; never an error dialog."""

    def test_copies_are_new_drafts_without_history(self):
        archive = self.ordinary
        copy = archive.with_user(self.officer).copy()
        self.assertNotEqual(copy.number, archive.number)
        self.assertEqual((copy.state, copy.lent_count), ("temporary", 0))
        request = self.request(self.ordinary)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.manager).action_approve()
        again = request.with_user(self.sales_user).copy()
        self.assertEqual((again.state, again.approver_id), ("draft", self.env["res.users"]))
        self.assertNotEqual(again.name, request.name)
        # Asking for a recorded value in the copy is still refused.
        with self.assertRaises(UserError):
            request.with_user(self.sales_user).copy({"state": "approved"})


class TestOpeningDate(BorrowCase):
    def test_a_future_opening_date_is_refused(self):
        Archive = self.env["customer.archive"].with_user(self.officer)
        values = {
            "partner_id": self.customer.id,
            "category_id": self.category_basic.id,
            "department_id": self.department.id,
        }
        with self.assertRaises(UserError):
            Archive.create(dict(values, date_opened="2099-01-04"))
        archive = Archive.create(dict(values, date_opened="2026-11-02"))
        with self.assertRaises(UserError):
            archive.write({"date_opened": "2099-01-04"})
        self.assertEqual(str(archive.date_opened), "2026-11-02")
