from odoo import models
from odoo.exceptions import AccessError

LETTER_TEMPLATE = "customer_credit.mail_template_collection_letter"


class MailTemplate(models.Model):
    _inherit = "mail.template"

    def send_mail_batch(
        self, res_ids, force_send=False, raise_exception=False, email_values=None, email_layout_xmlid=False
    ):
        """The reminder letter (催款函) of customers ``res_ids`` is filed on each customer's credit
        status in the current company, whoever sends it: on the customer, which every salesperson
        reads, the letter and its PDF told the overdue invoices to all. Other templates are sent
        as Odoo does. Returns the e-mails, as Odoo's."""
        letter = self.env.ref(LETTER_TEMPLATE, raise_if_not_found=False)
        if not letter or self != letter or self.model != "res.partner":
            return super().send_mail_batch(
                res_ids,
                force_send=force_send,
                raise_exception=raise_exception,
                email_values=email_values,
                email_layout_xmlid=email_layout_xmlid,
            )
        customers = self.env["res.partner"].browse(res_ids).commercial_partner_id
        if customers - customers._credit_visible_partners():
            # Before any status is made (its number would tell that it was), whatever Odoo's
            # later checks of the template and the report say.
            raise AccessError(
                self.env._(
                    "Payment reminders are printed by the credit officers and the customer's salesperson."
                )
            )
        statuses = self.env["customer.credit.collection"]._status_of(customers, self.env.company)
        mails = self.env["mail.mail"].sudo()  # sudo: an empty set to gather Odoo's mails (made as superuser)
        for partner in self.env["res.partner"].browse(res_ids):
            status = statuses[partner.commercial_partner_id.id]
            mails |= super().send_mail_batch(
                partner.ids,
                force_send=force_send,
                raise_exception=raise_exception,
                email_values=dict(email_values or {}, model=status._name, res_id=status.id),
                email_layout_xmlid=email_layout_xmlid,
            )
        return mails
