from odoo import api, fields, models
from odoo.addons.customer_credit.models.res_partner import NO_FIGURES


class CustomerCreditMonitoring(models.AbstractModel):
    """The daily credit monitoring (监控和预警机制, C9): overdue events, automatic holds,
    utilisation warnings and review activities, company by company, in bounded batches."""

    _name = "customer.credit.monitoring"
    _description = "Customer Credit Monitoring"

    @api.model
    def _cron_credit_monitoring(self, batch_size=500):
        """Daily, per company: overdue events, utilisation warnings, holds after too many overdue
        days and review activities. Every step skips what it already did, so an interrupted run
        that is started again makes no duplicates; each step handles a bounded batch and the
        cron framework is told what remains."""
        done = remaining = 0
        for company in self.env["res.company"].search([]):
            env_company = self.with_company(company).sudo()  # sudo: the monitoring reads all credit data
            for step in (
                env_company._credit_monitor_overdue,
                env_company._credit_monitor_holds,
                env_company._credit_monitor_utilisation,
                env_company._credit_monitor_reviews,
            ):
                step_done, step_remaining = step(company, batch_size)
                done += step_done
                remaining += step_remaining
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done, remaining

    def _credit_overdue_rows(self, company):
        Partner = self.env["res.partner"]
        Partner._credit_flush()
        self.env.cr.execute(Partner._credit_receivable_query(company))
        return [row for row in self.env.cr.fetchall() if row[3]]  # partner, open, overdue, oldest due

    def _credit_monitor_overdue(self, company, batch_size):
        Event = self.env["customer.credit.event"]
        rows = self._credit_overdue_rows(company)
        keys = {
            f"overdue:{partner_id}:{oldest}": (partner_id, overdue, oldest)
            for partner_id, _o, overdue, oldest in rows
        }
        known = set(
            Event.search([("company_id", "=", company.id), ("monitoring_key", "in", list(keys))]).mapped(
                "monitoring_key"
            )
        )
        new = [key for key in keys if key not in known]
        Event.create(
            [
                {
                    "partner_id": keys[key][0],
                    "company_id": company.id,
                    "event_type": "overdue",
                    "amount": keys[key][1],
                    "monitoring_key": key,
                    "description": self.env._("Receivables overdue since %(date)s.", date=keys[key][2]),
                }
                for key in new[:batch_size]
            ]
        )
        return min(len(new), batch_size), max(len(new) - batch_size, 0)

    def _credit_monitor_holds(self, company, batch_size):
        today = fields.Date.context_today(self)
        rows = self._credit_overdue_rows(company)
        late_ids = [
            pid for pid, _o, _d, oldest in rows if (today - oldest).days > company.credit_hold_overdue_days
        ]
        partners = self.env["res.partner"].browse(late_ids)._credit_managed(company).filtered(lambda p: not p.credit_on_hold)
        for partner in partners[:batch_size]:
            partner.credit_on_hold = True
            partner.message_post(
                body=self.env._(
                    "Put on credit hold: receivables overdue more than %(days)s days.",
                    days=company.credit_hold_overdue_days,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return min(len(partners), batch_size), max(len(partners) - batch_size, 0)

    def _credit_monitor_utilisation(self, company, batch_size):
        activity_type = self.env.ref("customer_credit.mail_activity_type_credit_warning")
        Partner = self.env["res.partner"]
        limited = Partner.search([("credit_limit", ">", 0)])
        figures = Partner._credit_exposure_figures(company, limited.ids)
        threshold = company.credit_warning_threshold / 100.0
        over = limited.filtered(
            lambda p: figures.get(p.id, NO_FIGURES).exposure
            >= threshold * p.credit_limit
        )
        to_warn = over.filtered(lambda p: activity_type not in p.activity_ids.activity_type_id)
        managers = self.env["res.users"]._archive_group_members("customer_credit.group_credit_manager")
        for partner in to_warn[:batch_size]:
            exposure = figures.get(partner.id, NO_FIGURES).exposure
            note = self.env._(
                "Credit used: %(exposure)s of %(limit)s.",
                exposure=company.currency_id.format(exposure),
                limit=company.currency_id.format(partner.credit_limit),
            )
            for user in (partner.user_id | managers[:1]).filtered("active"):
                partner.activity_schedule(activity_type_id=activity_type.id, user_id=user.id, note=note)
        return min(len(to_warn), batch_size), max(len(to_warn) - batch_size, 0)

    def _credit_monitor_reviews(self, company, batch_size):
        activity_type = self.env.ref("customer_credit.mail_activity_type_credit_review")
        today = fields.Date.context_today(self)
        current = self.env["customer.credit.evaluation"].search(
            [("company_id", "=", company.id), ("state", "=", "approved")]
        )
        due = current.filtered(
            lambda e: fields.Date.add(e.date, months=e.grade_id.review_interval_months or 12) <= today
            and activity_type not in e.partner_id.activity_ids.activity_type_id
        )
        officers = self.env["res.users"]._archive_group_members("customer_credit.group_credit_officer")
        for evaluation in due[:batch_size]:
            evaluation.partner_id.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=(officers[:1] or self.env.user).id,
                note=self.env._("Re-evaluate: the last evaluation is of %(date)s.", date=evaluation.date),
            )
        return min(len(due), batch_size), max(len(due) - batch_size, 0)
