"""The grade of each customer's evaluation in force, kept per company for grouping the credit
customers list (``res.partner.credit_decided_grade_id``), from the approved evaluations."""


def migrate(cr, version):
    cr.execute(
        """
        WITH current AS (
            SELECT DISTINCT ON (partner_id, company_id) partner_id, company_id, grade_id
              FROM customer_credit_evaluation
             WHERE state = 'approved' AND grade_id IS NOT NULL
             ORDER BY partner_id, company_id, id DESC
        ),
        by_partner AS (
            SELECT partner_id, jsonb_object_agg(company_id::text, grade_id) AS grades
              FROM current
             GROUP BY partner_id
        )
        UPDATE res_partner p
           SET credit_decided_grade_id = COALESCE(p.credit_decided_grade_id, '{}'::jsonb) || b.grades
          FROM by_partner b
         WHERE p.id = b.partner_id
        """
    )
