"""The notes of credit decisions and customer holds on a customer's chatter, which every
salesperson reads, no longer carry the figures and the reason (those stay in the limit history
and the credit events, read by the credit file's readers): the notes written before say the same
as the new ones, in the language they were written in."""

DECISION = {
    "en": "The credit limit and term were changed by a credit decision; its figures and reason are "
    "in the limit history.",
    "zh": "信用额度和信用期已由信用决定变更；具体数额和理由见额度变更记录。",
}
# (LIKE pattern of the former note's body, language, new text)
NOTES = [
    ("%Credit limit % → %, credit term % → % days: %", "en", DECISION["en"]),
    ("%信用额度 % → %，信用期 % → % 天：%", "zh", DECISION["zh"]),
    (
        "<p>Put on credit hold by the credit monitoring: %",
        "en",
        "Put on credit hold by the credit monitoring.",
    ),
    ("<p>信用监控自动冻结：%", "zh", "由信用监控自动冻结信用。"),
    ("<p>Put on credit hold by %", "en", "Put on credit hold"),
    ("<p>Credit hold lifted by %", "en", "Credit hold lifted"),
    ("<p>% 冻结信用：%", "zh", "冻结信用"),
    ("<p>% 解除信用冻结：%", "zh", "解除信用冻结"),
]


def migrate(cr, version):
    for pattern, _lang, text in NOTES:
        cr.execute(
            """
            UPDATE mail_message
               SET body = '<p>' || %s || '</p>'
             WHERE model = 'res.partner'
               AND message_type IN ('comment', 'notification')
               AND subtype_id = (SELECT res_id FROM ir_model_data
                                  WHERE module = 'mail' AND name = 'mt_note')
               AND body LIKE %s
            """,
            [text, pattern],
        )
