def migrate(cr, version):
    """Archive numbers are counted per series (company, year, department, category as the number
    format makes them) instead of per company and year: the per-year counters and their unique
    constraint go before the model adds its series column (NOT NULL, unique per company). The
    post-migration counts each series from its highest existing number."""
    cr.execute("DELETE FROM customer_archive_number_counter")
    cr.execute(
        "ALTER TABLE customer_archive_number_counter"
        " DROP CONSTRAINT IF EXISTS customer_archive_number_counter_company_year_uniq"
    )
    cr.execute(
        "DELETE FROM ir_model_constraint WHERE name = 'customer_archive_number_counter_company_year_uniq'"
    )
