from odoo import fields, models, tools
from odoo.tools import SQL

MOVEMENTS = [
    ("new", "First Grade"),
    ("up", "Upgraded"),
    ("down", "Downgraded"),
    ("same", "Unchanged"),
]


class CustomerCreditGradeChange(models.Model):
    """Grade changes (等级迁移, C13): one row per approved evaluation (approved, or since superseded)
    with the grade of the customer's approved evaluation before it, for a pivot "from grade × to
    grade" over any dates. The statistics (``customer.credit.analysis.wizard``) count each
    customer once per period, by its latest evaluation; this screen shows every re-grading. Read
    by the credit department and the general management."""

    _name = "customer.credit.grade.change"
    _description = "Credit Grade Change"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "evaluation_id"

    evaluation_id = fields.Many2one("customer.credit.evaluation", readonly=True)
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    previous_grade_id = fields.Many2one("customer.credit.grade", string="From Grade", readonly=True)
    grade_id = fields.Many2one("customer.credit.grade", string="To Grade", readonly=True)
    previous_date = fields.Date(string="Previous Evaluation", readonly=True)
    movement = fields.Selection(MOVEMENTS, readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(table)s AS (
                    WITH approved AS (
                        SELECT e.id, e.date, e.company_id, e.partner_id, e.grade_id,
                               LAG(e.grade_id) OVER w AS previous_grade_id,
                               LAG(e.date) OVER w AS previous_date
                          FROM customer_credit_evaluation e
                         WHERE e.state IN ('approved', 'superseded')
                        WINDOW w AS (PARTITION BY e.company_id, e.partner_id ORDER BY e.date, e.id)
                    )
                    SELECT a.id, a.id AS evaluation_id, a.date, a.company_id, a.partner_id, p.user_id,
                           a.previous_grade_id, a.grade_id, a.previous_date,
                           CASE WHEN a.previous_grade_id IS NULL THEN 'new'
                                WHEN a.previous_grade_id = a.grade_id THEN 'same'
                                WHEN g.min_score > pg.min_score THEN 'up'
                                ELSE 'down' END AS movement
                      FROM approved a
                      JOIN res_partner p ON p.id = a.partner_id
                      LEFT JOIN customer_credit_grade g ON g.id = a.grade_id
                      LEFT JOIN customer_credit_grade pg ON pg.id = a.previous_grade_id
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
