"""Shared set-up of the customer_archive tests: one user per role, a customer per salesperson."""

from unittest.mock import patch

from odoo.sql_db import TestCursor
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

DISABLED_MAIL_CONTEXT = {
    "tracking_disable": False,  # tracking is part of what these tests check
    "mail_create_nolog": True,
    "mail_notrack": False,
    "no_reset_password": True,
}


# A signature as the signature pad gives it (a stroke on a transparent PNG, base64): each hand-out
# is signed for by the borrower and countersigned by the officer (登记签名).
SIGNATURE = (
    b"iVBORw0KGgoAAAANSUhEUgAAADwAAAAUCAYAAADRA14pAAAAwklEQVR42u2XQQ6FMAhEpfHIHsM740YTUtuKMFSNZeNuhseA/k/MPP2p0vSzG"
    b"sADuFJEK8vnV4osL60SJPNC8OZ2H6R28sDKRtBJSz2ilVH6txK+gkUkkYMdmjXvMOArQwS0Bsrrk1CNeFdb6yETt3g1E66tF2IwVg+3Xw3YejPWbYg+hSa"
    b"wtxHtvaM/aZr7PgGjp55roPTNw5bA6GZy6GhYDfjcY/JRK9yq0pCLCUfC9gAN+S1tgX4DbDfg8X/4wdoAkz3QY6UDM5UAAAAASUVORK5CYII="
)
SIGNED = {"borrower_signature": SIGNATURE, "officer_signature": SIGNATURE}


class CustomerArchiveCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
        # Exporting is a right of its own in Odoo; the tests check that it stops at clearance.
        groups = "base.group_allow_export,customer_archive.group_archive_%s"
        cls.sales_user = new_test_user(cls.env, "ca_sales", groups=groups % "user", name="Sales Wang")
        cls.other_sales_user = new_test_user(cls.env, "ca_sales2", groups=groups % "user", name="Sales Li")
        cls.officer = new_test_user(cls.env, "ca_officer", groups=groups % "officer", name="Officer Zhao")
        cls.manager = new_test_user(cls.env, "ca_manager", groups=groups % "manager", name="Manager Sun")
        cls.executive = new_test_user(cls.env, "ca_exec", groups=groups % "executive", name="GM Zhou")
        cls.plain_user = new_test_user(cls.env, "ca_plain", groups="base.group_user", name="Plain Qian")
        # Contract and credit archives are secret by default: the archive office is cleared for them.
        (cls.officer | cls.manager).archive_clearance = "secret"
        cls.executive.archive_clearance = "top_secret"
        cls.department = cls.env["customer.archive.department"].create({"name": "Test Sales", "code": "TST"})
        cls.category_contract = cls.env.ref("customer_archive.category_contract")
        cls.category_basic = cls.env.ref("customer_archive.category_basic")
        cls.customer = cls.env["res.partner"].create(
            {"name": "华东机电", "is_company": True, "user_id": cls.sales_user.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "岭南建材", "is_company": True, "user_id": cls.other_sales_user.id}
        )
        cls.cabinet = cls.env["customer.archive.cabinet"].create(
            {"name": "Cabinet A", "code": "TA1", "capacity": 2}
        )
        # Odoo does not track records created in the running transaction; in real use the set-up
        # would have been committed, so forget that they are new.
        cls.env.flush_all()
        cls.env.cr.precommit.clear()

    def flush_tracking(self):
        """Tracking values are written when the transaction is about to commit."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()  # messages are posted on the thread, not through message_ids

    @classmethod
    def card_of(cls, partner=None):
        """The archive card of ``partner`` (default: the sales user's customer), made if missing."""
        return cls.env["customer.archive.card"]._ensure_for_partners(partner or cls.customer).sudo(False)

    @classmethod
    def create_archive(cls, partner=None, category=None, **values):
        return cls.env["customer.archive"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "category_id": (category or cls.category_basic).id,
                "department_id": cls.department.id,
                **values,
            }
        )

    @classmethod
    def add_documents(cls, archive, types=None, **values):
        types = types if types is not None else archive.category_id.required_document_type_ids
        return cls.env["customer.archive.document"].create(
            [{"archive_id": archive.id, "type_id": doc_type.id, **values} for doc_type in types]
        )


class ReadOnlyRequestsMixin:
    """For HttpCase classes: a read-only request ends as on a real server. A real cursor runs its
    post-commit hooks when it commits, where the access log writes the entries of a read-only
    request (in a transaction of its own on the primary); Odoo's test cursor drops them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        commit = TestCursor.commit

        def commit_and_run_hooks(cr):
            if not cr.readonly:
                return commit(cr)
            funcs, data = list(cr.postcommit._funcs), dict(cr.postcommit.data)
            result = commit(cr)
            cr.postcommit._funcs.extend(funcs)
            cr.postcommit.data.update(data)
            cr.postcommit.run()
            return result

        cls.startClassPatcher(patch.object(TestCursor, "commit", commit_and_run_hooks))
