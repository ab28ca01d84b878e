"""Reminder letters get a status (``letter_state``): the monitoring queues them and their own
scheduled action prints and e-mails them. The letters the monitoring sent before, in the same run,
are marked as sent or not sent from their note, in the language it was written in."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """
            UPDATE customer_credit_collection_log
               SET letter_state = CASE WHEN note LIKE %(not_sent_en)s OR note LIKE %(not_sent_zh)s
                                       THEN 'not_sent' ELSE 'sent' END
             WHERE kind = 'letter' AND is_system AND letter_state IS NULL
            """,
            not_sent_en="% not sent: %",
            not_sent_zh="%催款函未发送%",
        )
    )
