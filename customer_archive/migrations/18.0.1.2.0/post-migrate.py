from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """What a request opens has one definition now (the archive and every document it covers):
    recompute the stored levels of lending requests, shares and destruction lists."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    for model, field in (
        ("customer.archive.borrow", "confidentiality"),
        ("customer.archive.share", "confidentiality"),
        ("customer.archive.destruction", "confidentiality_rank"),
    ):
        records = env[model].with_context(active_test=False).search([])
        env.add_to_compute(records._fields[field], records)
    env.flush_all()
