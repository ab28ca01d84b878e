from odoo.tools import SQL


def migrate(cr, version):
    """Documents carry their archive's opening date (``archive_date_opened``), the first key of
    their lists' order: filled here in one statement, before the update would compute it record
    by record for every document."""
    cr.execute(SQL("ALTER TABLE customer_archive_document ADD COLUMN IF NOT EXISTS archive_date_opened date"))
    cr.execute(
        SQL(
            "UPDATE customer_archive_document d SET archive_date_opened = a.date_opened"
            " FROM customer_archive a WHERE a.id = d.archive_id"
        )
    )
