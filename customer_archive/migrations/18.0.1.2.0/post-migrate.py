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
    # What the server e-mails is rendered in the recipient's language and the company's time zone:
    # the templates are noupdate data, set their language and time zone here.
    for xmlid, field in (
        ("customer_archive.mail_template_monthly_report", "cutoff"),
        ("customer_archive.mail_template_borrow_overdue", "date_due"),
    ):
        template = env.ref(xmlid, raise_if_not_found=False)
        if not template:
            continue
        template.lang = "{{ ctx.get('lang') or object.company_id.partner_id.lang }}"
        for lang in [code for code, _name in env["res.lang"].get_installed()]:
            body = template.with_context(lang=lang).body_html or ""
            old = f"format_datetime(object.{field})"
            new = f"format_datetime(object.{field}, tz=object.company_id.resource_calendar_id.tz or 'UTC')"
            if old in body:
                template.with_context(lang=lang).body_html = body.replace(old, new)
