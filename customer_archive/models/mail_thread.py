from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _creation_message(self):
        """The "<document> created" line Odoo writes in a new record's chatter. Without a current
        language (a scheduled action, a data file, a script) it is written, like every note the
        system writes, in the company's language (``res.company._archive_for_reader``): Odoo would
        otherwise mix its Chinese verb with the English name of the document."""
        if self.env.lang:
            return super()._creation_message()
        company = self.env.company
        if "company_id" in self._fields and self.company_id[:1]:
            company = self.company_id[:1]
        return super(MailThread, company._archive_for_reader(self))._creation_message()
