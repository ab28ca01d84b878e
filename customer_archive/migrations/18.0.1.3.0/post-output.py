from odoo import SUPERUSER_ID, api

OLD_KIND = '<t t-out="object.name"/>'
NEW_KIND = '<span t-field="object.kind"/>'
OLD_TIME = "format_datetime(object.window_start)"
NEW_TIME = (
    "format_datetime(object.window_start, tz=object.user_id.company_id.resource_calendar_id.tz or 'UTC')"
)


def migrate(cr, version):
    """The access alarm e-mail is written to each manager in their language, the time in the
    company's time zone, the alarm's kind in that language; its template is noupdate data."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref("customer_archive.mail_template_access_alarm", raise_if_not_found=False)
    if not template:
        return
    template.lang = "{{ ctx.get('lang') or object.user_id.company_id.partner_id.lang }}"
    for lang in [code for code, _name in env["res.lang"].get_installed()]:
        localized = template.with_context(lang=lang)
        subject = (localized.subject or "").replace("{{ object.name }}", "{{ object.user_id.name }}")
        body = (localized.body_html or "").replace(OLD_KIND, NEW_KIND).replace(OLD_TIME, NEW_TIME)
        localized.write({"subject": subject, "body_html": body})
