"""Notifications reach who must act (issue 14, item 11): a backup key used (用备份锁匙取文件柜资料，
须知会内勤部经理) and a repair (拆旧破损应及时修复) are told to the archive office managers of the
company: not to whoever used the key, not to the executives, not to another company's managers."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import new_test_user

from .borrow_common import MONDAY_9AM_UTC, BorrowCase
from .common import SIGNED

KEY_LOG = "customer.archive.cabinet.key.log"


class OfficeCase(BorrowCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "北方分公司"})
        groups = "customer_archive.group_archive_manager"
        cls.second_manager = new_test_user(cls.env, "ca_manager2", groups=groups, name="Manager Qian")
        cls.second_manager.archive_clearance = "secret"
        # A manager of the other company only.
        cls.north_manager = new_test_user(
            cls.env,
            "ca_manager_north",
            groups=groups,
            name="Manager Bei",
            company_id=cls.other_company.id,
            company_ids=[fields.Command.set(cls.other_company.ids)],
        )
        cls.office_managers = cls.env["res.users"]._archive_office_managers(cls.company)

    def told(self, record, xmlid):
        kind = self.env.ref(xmlid)
        # sudo: every user's activities
        return record.sudo().activity_ids.filtered(lambda activity: activity.activity_type_id == kind).user_id


class TestBackupKey(OfficeCase):
    def test_the_office_managers_are_the_managers_who_are_not_executives(self):
        self.assertIn(self.manager, self.office_managers)
        self.assertIn(self.second_manager, self.office_managers)
        self.assertNotIn(self.executive, self.office_managers)
        self.assertNotIn(self.north_manager, self.office_managers)
        self.assertNotIn(self.env.ref("base.user_admin"), self.office_managers)

    def test_an_officer_using_the_backup_key_tells_the_office_managers_only(self):
        self.cabinet.backup_key_holder_id = self.executive
        Log = self.env[KEY_LOG].with_user(self.officer)
        Log.create({"cabinet_id": self.cabinet.id, "key": "office", "purpose": "File archives"})
        self.assertFalse(self.cabinet.activity_ids)
        Log.create({"cabinet_id": self.cabinet.id, "key": "backup", "purpose": "Office key holder away"})
        told = self.told(self.cabinet, "customer_archive.mail_activity_type_backup_key")
        self.assertEqual(told, self.office_managers)
        self.assertIn(self.manager, told)
        for user in (self.officer, self.executive, self.north_manager):
            self.assertNotIn(user, told)
        # The cabinet's chatter keeps the use, as a note sent to nobody.
        note = self.cabinet.message_ids[0]
        self.assertIn("Office key holder away", note.body)
        self.assertFalse(note.partner_ids)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))

    def test_a_manager_using_the_backup_key_is_not_told_of_it(self):
        self.env[KEY_LOG].with_user(self.manager).create(
            {"cabinet_id": self.cabinet.id, "key": "backup", "purpose": "Audit"}
        )
        told = self.told(self.cabinet, "customer_archive.mail_activity_type_backup_key")
        self.assertNotIn(self.manager, told)
        self.assertIn(self.second_manager, told)

    def test_without_an_office_manager_the_executives_are_told(self):
        cabinet = self.env["customer.archive.cabinet"].create(
            {"name": "North", "code": "TN1", "company_id": self.other_company.id}
        )
        self.north_manager.groups_id = self.env.ref("customer_archive.group_archive_executive")
        officer = new_test_user(
            self.env,
            "ca_officer_north",
            groups="customer_archive.group_archive_officer",
            company_id=self.other_company.id,
            company_ids=[fields.Command.set(self.other_company.ids)],
        )
        self.env[KEY_LOG].with_user(officer).create(
            {"cabinet_id": cabinet.id, "key": "backup", "purpose": "Fire"}
        )
        self.assertEqual(
            self.told(cabinet, "customer_archive.mail_activity_type_backup_key"), self.north_manager
        )


@freeze_time(MONDAY_9AM_UTC - timedelta(minutes=30))
class TestRepairNotice(OfficeCase):
    def returned_damaged(self, archive):
        request = self.request(archive)
        request.with_user(self.sales_user).action_submit()
        request.with_user(self.executive).action_approve()
        request.with_user(self.officer).action_lend(**SIGNED)
        request.with_user(self.officer).action_return("damaged", "Page 3 torn")
        return request.sudo().repair_ids

    def test_a_repair_is_told_to_the_office_managers_of_the_company(self):
        repair = self.returned_damaged(self.ordinary)
        told = self.told(repair, "customer_archive.mail_activity_type_repair")
        self.assertEqual(told, self.office_managers)
        for user in (self.executive, self.north_manager, self.officer):
            self.assertNotIn(user, told)

    def test_managers_below_the_archives_level_are_not_told(self):
        self.second_manager.archive_clearance = "ordinary"
        repair = self.returned_damaged(self.secret)
        told = self.told(repair, "customer_archive.mail_activity_type_repair")
        self.assertIn(self.manager, told)
        self.assertNotIn(self.second_manager, told)

    def test_closing_a_repair_closes_its_to_dos_not_the_users_own(self):
        repair = self.returned_damaged(self.ordinary)
        own = repair.with_user(self.manager).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.manager.id, summary="Order new sleeves"
        )
        repair.with_user(self.officer).action_mark_repaired()
        self.assertFalse(self.told(repair, "customer_archive.mail_activity_type_repair"))
        self.assertTrue(own.exists())
