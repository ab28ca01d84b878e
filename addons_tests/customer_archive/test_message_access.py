"""Issue 11, 1 (mail): messages of a record, their attachments and tracking values are read only by
those who may read the record, whoever wrote them or was named on them: after a level was raised
above their clearance, or after the customer passed to another salesperson."""

import base64

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import CustomerArchiveCase

MESSAGE = "mail.message"


class MessageAccessCase(CustomerArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archive = cls.create_archive(name="Supply contract")
        # A message by the salesperson (an e-mail of theirs: sales staff only read archives), with a
        # file; and an officer's message naming them.
        cls.own_message = cls.archive.message_post(
            author_id=cls.sales_user.partner_id.id,
            body="Visited the customer",
            message_type="comment",
            attachments=[("visit.txt", b"Minutes of the visit")],
        )
        cls.attachment = cls.own_message.attachment_ids
        cls.named_message = cls.archive.with_user(cls.officer).message_post(
            body="Please check the terms",
            message_type="comment",
            partner_ids=cls.sales_user.partner_id.ids,
        )
        cls.messages = cls.own_message | cls.named_message

    def domain(self):
        return [("model", "=", "customer.archive"), ("res_id", "=", self.archive.id)]

    def assert_reads_messages(self, user):
        Message = self.env[MESSAGE].with_user(user)
        self.assertLessEqual(self.messages, Message.search(self.domain()))
        self.assertEqual(len(self.messages.with_user(user).read(["body"])), 2)
        fetched = Message._message_fetch(self.domain())["messages"]
        self.assertLessEqual(self.messages, fetched)
        self.assertEqual(self.attachment.with_user(user).raw, b"Minutes of the visit")

    def assert_reads_no_message(self, user):
        """Every RPC way to a message, its file and its tracking: nothing, and nothing changes."""
        Message = self.env[MESSAGE].with_user(user)
        self.assertFalse(Message.search(self.domain()))
        self.assertFalse(Message.search([("id", "in", self.messages.ids)]))
        self.assertFalse(Message.search_read(self.domain(), ["body"]))
        self.assertEqual(Message.search_count(self.domain()), 0)
        self.assertFalse(Message.web_search_read(self.domain(), {"body": {}})["records"])
        self.assertFalse(Message.read_group(self.domain(), ["id:count"], ["res_id"]))
        self.assertFalse(Message._message_fetch(self.domain())["messages"])
        self.assertFalse(Message.search([("needaction", "=", True), ("id", "in", self.messages.ids)]))
        for message in self.messages:
            with self.subTest(message=message.body), self.assertRaises(AccessError):
                message.with_user(user).read(["body"])
            with self.subTest(message=message.body), self.assertRaises(AccessError):
                message.with_user(user).web_read({"body": {}, "attachment_ids": {"fields": {"name": {}}}})
        with self.assertRaises(AccessError):
            self.own_message.with_user(user).write({"body": "Rewritten"})
        with self.assertRaises(AccessError):
            self.attachment.with_user(user).read(["raw"])
        self.assertFalse(self.env["ir.attachment"].with_user(user).search([("id", "=", self.attachment.id)]))
        with self.assertRaises(AccessError):
            self.env["mail.tracking.value"].with_user(user).search(
                [("mail_message_id", "in", self.messages.ids)]
            )
        # Nothing was changed or removed: the messages are still there for those who may read them.
        self.assertEqual(self.own_message.sudo().body, "<p>Visited the customer</p>")
        self.assertEqual(self.env[MESSAGE].sudo().search_count([("id", "in", self.messages.ids)]), 2)


class TestMessagesFollowTheRecord(MessageAccessCase):
    def test_a_raised_level_closes_the_messages_to_those_below_it(self):
        self.assert_reads_messages(self.sales_user)
        self.archive.with_user(self.officer).write({"confidentiality": "secret"})
        self.assert_reads_no_message(self.sales_user)
        # The officer, cleared for secret, reads them all, the level change's tracking included.
        self.flush_tracking()
        self.assert_reads_messages(self.officer)
        tracked = self.env[MESSAGE].sudo().search([*self.domain(), ("tracking_value_ids", "!=", False)])
        self.assertEqual(tracked.with_user(self.officer).search([("id", "in", tracked.ids)]), tracked)
        self.assertFalse(tracked.with_user(self.sales_user).search([("id", "in", tracked.ids)]))
        with self.assertRaises(AccessError):
            tracked.with_user(self.sales_user).read(["tracking_value_ids"])

    def test_a_former_salesperson_no_longer_reads_the_messages(self):
        self.customer.user_id = self.other_sales_user
        self.assert_reads_no_message(self.sales_user)
        self.assert_reads_messages(self.other_sales_user)

    def test_a_reply_to_a_message_does_not_open_the_record(self):
        """Being named on a message does not let one answer on a record one may not read."""
        self.archive.with_user(self.officer).write({"confidentiality": "secret"})
        count = self.env[MESSAGE].sudo().search_count(self.domain())
        with self.assertRaises(AccessError):
            self.archive.with_user(self.sales_user).message_post(
                body="Answer", message_type="comment", parent_id=self.named_message.id
            )
        self.assertEqual(self.env[MESSAGE].sudo().search_count(self.domain()), count)
        self.archive.with_user(self.officer).message_post(body="Answer", message_type="comment")
        self.assertEqual(self.env[MESSAGE].sudo().search_count(self.domain()), count + 1)

    def test_other_messages_are_untouched(self):
        """Messages of other models and private messages keep Odoo's own rules."""
        partner_message = self.customer.with_user(self.officer).message_post(
            body="Called", message_type="comment", partner_ids=self.sales_user.partner_id.ids
        )
        self.archive.with_user(self.officer).write({"confidentiality": "secret"})
        self.assertEqual(
            self.env[MESSAGE].with_user(self.sales_user).search([("id", "=", partner_message.id)]),
            partner_message,
        )
        self.assertTrue(partner_message.with_user(self.sales_user).read(["body"]))


class TestEveryChatterOfArchiveData(CustomerArchiveCase):
    def test_every_model_with_a_chatter_in_the_archive_addons_is_scoped(self):
        scoped = set(self.env[MESSAGE]._record_scoped_models())
        for name, Model in self.env.registry.items():
            if Model._abstract or Model._transient or "message_ids" not in Model._fields:
                continue
            if Model._original_module == "customer_archive":
                self.assertIn(name, scoped)
        self.assertLessEqual(
            {"customer.archive", "customer.archive.document", "customer.archive.share"}, scoped
        )
        self.assertNotIn("res.partner", scoped)

    def test_documents_requests_and_shares_messages_follow_their_record(self):
        """A document's or a share's messages are read by those who may read it, not by a user named
        on them who may not."""
        document = self.add_documents(self.create_archive())[:1]
        share = (
            self.env["customer.archive.share"]
            .with_user(self.sales_user)
            .create(
                {
                    "archive_id": self.create_archive().id,
                    "grantee_user_ids": [(6, 0, self.other_sales_user.ids)],
                    "purpose": "Joint offer",
                    "date_end": "2099-01-01",
                }
            )
        )
        for record in (document, share):
            with self.subTest(model=record._name):
                message = record.with_user(self.officer).message_post(
                    body="Note", message_type="comment", partner_ids=self.plain_user.partner_id.ids
                )
                self.assertFalse(
                    self.env[MESSAGE].with_user(self.plain_user).search([("id", "=", message.id)])
                )
                with self.assertRaises(AccessError):
                    message.with_user(self.plain_user).read(["body"])
                self.assertEqual(
                    self.env[MESSAGE].with_user(self.officer).search([("id", "=", message.id)]), message
                )


@tagged("post_install", "-at_install")
class TestMessagesOverHttp(MessageAccessCase, HttpCase):
    def fetch_thread(self):
        return self.make_jsonrpc_request(
            "/mail/thread/messages", {"thread_model": "customer.archive", "thread_id": self.archive.id}
        )

    def test_the_chatter_and_the_files_stop_at_the_level(self):
        self.authenticate("ca_sales", "ca_sales")
        self.assertLessEqual(set(self.messages.ids), set(self.fetch_thread()["messages"]))
        response = self.url_open(f"/web/content/{self.attachment.id}")
        self.assertEqual(response.status_code, 200)
        self.archive.with_user(self.officer).write({"confidentiality": "secret"})
        self.assertFalse(self.fetch_thread()["messages"])
        response = self.url_open(f"/web/content/{self.attachment.id}")
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn(b"Minutes", response.content)
        # The officer, cleared for the level, still reads the chatter and the file.
        self.authenticate("ca_officer", "ca_officer")
        self.assertLessEqual(set(self.messages.ids), set(self.fetch_thread()["messages"]))
        response = self.url_open(f"/web/content/{self.attachment.id}")
        self.assertEqual(base64.b64encode(response.content), base64.b64encode(b"Minutes of the visit"))


class TestMessageReadsAreLogged(MessageAccessCase):
    """Reading the messages of an archive above 'ordinary' is reading the archive: logged, however
    the messages are read; an ordinary archive's messages are not, like the archive itself."""

    def reads(self):
        return self.env["customer.archive.access.log"].search(
            [("user_id", "=", self.officer.id), ("action", "=", "read"), ("archive_id", "=", self.archive.id)]
        )

    def test_message_reads_are_archive_reads(self):
        Message = self.env[MESSAGE].with_user(self.officer)
        Message.search_read(self.domain(), ["body"])
        Message._message_fetch(self.domain())
        self.assertFalse(self.reads())
        self.archive.with_user(self.officer).write({"confidentiality": "secret"})
        channels = {
            "search_read": lambda: Message.search_read(self.domain(), ["body"]),
            "read": lambda: self.messages.with_user(self.officer).read(["body"]),
            "web_search_read": lambda: Message.web_search_read(self.domain(), {"body": {}}),
            "chatter": lambda: Message._message_fetch(self.domain()),
        }
        for channel, call in channels.items():
            with self.subTest(channel=channel):
                before = self.reads()
                call()
                self.assertEqual(len(self.reads() - before), 1)
