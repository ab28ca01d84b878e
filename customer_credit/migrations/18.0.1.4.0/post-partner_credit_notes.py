"""Chatter notes read by whoever reads the record no longer carry the customer's credit figures or
the reason of a decision (those stay in the limit history, the credit events and the holds, read by
the credit file's readers). The notes written before are made to say what the new ones say, in the
language they were written in:
- a customer's notes of credit decisions and customer holds (every salesperson reads the customer);
- a sales order's note of a credit manager enlarging it past the credit (whoever reads the order)."""

from odoo.tools import SQL

DECISION = {
    "en": "The credit limit and term were changed by a credit decision; its figures and reason are "
    "in the limit history.",
    "zh": "信用额度和信用期已由信用决定变更；具体数额和理由见额度变更记录。",
}
# (model, LIKE pattern of the former note's body, new body)
NOTES = [
    ("res.partner", "%Credit limit % → %, credit term % → % days: %", DECISION["en"]),
    ("res.partner", "%信用额度 % → %，信用期 % → % 天：%", DECISION["zh"]),
    (
        "res.partner",
        "<p>Put on credit hold by the credit monitoring: %",
        "Put on credit hold by the credit monitoring.",
    ),
    ("res.partner", "<p>信用监控自动冻结：%", "由信用监控自动冻结信用。"),
    ("res.partner", "<p>Put on credit hold by %", "Put on credit hold"),
    ("res.partner", "<p>Credit hold lifted by %", "Credit hold lifted"),
    ("res.partner", "<p>% 冻结信用：%", "冻结信用"),
    ("res.partner", "<p>% 解除信用冻结：%", "解除信用冻结"),
]
# The order's note keeps who enlarged it and drops the reasons after the colon.
ENLARGED = [
    (
        "%Enlarged past the available credit by % (credit manager): %",
        r" \(credit manager\): .*$",
        " (credit manager).</p>",
    ),
    ("%在超出可用信用的情况下扩大了订单：%", r"扩大了订单：.*$", "扩大了订单。</p>"),
]
NOTE_SUBTYPE = SQL("(SELECT res_id FROM ir_model_data WHERE module = 'mail' AND name = 'mt_note')")


def migrate(cr, version):
    for model, pattern, text in NOTES:
        cr.execute(
            SQL(
                "UPDATE mail_message SET body = %s WHERE model = %s AND subtype_id = %s AND body LIKE %s",
                f"<p>{text}</p>",
                model,
                NOTE_SUBTYPE,
                pattern,
            )
        )
    for pattern, tail, replacement in ENLARGED:
        cr.execute(
            SQL(
                "UPDATE mail_message SET body = regexp_replace(body, %s, %s)"
                " WHERE model = 'sale.order' AND subtype_id = %s AND body LIKE %s",
                tail,
                replacement,
                NOTE_SUBTYPE,
                pattern,
            )
        )
