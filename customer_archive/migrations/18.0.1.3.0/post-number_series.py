from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Existing databases keep their numbers: every series of the existing archives (as the
    company's current number format makes it of their year, department and category) starts after
    its highest existing number. A series not met here (numbers made under an older format) is
    counted the same way the first time it numbers an archive (``_next_number``)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    Counter = env["customer.archive.number.counter"]
    cr.execute(
        """
        SELECT DISTINCT a.company_id, EXTRACT(YEAR FROM a.date_opened)::int, d.code, c.code
          FROM customer_archive a
          LEFT JOIN customer_archive_department d ON d.id = a.department_id
          LEFT JOIN customer_archive_category c ON c.id = a.category_id
         WHERE a.number IS NOT NULL AND a.date_opened IS NOT NULL
        """
    )
    rows = []
    for company_id, year, department_code, category_code in cr.fetchall():
        company = env["res.company"].browse(company_id)
        series = company._archive_number_series(year, department_code, category_code)
        rows.append((company, year, series))
    for company, year, series in dict.fromkeys(rows):
        cr.execute(
            """
            INSERT INTO customer_archive_number_counter (company_id, series, year, last_number)
            VALUES (%s, %s, %s, %s)
            ON CONFLICT (company_id, series) DO NOTHING
            """,
            [company.id, series, year, Counter._highest_number(company, series)],
        )
