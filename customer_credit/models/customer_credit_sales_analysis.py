from odoo import fields, models, tools
from odoo.tools import SQL


class CustomerCreditSalesAnalysis(models.Model):
    """客户构成分析 (A19): invoiced sales by grade, salesperson, region, industry and product
    category; read by the credit department, the archive office and the general management."""

    _name = "customer.credit.sales.analysis"
    _description = "Customer Composition Analysis"
    _auto = False
    _order = "date desc"

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    grade_id = fields.Many2one("customer.credit.grade", string="Credit Grade", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    region_id = fields.Many2one("customer.archive.region", readonly=True)
    industry_id = fields.Many2one("res.partner.industry", readonly=True)
    product_category_id = fields.Many2one("product.category", readonly=True)
    amount = fields.Float(string="Sales", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(table)s AS (
                    SELECT l.id,
                           l.date,
                           l.company_id,
                           m.commercial_partner_id AS partner_id,
                           current_grade.grade_id,
                           p.user_id,
                           p.archive_region_id AS region_id,
                           p.industry_id,
                           t.categ_id AS product_category_id,
                           -l.balance AS amount
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id
                      JOIN res_partner p ON p.id = m.commercial_partner_id
                 LEFT JOIN product_product pp ON pp.id = l.product_id
                 LEFT JOIN product_template t ON t.id = pp.product_tmpl_id
                 LEFT JOIN LATERAL (
                           SELECT e.grade_id
                             FROM customer_credit_evaluation e
                            WHERE e.partner_id = m.commercial_partner_id
                              AND e.company_id = l.company_id
                              AND e.state = 'approved'
                         ORDER BY e.id DESC
                            LIMIT 1
                           ) current_grade ON TRUE
                     WHERE m.state = 'posted'
                       AND m.move_type IN ('out_invoice', 'out_refund')
                       AND l.display_type = 'product'
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
