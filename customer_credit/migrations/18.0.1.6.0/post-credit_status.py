"""What the credit department tells about a customer moves from the customer to its credit status
(``customer.credit.collection``), which only those who see the customer's credit read: the open
activities of the utilisation warnings, holds, reviews and collection tasks, the messages Odoo
posted when they were done, the reminder letters e-mailed with their PDF, and the notes of credit
decisions and holds."""

from collections import defaultdict

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

ACTIVITY_TYPES = (
    "customer_credit.mail_activity_type_credit_warning",
    "customer_credit.mail_activity_type_credit_review",
    "customer_credit.mail_activity_type_credit_hold",
    "customer_credit.mail_activity_type_credit_collection",
)
# The reminder letter's file name (its report's print_report_name).
LETTER_FILES = "Payment reminder - %"
# The notes of credit decisions and holds (as the 1.4 migration left them), in English and Chinese.
CREDIT_NOTES = [
    "%changed by a credit decision%",
    "%已由信用决定变更%",
    "%Put on credit hold%",
    "%Credit hold lifted%",
    "%冻结信用%",
    "%解除信用冻结%",
]


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    move_to_credit_status(env)


def move_to_credit_status(env):
    """Move the credit department's activities and messages on customers to their credit status:
    the customer's status it has already (in one of the assignee's companies for an activity),
    else one made in the assignee's company (the customer's, else the main one, for messages).
    Their activity types become the status's. Returns the number of activities and messages moved."""
    cr = env.cr
    type_ids = [env.ref(xmlid).id for xmlid in ACTIVITY_TYPES if env.ref(xmlid, raise_if_not_found=False)]
    Status = env["customer.credit.collection"]
    status_model = env["ir.model"]._get_id(Status._name)
    env.flush_all()
    cr.execute(
        SQL(
            """
            SELECT a.id, a.res_id,
                   COALESCE((SELECT s.company_id
                               FROM customer_credit_collection s
                               JOIN res_company_users_rel r ON r.cid = s.company_id AND r.user_id = a.user_id
                              WHERE s.partner_id = a.res_id
                              ORDER BY s.id LIMIT 1),
                            u.company_id, p.company_id)
              FROM mail_activity a
              JOIN res_partner p ON p.id = a.res_id
              LEFT JOIN res_users u ON u.id = a.user_id
             WHERE a.res_model = 'res.partner' AND a.activity_type_id = ANY(%s)
            """,
            type_ids,
        )
    )
    activities = cr.fetchall()
    cr.execute(
        SQL(
            """
            SELECT m.id, m.res_id,
                   COALESCE((SELECT s.company_id FROM customer_credit_collection s
                              WHERE s.partner_id = m.res_id ORDER BY s.id LIMIT 1),
                            p.company_id)
              FROM mail_message m
              JOIN res_partner p ON p.id = m.res_id
             WHERE m.model = 'res.partner'
               AND (m.mail_activity_type_id = ANY(%s)
                    OR (m.message_type = 'notification' AND m.body::text LIKE ANY(%s))
                    OR EXISTS (SELECT 1 FROM mail_tracking_value t
                                 JOIN ir_model_fields f ON f.id = t.field_id
                                WHERE t.mail_message_id = m.id
                                  AND f.model = 'res.partner' AND f.name = 'credit_on_hold')
                    OR EXISTS (SELECT 1 FROM ir_attachment f
                                WHERE f.res_model = 'mail.message' AND f.res_id = m.id
                                  AND f.name LIKE %s))
            """,
            type_ids,
            CREDIT_NOTES,
            LETTER_FILES,
        )
    )
    messages = cr.fetchall()
    main_company = env.ref("base.main_company")
    by_company = defaultdict(set)
    for _row_id, partner_id, company_id in activities + messages:
        by_company[company_id or main_company.id].add(partner_id)
    statuses = {}
    for company_id, partner_ids in by_company.items():
        company = env["res.company"].browse(company_id)
        partners = env["res.partner"].browse(sorted(partner_ids))
        for partner_id, status in Status._status_of(partners, company).items():
            statuses[partner_id, company_id] = status.id

    def status_of(rows):
        return [statuses[partner_id, company_id or main_company.id] for _id, partner_id, company_id in rows]

    # One statement per table, whatever the number of rows.
    cr.execute(
        SQL(
            """
            UPDATE mail_activity a
               SET res_model_id = %s, res_model = %s, res_id = v.status_id
              FROM unnest(%s::int[], %s::int[]) AS v(id, status_id)
             WHERE a.id = v.id
            """,
            status_model,
            Status._name,
            [row[0] for row in activities],
            status_of(activities),
        )
    )
    cr.execute(
        SQL(
            """
            UPDATE mail_message m
               SET model = %s, res_id = v.status_id
              FROM unnest(%s::int[], %s::int[]) AS v(id, status_id)
             WHERE m.id = v.id
            """,
            Status._name,
            [row[0] for row in messages],
            status_of(messages),
        )
    )
    # Their activity types are the credit status's: offered when scheduling on it, not on customers.
    cr.execute(SQL("UPDATE mail_activity_type SET res_model = %s WHERE id = ANY(%s)", Status._name, type_ids))
    env.invalidate_all()
    return len(activities) + len(messages)
