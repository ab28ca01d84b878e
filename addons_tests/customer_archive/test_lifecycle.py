from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form

from .common import CustomerArchiveCase


class TestArchiveLifecycle(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        calendar = cls.env["resource.calendar"].create({"name": "Mon-Fri", "tz": "Asia/Shanghai"})
        cls.company.resource_calendar_id = calendar
        cls.calendar = calendar

    # ------------------------------------------------------------ formalisation deadline
    def test_deadline_is_five_working_days_after_receipt(self):
        archive = self.create_archive()
        with freeze_time("2026-11-30 09:00:00"):
            archive.with_user(self.officer).action_receive_completion_documents("2026-11-27")  # a Friday
        self.assertEqual(archive.date_completion_received, date(2026, 11, 27))
        self.assertEqual(archive.formalisation_deadline, date(2026, 12, 4))

    def test_deadline_skips_public_holidays(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": "2026-11-30 16:00:00",  # 2026-12-01 00:00 in Shanghai
                "date_to": "2026-12-01 15:59:59",
            }
        )
        archive = self.create_archive()
        with freeze_time("2026-11-30 09:00:00"):
            archive.with_user(self.officer).action_receive_completion_documents("2026-11-27")
        self.assertEqual(archive.formalisation_deadline, date(2026, 12, 7))

    def test_receiving_needs_officer_a_temporary_archive_and_no_future_date(self):
        archive = self.create_archive()
        with self.assertRaises(AccessError):
            archive.with_user(self.sales_user).action_receive_completion_documents()
        with freeze_time("2026-11-30 09:00:00"), self.assertRaises(UserError):
            archive.with_user(self.officer).action_receive_completion_documents("2026-12-05")
        self.assertFalse(archive.date_completion_received)
        self.assertFalse(archive.formalisation_deadline)

    # ------------------------------------------------------------ completeness and formalising
    def test_completeness_against_the_checklist(self):
        archive = self.create_archive(category=self.category_contract)
        required = self.category_contract.required_document_type_ids
        self.add_documents(archive, required[:7])
        self.add_documents(archive, required[7:8], condition="missing")
        self.assertEqual(archive.completeness, "7/11")
        self.assertEqual(archive.missing_document_type_ids, required[7:])
        self.assertFalse(archive.is_complete)

    def test_the_incomplete_filter_finds_what_the_checklist_shows(self):
        """The "Incomplete" filter is one SQL condition finding the archives whose checklist lacks
        a document (missing ones count as lacking), as each archive's form shows it."""
        required = self.category_contract.required_document_type_ids
        complete = self.create_archive(category=self.category_contract)
        self.add_documents(complete, required)
        partial = self.create_archive(category=self.category_contract)
        self.add_documents(partial, required[:-1])
        lost = self.create_archive(category=self.category_contract)
        self.add_documents(lost, required[:-1])
        self.add_documents(lost, required[-1:], condition="missing")
        empty = self.create_archive(category=self.category_contract)
        basic = self.create_archive()  # its category's checklist
        self.add_documents(basic)
        archives = complete | partial | lost | empty | basic
        Archive = self.env["customer.archive"].with_user(self.officer)
        scope = [("id", "in", archives.ids)]
        for domain, expected in (
            ([("is_complete", "=", False)], partial | lost | empty),
            ([("is_complete", "=", True)], complete | basic),
            ([("is_complete", "!=", True)], partial | lost | empty),
            ([("is_complete", "!=", False)], complete | basic),
        ):
            with self.subTest(domain=domain):
                found = Archive.search([*scope, *domain])
                self.assertEqual(found, expected.with_user(self.officer))
                # what each form shows
                _field, operator, value = domain[0]
                shown = Archive.search(scope).filtered(
                    lambda a, v=value, o=operator: (a.is_complete == v) == (o == "=")
                )
                self.assertEqual(found, shown)
        # the view's filter
        view = self.env.ref("customer_archive.customer_archive_view_search")
        self.assertIn("is_complete", view.arch)
        with self.assertRaises(UserError):
            Archive.search([("is_complete", "in", [True])])
        # a document found again completes the archive
        lost.document_ids.filtered(lambda d: d.condition == "missing").condition = "good"
        self.assertEqual(
            Archive.search([*scope, ("is_complete", "=", False)]), (partial | empty).with_user(self.officer)
        )
        # an archived document type is off the checklist: the archive lacking only it is complete
        required[-1].active = False
        self.env.invalidate_all()
        self.assertTrue(partial.with_user(self.officer).is_complete)
        self.assertEqual(Archive.search([*scope, ("is_complete", "=", False)]), empty.with_user(self.officer))
        # so for a client reading archived records too
        Everything = Archive.with_context(active_test=False)
        self.assertTrue(partial.with_env(Everything.env).is_complete)
        self.assertEqual(
            Everything.search([*scope, ("is_complete", "=", False)]), empty.with_env(Everything.env)
        )

    def test_an_import_with_a_wrong_row_names_that_row(self):
        """Odoo's import retries a failed batch row by row with the values it was given: the
        number each archive gets is not put in them, or every row would be refused as choosing its
        number, and the wrong row would not be the one named."""
        Archive = self.env["customer.archive"].with_user(self.officer)
        columns = ["partner_id/.id", "category_id/.id", "department_id/.id", "name", "date_opened"]
        good = [self.customer.id, self.category_basic.id, self.department.id, "好的", "2026-01-05"]
        future = [self.customer.id, self.category_basic.id, self.department.id, "未来", "2099-01-05"]
        before = Archive.search_count([])
        result = Archive.load(columns, [[str(value) for value in row] for row in (good, future)])
        self.assertFalse(result["ids"])
        self.assertEqual(Archive.search_count([]), before)
        errors = [message for message in result["messages"] if message["type"] == "error"]
        self.assertIn(1, [message["record"] for message in errors])
        for message in errors:
            with self.subTest(message=message["message"]):
                self.assertNotIn("numbers are given by the system", message["message"])
        # the good row alone is imported, numbered by the system
        imported = Archive.browse(Archive.load(columns, [[str(value) for value in good]])["ids"])
        self.assertTrue(imported.number)

    def test_formalising_needs_every_required_document(self):
        archive = self.create_archive(category=self.category_contract)
        self.add_documents(archive, self.category_contract.required_document_type_ids[:10])
        with self.assertRaises(UserError):
            archive.with_user(self.officer).action_formalise()
        self.assertEqual(archive.state, "temporary")
        self.add_documents(archive, self.category_contract.required_document_type_ids[10:])
        archive.with_user(self.officer).action_formalise()
        self.assertEqual(archive.state, "formal")
        self.assertTrue(archive.date_formalised)
        self.assertFalse(archive.formalisation_override_reason)

    def test_only_a_manager_overrides_the_checklist_with_a_reason(self):
        archive = self.create_archive(category=self.category_contract)
        with self.assertRaises(AccessError):
            archive.with_user(self.officer).action_formalise(override_reason="Customer lost item 1.8")
        self.assertEqual(archive.state, "temporary")
        with self.assertRaises(UserError):
            archive.with_user(self.manager).action_formalise(override_reason="   ")
        archive.with_user(self.manager).action_formalise(override_reason="Customer lost item 1.8")
        self.assertEqual(archive.state, "formal")
        self.assertEqual(archive.formalisation_override_reason, "Customer lost item 1.8")
        self.assertEqual(archive.formalisation_override_user_id, self.manager)

    def test_override_wizard(self):
        archive = self.create_archive(category=self.category_contract)
        action = archive.with_user(self.manager).action_open_formalise_wizard()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(action["context"])
        )
        self.assertEqual(len(wizard_form.missing_document_type_ids), 11)
        wizard_form.reason = "Approved by the general manager"
        wizard_form.save().action_confirm()
        self.assertEqual(archive.state, "formal")
        self.assertEqual(archive.formalisation_override_user_id, self.manager)

    def test_sales_staff_cannot_formalise(self):
        archive = self.create_archive()
        self.add_documents(archive)
        with self.assertRaises(AccessError):
            archive.with_user(self.sales_user).action_formalise()
        self.assertEqual(archive.state, "temporary")

    def test_state_and_workflow_dates_cannot_be_written_directly(self):
        archive = self.create_archive()
        for values in (
            {"state": "filed"},
            {"state": "formal"},
            {"formalisation_deadline": "2030-01-01"},
            {"date_completion_received": "2026-01-01"},
            {"formalisation_override_reason": "because"},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                archive.with_user(self.executive).write(values)
            # An RPC caller cannot forge the workflow's context either.
            with self.subTest(values=values, context=True), self.assertRaises(UserError):
                archive.with_user(self.executive).with_context(customer_archive_workflow=True).write(values)
        with self.assertRaises(UserError):
            self.create_archive(state="filed", cabinet_id=self.cabinet.id)
        self.assertEqual(archive.state, "temporary")
        self.assertFalse(archive.formalisation_deadline or archive.formalisation_override_reason)

    # ------------------------------------------------------------ filing
    def _formal_archive(self):
        archive = self.create_archive()
        self.add_documents(archive)
        archive.action_formalise()
        return archive

    def test_filing_needs_a_formal_archive_and_a_cabinet(self):
        temporary = self.create_archive(cabinet_id=self.cabinet.id)
        with self.assertRaises(UserError):
            temporary.with_user(self.officer).action_file()
        archive = self._formal_archive()
        with self.assertRaises(UserError):
            archive.with_user(self.officer).action_file()
        self.assertEqual(archive.state, "formal")
        archive.with_user(self.officer).cabinet_id = self.cabinet
        archive.with_user(self.officer).action_file()
        self.assertEqual(archive.state, "filed")
        self.assertTrue(archive.date_filed)
        self.assertIn(archive, self.cabinet.archive_ids)

    def test_a_full_cabinet_takes_no_more(self):
        first, second, third = (self._formal_archive() for _ in range(3))
        (first | second).cabinet_id = self.cabinet
        with self.assertRaises(ValidationError):
            third.cabinet_id = self.cabinet
        self.assertFalse(third.cabinet_id)

    # ------------------------------------------------------------ never deleted
    def test_archives_and_documents_are_never_deleted(self):
        archive = self.create_archive()
        document = self.add_documents(archive)[0]
        for env in (self.env(user=self.executive), self.env(su=True)):
            with self.subTest(user=env.uid, su=env.su):
                with self.assertRaises(UserError):
                    archive.with_env(env).unlink()
                with self.assertRaises(UserError):
                    document.with_env(env).unlink()
        self.assertTrue(archive.exists())
        self.assertTrue(document.exists())

    # ------------------------------------------------------------ overdue scheduled action
    def test_overdue_formalisation_flag_and_activity(self):
        archive = self.create_archive(user_id=self.officer.id)
        on_time = self.create_archive(user_id=self.officer.id)
        with freeze_time("2026-11-27 09:00:00"):
            archive.with_user(self.officer).action_receive_completion_documents()
        with freeze_time("2026-12-04 09:00:00"):
            on_time.with_user(self.officer).action_receive_completion_documents()
        Archive = self.env["customer.archive"]
        activity_type = self.env.ref("customer_archive.mail_activity_type_formalisation_overdue")
        with freeze_time("2026-12-04 09:00:00"):  # the deadline day: not yet overdue
            self.assertFalse(archive.is_formalisation_overdue)
            self.assertFalse(Archive._cron_notify_overdue_formalisation() & (archive | on_time))
        with freeze_time("2026-12-07 09:00:00"):
            archive.invalidate_recordset(["is_formalisation_overdue"])
            self.assertTrue(archive.is_formalisation_overdue)
            overdue = Archive.search(
                [("is_formalisation_overdue", "=", True), ("id", "in", (archive | on_time).ids)]
            )
            self.assertEqual(overdue, archive)
            self.assertEqual(Archive._cron_notify_overdue_formalisation() & (archive | on_time), archive)
            # A second run gives no second activity.
            self.assertFalse(Archive._cron_notify_overdue_formalisation() & archive)
        activities = archive.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.officer)
        self.assertFalse(on_time.activity_ids)
        # Formalising closes the activity.
        self.add_documents(archive)
        archive.with_user(self.officer).action_formalise()
        self.assertFalse(archive.activity_ids.filtered(lambda a: a.activity_type_id == activity_type))

    def test_overdue_scheduled_action_works_in_bounded_batches(self):
        archives = self.create_archive() | self.create_archive() | self.create_archive()
        with freeze_time("2026-11-02 09:00:00"):
            archives.action_receive_completion_documents()
        Archive = self.env["customer.archive"]
        with freeze_time("2026-11-20 09:00:00"):
            runs = [Archive._cron_notify_overdue_formalisation(batch_size=2) for _ in range(4)]
        self.assertTrue(all(len(run) <= 2 for run in runs))
        # Each overdue archive is handled once, whatever the number of runs.
        self.assertEqual(sum(len(run & archives) for run in runs), 3)
        self.assertFalse(runs[-1] & archives)

    def test_scheduled_action_is_registered(self):
        cron = self.env.ref("customer_archive.ir_cron_notify_overdue_formalisation")
        self.assertTrue(cron.active)
        self.assertEqual(cron.model_id.model, "customer.archive")
