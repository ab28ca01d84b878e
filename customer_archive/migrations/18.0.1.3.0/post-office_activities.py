from odoo import SUPERUSER_ID, api

# The to-dos the server gave with the generic To-Do type, now given with a type of their own.
SERVER_TODOS = {
    "customer.archive.cabinet": "customer_archive.mail_activity_type_backup_key",
    "customer.archive.repair": "customer_archive.mail_activity_type_repair",
}


def migrate(cr, version):
    """Backup-key and repair to-dos have activity types of their own (closing a repair removes
    only its own): the open ones the server made with the generic To-Do (``automated``) take
    them; the users' own to-dos on cabinets and repairs stay as they are."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    todo = env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
    if not todo:
        return
    Activity = env["mail.activity"].with_context(active_test=False)
    for model, xmlid in SERVER_TODOS.items():
        Activity.search(
            [("res_model", "=", model), ("activity_type_id", "=", todo.id), ("automated", "=", True)]
        ).write({"activity_type_id": env.ref(xmlid).id})
