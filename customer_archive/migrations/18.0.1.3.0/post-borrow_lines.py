from odoo.tools import SQL


def migrate(cr, version):
    """Loans out at the upgrade get their documents lent recorded (``customer.archive.borrow.line``),
    as a hand-out now records them: the documents asked for, or every document of the archive not
    recorded missing, with their pages today; so that their take-back checks each document. Loans
    already back keep their one result for the whole loan. Runs once: loans with lines are skipped."""
    cr.execute(
        SQL(
            """
            WITH asked AS (
                SELECT customer_archive_borrow_id AS borrow_id, customer_archive_document_id AS document_id
                  FROM customer_archive_borrow_customer_archive_document_rel
            ), lent AS (
                SELECT b.id AS borrow_id, d.id AS document_id, d.sequence, d.page_count, b.company_id
                  FROM customer_archive_borrow b
                  JOIN customer_archive_document d ON d.archive_id = b.archive_id
                 WHERE b.state = 'lent'
                   AND NOT EXISTS (SELECT 1 FROM customer_archive_borrow_line l WHERE l.borrow_id = b.id)
                   AND CASE
                       WHEN EXISTS (SELECT 1 FROM asked a WHERE a.borrow_id = b.id)
                       THEN EXISTS (SELECT 1 FROM asked a WHERE a.borrow_id = b.id AND a.document_id = d.id)
                       ELSE d.condition != 'missing'
                   END
            )
            INSERT INTO customer_archive_borrow_line
                   (borrow_id, document_id, sequence, pages_lent, pages_counted, company_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT borrow_id, document_id,
                   row_number() OVER (PARTITION BY borrow_id ORDER BY sequence, document_id),
                   COALESCE(page_count, 0), 0, company_id,
                   1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
              FROM lent
            """
        )
    )
