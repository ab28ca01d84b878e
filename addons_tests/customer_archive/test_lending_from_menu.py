"""Lending from the Lending menu (issue 14, item 4): a new lending request or share, made from its
own menu, offers the archives the user may ask for (their scope and clearance, nothing destroyed,
nothing the level rules never open), their documents only, and a request is made in the name of
the requester's department."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import Form, new_test_user
from odoo.tools.safe_eval import safe_eval

from .borrow_common import MONDAY_9AM_UTC
from .common import CustomerArchiveCase

BORROW = "customer.archive.borrow"
SHARE = "customer.archive.share"


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestLendingFromTheMenu(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Sales Wang (ordinary clearance) is in the sales department; Sales Li is its manager.
        cls.department.member_ids = cls.sales_user
        cls.department.manager_id = cls.other_sales_user
        cls.office = cls.env["customer.archive.department"].create(
            {"name": "Archive Office", "code": "TOF", "member_ids": [fields.Command.set(cls.officer.ids)]}
        )
        cls.executive.archive_clearance = "top_secret"
        archive = cls._archive_with_documents
        cls.mine = archive("ordinary", "Wang's ordinary")
        cls.mine_secret = archive("secret", "Wang's secret")
        cls.mine_confidential = archive("confidential", "Wang's confidential")
        cls.mine_top_secret = archive("top_secret", "Wang's top secret")
        cls.mine_empty = cls.create_archive(name="Wang's temporary, nothing in it yet")
        cls.mine_destroyed = archive("ordinary", "Wang's destroyed")
        cls.mine_destroyed._workflow_write({"state": "destroyed"})
        cls.others = archive("ordinary", "Li's ordinary", partner=cls.other_customer)
        # The archives of this test (a database may hold others, e.g. demo data).
        cls.archives = cls.env["customer.archive"].search(
            [("partner_id", "in", (cls.customer | cls.other_customer).ids)]
        )
        cls.env.flush_all()

    @classmethod
    def _archive_with_documents(cls, level, name, partner=None):
        archive = cls.create_archive(partner=partner, confidentiality=level, name=name)
        cls.add_documents(archive)
        return archive

    def offered(self, model, field, user, form, context=None):
        """What the form's field offers ``user`` when they type nothing: the domain the client
        gets (fields_get), evaluated with the form's values, then name_search as an RPC does."""
        Model = self.env[model].with_user(user).with_context(**(context or {}))
        domain = safe_eval(
            Model.fields_get([field], ["domain"])[field]["domain"],
            {"company_id": form.company_id.id, "archive_id": form.archive_id.id},
        )
        Comodel = Model.env[Model._fields[field].comodel_name]
        return Comodel.browse([record_id for record_id, _name in Comodel.name_search("", domain, limit=None)])

    def new_request(self, user, model=BORROW):
        return Form(self.env[model].with_user(user))

    def test_a_salesperson_is_offered_the_archives_they_may_borrow(self):
        form = self.new_request(self.sales_user)
        self.assertEqual(form.company_id, self.company)
        offered = self.offered(BORROW, "archive_id", self.sales_user, form)
        # Their own customer's, within their clearance; nothing destroyed or without a document.
        self.assertEqual(offered, self.mine)

    def test_an_officer_is_offered_every_archive_within_clearance(self):
        form = self.new_request(self.officer)
        offered = self.offered(BORROW, "archive_id", self.officer, form) & self.archives
        self.assertEqual(offered, self.mine | self.mine_secret | self.others)

    def test_top_secret_archives_are_never_offered_for_lending_nor_confidential_for_sharing(self):
        borrowable = self.offered(BORROW, "archive_id", self.executive, self.new_request(self.executive))
        self.assertIn(self.mine_confidential, borrowable)  # read on site
        self.assertNotIn(self.mine_top_secret, borrowable)
        self.assertNotIn(self.mine_destroyed, borrowable)
        shareable = self.offered(SHARE, "archive_id", self.executive, self.new_request(self.executive, SHARE))
        self.assertEqual(
            shareable & self.archives, self.mine | self.mine_secret | self.mine_empty | self.others
        )

    def test_a_salesperson_shares_only_what_they_read(self):
        form = self.new_request(self.sales_user, SHARE)
        self.assertEqual(
            self.offered(SHARE, "archive_id", self.sales_user, form), self.mine | self.mine_empty
        )

    def test_documents_offered_are_those_of_the_chosen_archive(self):
        form = self.new_request(self.officer)
        form.archive_id = self.mine_secret
        self.assertEqual(form.company_id, self.company)
        documents = self.offered(BORROW, "document_ids", self.officer, form)
        self.assertEqual(documents, self.mine_secret.document_ids)
        form.archive_id = self.mine
        self.assertEqual(self.offered(BORROW, "document_ids", self.officer, form), self.mine.document_ids)

    def test_a_request_made_from_the_menu_is_in_the_requesters_department(self):
        form = self.new_request(self.sales_user)
        self.assertEqual((form.requester_id, form.department_id), (self.sales_user, self.department))
        form.archive_id = self.mine
        form.content = "The signed contract"
        form.purpose = "Prepare the renewal"
        form.date_due = MONDAY_9AM_UTC + timedelta(hours=2)
        request = form.save()
        self.assertEqual(
            (request.company_id, request.department_id, request.partner_id),
            (self.company, self.department, self.customer),
        )
        request.action_submit()
        self.assertEqual(request.state, "submitted")

    def test_the_office_asking_for_a_borrower_takes_the_borrowers_department(self):
        form = self.new_request(self.officer)
        self.assertEqual(form.department_id, self.office)
        form.requester_id = self.sales_user
        self.assertEqual(form.department_id, self.department)
        # A department's manager belongs to it too; someone of no department leaves it empty.
        form.requester_id = self.other_sales_user
        self.assertEqual(form.department_id, self.department)
        form.requester_id = self.manager
        self.assertFalse(form.department_id)

    def test_an_rpc_request_without_department_takes_the_requesters(self):
        values = {
            "archive_id": self.mine.id,
            "content": "Contract",
            "purpose": "Renewal",
            "date_start": MONDAY_9AM_UTC,
            "date_due": MONDAY_9AM_UTC + timedelta(hours=2),
        }
        request = self.env[BORROW].with_user(self.sales_user).create(dict(values))
        self.assertEqual(request.department_id, self.department)
        chosen = (
            self.env[BORROW].with_user(self.sales_user).create(dict(values, department_id=self.office.id))
        )
        self.assertEqual(chosen.department_id, self.office)
        by_office = (
            self.env[BORROW].with_user(self.officer).create(dict(values, requester_id=self.sales_user.id))
        )
        self.assertEqual(by_office.department_id, self.department)

    def test_the_department_of_a_submitted_request_stays_when_it_is_handed_over(self):
        request = (
            self.env[BORROW]
            .with_user(self.sales_user)
            .create(
                {
                    "archive_id": self.mine.id,
                    "content": "Contract",
                    "purpose": "Renewal",
                    "date_start": MONDAY_9AM_UTC,
                    "date_due": MONDAY_9AM_UTC + timedelta(hours=2),
                }
            )
        )
        request.action_submit()
        request.sudo()._handover_to(self.officer)  # sudo: as the handover wizard
        self.assertEqual((request.requester_id, request.department_id), (self.officer, self.department))

    def test_another_companys_archives_are_not_offered_in_this_company(self):
        other = self.env["res.company"].create({"name": "北方分公司"})
        officer = new_test_user(
            self.env,
            "ca_officer_two",
            groups="customer_archive.group_archive_officer",
            company_ids=[fields.Command.set([self.company.id, other.id])],
            company_id=self.company.id,
        )
        elsewhere = self.env["customer.archive"].create(
            {
                "partner_id": self.customer.id,
                "category_id": self.category_basic.id,
                "company_id": other.id,
                "department_id": self.env["customer.archive.department"]
                .create({"name": "North Sales", "code": "TNO", "company_id": other.id})
                .id,
            }
        )
        self.add_documents(elsewhere)
        both = {"allowed_company_ids": [self.company.id, other.id]}
        form = Form(self.env[BORROW].with_user(officer).with_context(**both))
        self.assertEqual(form.company_id, self.company)
        offered = self.offered(BORROW, "archive_id", officer, form, both)
        self.assertIn(self.mine, offered)
        self.assertNotIn(elsewhere, offered)
        # Working in the other company, its archives are the ones offered.
        there = {"allowed_company_ids": [other.id, self.company.id]}
        form = Form(self.env[BORROW].with_user(officer).with_context(**there))
        self.assertEqual(form.company_id, other)
        self.assertEqual(self.offered(BORROW, "archive_id", officer, form, there), elsewhere)
