from odoo import api, models


class IrCron(models.Model):
    """The one pattern of the scheduled actions of both addons: each call handles one bounded
    batch (``_archive_batch``) so that its records are no longer due, then reports what it did and
    what remains (``_archive_progress``); Odoo's cron runner commits after each call and calls again
    while something remains, so a run interrupted between two batches resumes with the next one."""

    _inherit = "ir.cron"

    @api.model
    def _archive_batch(self, records, domain_of, batch_size, order="id"):
        """One bounded batch of a scheduled action, company by company.

        Takes the empty model ``records``, ``domain_of(company)`` returning the domain of what is
        due in that company (searched with the company's time zone in the context, so that "today"
        is the company's), the batch size and the order. Returns ``(batch, remaining)``: at most
        ``batch_size`` records, and how many more are due after them. The caller handles the batch
        so that its records are no longer due: a rerun after an interruption skips them."""
        batch = records.browse()
        remaining = 0
        for company in self.env["res.company"].sudo().search([]):  # sudo: a scheduled action runs for all
            local = company._archive_for_reader(records)
            domain = domain_of(company)
            room = batch_size - len(batch)
            found = local.search(domain, limit=room, order=order) if room > 0 else local.browse()
            batch |= found.with_env(records.env)
            if len(found) == room:
                remaining += local.search_count(domain) - len(found)
        return batch, remaining

    @api.model
    def _archive_progress(self, done, remaining, digest=None):
        """End one batch of a scheduled action: when nothing remains and the action announces its
        activities (``digest``, see ``mail.activity._archive_schedule``), send each person the
        run's digest; tell the cron runner what was done and what remains (``_notify_progress``:
        it commits this batch and calls again while something remains). The runner calls again in
        the same environment: its cache is emptied, so memory stays flat over a long run."""
        if digest and not remaining:
            self.env["mail.activity"]._archive_send_digests(digest)
        self._notify_progress(done=done, remaining=remaining)
        self.env.flush_all()
        self.env.invalidate_all()
