"""Issue 11: what changes in an archive is in its change history (修改后记录修改内容和日期)."""

import base64

from odoo.exceptions import UserError

from .common import CustomerArchiveCase


class TestChangeHistoryCompleteness(CustomerArchiveCase):
    def setUp(self):
        super().setUp()
        self.archive = self.create_archive(name="history")
        self.document = self.add_documents(self.archive)[:1]
        self.flush_tracking()

    def bodies(self, record):
        self.flush_tracking()
        return " ".join(str(message.body) for message in record.message_ids)

    def attachment(self, name):
        Attachment = self.env["ir.attachment"].with_user(self.officer)
        return Attachment.create({"name": name, "datas": base64.b64encode(b"scan")})

    def test_scan_files_added_replaced_and_removed(self):
        scan = self.attachment("licence.pdf")
        self.document.with_user(self.officer).write({"attachment_ids": [(4, scan.id)]})
        self.assertIn("licence.pdf", self.bodies(self.archive))
        scan.with_user(self.officer).write({"datas": base64.b64encode(b"better scan")})
        self.assertIn("Scan file replaced", self.bodies(self.archive))
        scan.with_user(self.officer).unlink()
        self.assertIn("Scan file removed", self.bodies(self.archive))

    def test_note_and_move_between_archives(self):
        self.document.with_user(self.officer).write({"note": "Stamp missing on page 2"})
        self.assertIn("Stamp missing on page 2", self.bodies(self.archive))
        other = self.create_archive(name="other")
        self.flush_tracking()
        self.document.with_user(self.officer).write({"archive_id": other.id})
        self.assertIn(f"moved to archive {other.number}", self.bodies(self.archive))
        self.assertIn(f"moved here from archive {self.archive.number}", self.bodies(other))

    def test_card_text_fields_are_tracked(self):
        card = self.card_of(self.customer)
        self.flush_tracking()
        card.with_user(self.officer).write({"competitor_relations": "Buys from 华南 too"})
        self.flush_tracking()
        values = card.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "competitor_relations"
        )
        self.assertEqual(values.new_value_char or values.new_value_text, "Buys from 华南 too")

    def test_category_retention_changes_are_tracked(self):
        category = self.category_basic
        category.write({"retention_years": category.retention_years + 5})
        self.flush_tracking()
        self.assertIn("retention_years", category.message_ids.tracking_value_ids.field_id.mapped("name"))


class TestDestroyedArchivesTakeNoFiles(CustomerArchiveCase):
    """Issue 11, 4: a destroyed archive is given no file again, however the file comes (RPC
    create, the chatter, a file moved onto it); a live archive takes them, in its history."""

    def test_no_file_reaches_a_destroyed_archive(self):
        archive = self.create_archive(name="destroyed")
        document = self.add_documents(archive)[:1]
        live = self.create_archive(name="live")
        live_document = self.add_documents(live)[:1]
        archive.sudo()._workflow_write({"state": "destroyed"})  # sudo: as the destruction does
        Attachment = self.env["ir.attachment"].with_user(self.officer)
        count = Attachment.sudo().search_count([])
        for record in (archive, document):
            with self.subTest(record=record._name), self.assertRaises(UserError):
                Attachment.create(
                    {"name": "late.pdf", "raw": b"scan", "res_model": record._name, "res_id": record.id}
                )
        with self.assertRaises(UserError):
            archive.with_user(self.officer).message_post(body="Found", attachments=[("late.pdf", b"scan")])
        scan = Attachment.create(
            {
                "name": "moved.pdf",
                "raw": b"scan",
                "res_model": live_document._name,
                "res_id": live_document.id,
            }
        )
        with self.assertRaises(UserError):
            scan.write({"res_id": document.id})
        self.assertEqual(Attachment.sudo().search_count([]), count + 1)
        self.assertEqual(scan.res_id, live_document.id)
        # The live archive took the file, and its history says so.
        self.flush_tracking()
        bodies = " ".join(str(message.body) for message in live.message_ids)
        self.assertIn("Scan file added to", bodies)
        self.assertIn("moved.pdf", bodies)
