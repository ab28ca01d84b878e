# The standard scorecard's indicators were made inside the scorecard's record, without XML ids, so
# their names could not be translated. They are now data records of their own: give the existing
# ones their XML id before the data loads, so the update keeps them (with their evaluations)
# instead of adding a second set.
INDICATORS = {
    "indicator_share_paid_late": "Share paid late",
    "indicator_average_days_late": "Average days late",
    "indicator_years_of_cooperation": "Years of cooperation",
    "indicator_sales_12_months": "Invoiced sales, last 12 months",
    "indicator_financial_situation": "Financial situation",
    "indicator_management_reputation": "Management and reputation",
}


def migrate(cr, version):
    cr.execute(
        "SELECT res_id FROM ir_model_data WHERE module = 'customer_credit' AND name = 'scorecard_standard'"
    )
    row = cr.fetchone()
    if not row:
        return
    for xmlid, name in INDICATORS.items():
        cr.execute(
            """
            INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
            SELECT 'customer_credit', %s, 'customer.credit.indicator', indicator.id, true
              FROM customer_credit_indicator indicator
             WHERE indicator.scorecard_id = %s
               AND indicator.name->>'en_US' = %s
               AND NOT EXISTS (
                   SELECT 1 FROM ir_model_data WHERE module = 'customer_credit' AND name = %s)
             ORDER BY indicator.id
             LIMIT 1
            """,
            (xmlid, row[0], name, xmlid),
        )
