import re

from odoo import api, fields, models
from odoo.tools import SQL

# Where the sequence goes in a series (the number format with all its other parts filled in).
SEQUENCE_MARK = "{sequence}"


class CustomerArchiveNumberCounter(models.Model):
    """Last archive number given in one number series of a company (档案编号, no gaps: 断号).

    A series is what the company's number format makes of the year, the department and the
    category, e.g. ``2026-SAL-{sequence}``: ``2026-SAL-0001, 0002…`` and ``2026-CRE-0001…`` are two
    series, each with its own counter row. A number is drawn with the counter row locked (SELECT
    … FOR UPDATE, or the insertion of a series' first row): a second transaction numbering in the
    same series waits for the first and then fails with a serialization error, which Odoo
    retries, so two archives never get the same number; the database also refuses a number twice
    in a company (``customer.archive``'s unique constraint).
    """

    _name = "customer.archive.number.counter"
    _description = "Archive Number Counter"
    # A counter is its series (2026-SAL-{sequence}).
    _rec_name = "series"
    _order = "company_id, year desc, series"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    series = fields.Char(required=True, help="The number format with all but the sequence filled in.")
    year = fields.Integer(required=True)
    last_number = fields.Integer(required=True, default=0)

    _sql_constraints = [
        ("company_series_uniq", "unique(company_id, series)", "One archive number counter per series."),
    ]

    @api.model
    def _next_number(self, company, year, series):
        """Draw the next sequence number of ``series`` (str, see ``res.company._archive_number_series``)
        in ``company`` for an archive opened in ``year``; returns the int. A series' first number
        follows the highest number the company already has in it (numbers given before series had
        counters of their own). Raises a serialization error when another transaction numbers in
        the same series meanwhile (retried by Odoo)."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT last_number FROM customer_archive_number_counter"
                " WHERE company_id = %s AND series = %s FOR UPDATE",
                company.id,
                series,
            )
        )
        if cr.fetchone():
            cr.execute(
                SQL(
                    "UPDATE customer_archive_number_counter SET last_number = last_number + 1"
                    " WHERE company_id = %s AND series = %s RETURNING last_number",
                    company.id,
                    series,
                )
            )
        else:
            cr.execute(
                SQL(
                    """
                    INSERT INTO customer_archive_number_counter (company_id, series, year, last_number)
                    VALUES (%(company)s, %(series)s, %(year)s, %(first)s)
                    ON CONFLICT (company_id, series)
                    DO UPDATE SET last_number = customer_archive_number_counter.last_number + 1
                    RETURNING last_number
                    """,
                    company=company.id,
                    series=series,
                    year=year,
                    first=self._highest_number(company, series) + 1,
                )
            )
        self.invalidate_model(["last_number"])
        return cr.fetchone()[0]

    @api.model
    def _highest_number(self, company, series):
        """The highest sequence number ``company``'s archives have in ``series`` (0 if none), read
        from the numbers themselves: destroyed archives keep theirs."""
        self.env["customer.archive"].flush_model(["number", "company_id"])
        prefix, _mark, suffix = series.partition(SEQUENCE_MARK)
        pattern = f"^{re.escape(prefix)}([0-9]+){re.escape(suffix)}$"
        self.env.cr.execute(
            SQL(
                "SELECT COALESCE(MAX(substring(number FROM %(pattern)s)::bigint), 0)"
                " FROM customer_archive WHERE company_id = %(company)s AND number ~ %(pattern)s",
                pattern=pattern,
                company=company.id,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _advance_past(self, company, year, sequence, department_code=None, category_code=None):
        """Move the counter of a number series past ``sequence``, a number already given outside
        the system (an archive brought in from the paper registers): the next number drawn is
        higher, so the system never gives that number again. A counter already past it stays.

        Takes the company, the year, the sequence of the number and its department and category
        codes (they make the series, see ``res.company._archive_number_series``); returns the
        counter's last number."""
        series = company._archive_number_series(year, department_code, category_code)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO customer_archive_number_counter (company_id, series, year, last_number)
                VALUES (%(company)s, %(series)s, %(year)s, %(first)s)
                ON CONFLICT (company_id, series)
                DO UPDATE SET last_number = GREATEST(customer_archive_number_counter.last_number,
                                                     %(sequence)s)
                RETURNING last_number
                """,
                company=company.id,
                series=series,
                year=year,
                first=max(sequence, self._highest_number(company, series)),
                sequence=sequence,
            )
        )
        self.invalidate_model(["last_number"])
        return self.env.cr.fetchone()[0]
