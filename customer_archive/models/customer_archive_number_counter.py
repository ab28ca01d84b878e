from odoo import api, fields, models
from odoo.tools import SQL


class CustomerArchiveNumberCounter(models.Model):
    """Last archive number given per company and year (the sequence restarts every year).

    Numbers are drawn with one UPSERT on this row: a second transaction numbering an archive of
    the same company and year waits for the first and then fails with a serialization error,
    which Odoo retries, so two archives never get the same number and the numbers have no gap.
    """

    _name = "customer.archive.number.counter"
    _description = "Archive Number Counter"
    _order = "company_id, year desc"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    year = fields.Integer(required=True)
    last_number = fields.Integer(required=True, default=0)

    _sql_constraints = [
        ("company_year_uniq", "unique(company_id, year)", "One archive number counter per company and year."),
    ]

    @api.model
    def _next_number(self, company, year):
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO customer_archive_number_counter (company_id, year, last_number)
                VALUES (%(company)s, %(year)s, 1)
                ON CONFLICT (company_id, year)
                DO UPDATE SET last_number = customer_archive_number_counter.last_number + 1
                RETURNING last_number
                """,
                company=company.id,
                year=year,
            )
        )
        self.invalidate_model(["last_number"])
        return self.env.cr.fetchone()[0]

    @api.model
    def _advance_past(self, company, year, sequence, department_code=None, category_code=None):
        """Move the counter of a number series past ``sequence``, a number already given outside
        the system (an archive brought in from the paper registers): the next number drawn is
        higher, so the system never gives that number again. A counter already past it stays.

        Takes the company, the year and the sequence of the number (and its department and
        category codes, should series depend on them); returns the counter's last number."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO customer_archive_number_counter (company_id, year, last_number)
                VALUES (%(company)s, %(year)s, %(sequence)s)
                ON CONFLICT (company_id, year)
                DO UPDATE SET last_number = GREATEST(customer_archive_number_counter.last_number,
                                                     EXCLUDED.last_number)
                RETURNING last_number
                """,
                company=company.id,
                year=year,
                sequence=sequence,
            )
        )
        self.invalidate_model(["last_number"])
        return self.env.cr.fetchone()[0]
