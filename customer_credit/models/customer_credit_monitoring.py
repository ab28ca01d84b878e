import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools import SQL, format_date

from .res_partner import MONITORING_DIGEST, NO_FIGURES

_logger = logging.getLogger(__name__)

CREDIT_MANAGER = "customer_credit.group_credit_manager"
CREDIT_OFFICER = "customer_credit.group_credit_officer"
# Notice of a grant's end without a grade: days before its last day.
GRANT_NOTICE_DAYS = 30
# Reminder letters printed and e-mailed per batch: about a second each (wkhtmltopdf).
LETTER_BATCH = 20


class CustomerCreditMonitoring(models.AbstractModel):
    """The daily credit monitoring (监控和预警机制, C9): ended grants, overdue events, automatic
    holds, utilisation warnings and review activities, company by company, in bounded batches.

    Each warning or hold belongs to an episode and is made once per episode, so that what a credit
    manager lifted or a user marked done is not made again the next day:

    - an automatic hold: the episode is the customer's overdue state, keyed by the due date of its
      latest overdue receivable (a new invoice falling overdue starts a new one) and the multiple of
      the company's hold days the oldest one has passed (past 60, past 120, ... days); recorded by
      the ``monitoring_key`` of the hold event, and of the lift event when a credit manager lifts it;
    - a utilisation warning: from the day the exposure reaches the threshold until it falls below
      it again (``credit_warning_date`` on the customer);
    - a review: once per current evaluation (``credit_review_requested_date`` on the customer);
    - a grant's end: notice once (``expiry_notice_date``), ended once (``grant_expired``);
    - a collection level (催收): once per level while the customer stays overdue, recorded on its
      collection status (``customer.credit.collection``), cleared when nothing is overdue any more;
    - a promise to pay: settled once (``promise_state`` of the collection log), a broken one
      recorded by its event's ``monitoring_key``.
    """

    _name = "customer.credit.monitoring"
    _description = "Customer Credit Monitoring"

    @api.model
    def _cron_credit_monitoring(self, batch_size=500):
        """Daily, per company: ended grants, overdue events, holds after too many overdue days,
        utilisation warnings, review activities, collection levels and promises to pay. Every step
        skips what it already did, so an interrupted run that is started again makes no
        duplicates; each step handles a bounded batch and the cron framework is told what remains.
        The activities are made in bulk without an e-mail each; the last batch of the run sends
        each person one digest of theirs.
        Returns (done, remaining)."""
        done = remaining = 0
        for company in self.env["res.company"].search([]):
            # What the monitoring writes for everybody (events, hold reasons, notes) reads in the
            # company's language; its days are the company's (time zone of its calendar).
            env_company = company._archive_for_reader(self.with_company(company))
            env_company = env_company.sudo()  # sudo: the monitoring reads all credit data
            # The exposure of every customer, read once for the steps of this batch (one query).
            figures = env_company.env["res.partner"].with_company(company)._credit_exposure_figures(company)
            for step, kwargs in (
                (env_company._credit_monitor_grants, {}),
                (env_company._credit_monitor_overdue, {"figures": figures}),
                (env_company._credit_monitor_holds, {"figures": figures}),
                (env_company._credit_monitor_utilisation, {"figures": figures}),
                (env_company._credit_monitor_reviews, {}),
                (env_company._credit_monitor_collection, {"figures": figures}),
                (env_company._credit_monitor_promises, {}),
            ):
                step_done, step_remaining = step(company, batch_size, **kwargs)
                done += step_done
                remaining += step_remaining
        # The run ends with one digest e-mail per person listing the activities it gave them.
        self.env["ir.cron"]._archive_progress(done, remaining, digest=MONITORING_DIGEST)
        return done, remaining

    # ------------------------------------------------------------------ recipients and activities
    @api.model
    def _credit_department(self, group_xmlid, company):
        """Active users of a credit group working in ``company``, to address. The administrator and
        the superuser are credit managers by data: they are left out unless nobody else is there."""
        return self.env["res.users"]._archive_addressees(group_xmlid, company)

    @api.model
    def _credit_reviewers(self, company):
        """Who re-evaluates customers: the credit officers, or the credit managers when the
        department has no officer of its own."""
        managers = self._credit_department(CREDIT_MANAGER, company)
        return (self._credit_department(CREDIT_OFFICER, company) - managers) or managers

    # ------------------------------------------------------------------ overdue episodes
    def _credit_overdue_figures(self, company, partner_ids=None, figures=None):
        """{debtor id: CreditFigures} of the customers (of ``partner_ids`` when given) with an overdue
        receivable; from ``figures`` (``res.partner._credit_exposure_figures`` of every debtor)
        when the caller has read them already."""
        if figures is None:
            figures = self.env["res.partner"]._credit_exposure_figures(company, partner_ids)
        elif partner_ids is not None:
            figures = {partner_id: figures[partner_id] for partner_id in partner_ids if partner_id in figures}
        return {partner_id: figure for partner_id, figure in figures.items() if figure.oldest_due}

    @api.model
    def _credit_hold_episodes(self, company, partner_ids=None, figures=None):
        """{debtor id: episode key} of the customers overdue more than the company's hold days
        (``partner_ids`` only, when given; ``figures`` of every debtor when read already). The key
        changes when a new receivable falls overdue or when the oldest one passes the next multiple
        of the hold days."""
        today = fields.Date.context_today(self)
        hold_days = company.credit_hold_overdue_days
        figures = self._credit_overdue_figures(company, partner_ids, figures)
        late = {
            pid: (today - figure.oldest_due).days
            for pid, figure in figures.items()
            if (today - figure.oldest_due).days > hold_days
        }
        if not late:
            return {}
        latest = self._credit_latest_overdue(company, list(late))
        # Past 60 days is threshold 1, past 120 days threshold 2, ... (with 60 hold days).
        thresholds = {pid: (days - 1) // hold_days if hold_days else 0 for pid, days in late.items()}
        return {pid: f"{pid}:{latest.get(pid) or figures[pid].oldest_due}:{thresholds[pid]}" for pid in late}

    @api.model
    def _credit_latest_overdue(self, company, debtor_ids):
        """{debtor id: due date of its latest overdue receivable}, in one query."""
        Partner = self.env["res.partner"]
        today = fields.Date.context_today(self)
        # Receivables are booked on commercial partners: the debtors and the companies under them.
        partners = Partner.with_context(active_test=False).search([("id", "child_of", debtor_ids)])
        debtor_of = partners._credit_debtor(company)
        Partner._credit_flush()
        self.env.cr.execute(
            SQL(
                """
                SELECT l.partner_id, MAX(l.date_maturity)
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                 WHERE l.company_id = %(company)s
                   AND l.parent_state = 'posted'
                   AND a.account_type = 'asset_receivable'
                   AND NOT l.reconciled
                   AND l.amount_residual > 0
                   AND l.date_maturity < %(today)s
                   AND l.partner_id = ANY(%(partners)s)
                 GROUP BY l.partner_id
                """,
                company=company.id,
                today=today,
                partners=partners.ids,
            )
        )
        latest = {}
        for partner_id, due in self.env.cr.fetchall():
            debtor = debtor_of.get(partner_id)
            if debtor in debtor_ids and (debtor not in latest or due > latest[debtor]):
                latest[debtor] = due
        return latest

    # ------------------------------------------------------------------ steps
    def _credit_monitor_grants(self, company, batch_size):
        """End the grants whose validity has passed, and tell the credit managers in advance of the
        end of the others: a quarter of the customer's grade review interval before (30 days
        without a grade)."""
        ended = self.env["res.partner"]._credit_expire_grants(company, limit=batch_size)
        today = fields.Date.context_today(self)
        Application = self.env["customer.credit.application"]
        still_to_end = 0
        if len(ended) == batch_size:
            still_to_end = Application.search_count(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "approved"),
                    ("grant_expired", "=", False),
                    ("valid_to", "<", today),
                ]
            )
        soon = Application.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "approved"),
                ("grant_expired", "=", False),
                ("expiry_notice_date", "=", False),
                ("valid_to", ">=", today),
                ("valid_to", "<=", today + timedelta(days=self._credit_grant_notice_days_max(company))),
            ],
            order="valid_to, id",
        )
        partners = soon.partner_id.with_company(company)
        grades = {partner.id: partner.credit_grade_id for partner in partners}
        due = soon.filtered(
            lambda app: app.valid_to
            - timedelta(days=self._credit_grant_notice_days(grades[app.partner_id.id]))
            <= today
        )
        batch = due[:batch_size]
        if batch:
            managers = self._credit_department(CREDIT_MANAGER, company)
            self.env["mail.activity"]._archive_schedule(
                self.env.ref("customer_credit.mail_activity_type_credit_grant_end"),
                [(application, managers) for application in batch],
                lambda app: (
                    app.env._("Credit grant ends on %(date)s", date=format_date(app.env, app.valid_to)),
                    app.env._(
                        "The grant %(name)s to %(customer)s ends on %(date)s: afterwards the limit and "
                        "term in force before it apply again. Renew or re-evaluate the customer first.",
                        name=app.name,
                        customer=app.partner_id.name,
                        date=format_date(app.env, app.valid_to),
                    ),
                ),
                deadline=lambda app: app.valid_to,
                digest=MONITORING_DIGEST,
            )
            batch._workflow_write({"expiry_notice_date": today})
        return len(ended) + len(batch), still_to_end + max(len(due) - len(batch), 0)

    @api.model
    def _credit_grant_notice_days(self, grade):
        """Days before a grant's end that the credit managers are told: a quarter of the grade's
        review interval (A: 90, B: 45, C: 22 days with the default grades), 30 without a grade."""
        if not grade:
            return GRANT_NOTICE_DAYS
        return grade.review_interval_months * 30 // 4

    @api.model
    def _credit_grant_notice_days_max(self, company):
        grades = self.env["customer.credit.grade"].search([("company_id", "in", (company.id, False))])
        return max([GRANT_NOTICE_DAYS, *(self._credit_grant_notice_days(grade) for grade in grades)])

    def _credit_monitor_overdue(self, company, batch_size, figures=None):
        """Record a credit event for each customer overdue, once per overdue episode (the due date of
        its oldest unsettled receivable)."""
        Event = self.env["customer.credit.event"]
        keys = {
            f"overdue:{partner_id}:{figure.oldest_due}": (
                partner_id,
                figure.overdue_amount,
                figure.oldest_due,
            )
            for partner_id, figure in self._credit_overdue_figures(company, figures=figures).items()
        }
        known = set(
            Event.search([("company_id", "=", company.id), ("monitoring_key", "in", list(keys))]).mapped(
                "monitoring_key"
            )
        )
        new = [key for key in keys if key not in known]
        Event._create_system_event(
            [
                {
                    "partner_id": keys[key][0],
                    "company_id": company.id,
                    "event_type": "overdue",
                    "amount": keys[key][1],
                    "monitoring_key": key,
                    "description": self.env._(
                        "Receivables overdue since %(date)s.", date=format_date(self.env, keys[key][2])
                    ),
                }
                for key in new[:batch_size]
            ]
        )
        return min(len(new), batch_size), max(len(new) - batch_size, 0)

    def _credit_monitor_holds(self, company, batch_size, figures=None):
        """Hold the managed customers overdue more than the company's hold days, once per overdue
        episode: not again after a credit manager lifted the hold, until a new episode starts."""
        episodes = self._credit_hold_episodes(company, figures=figures)
        Partner = self.env["res.partner"].with_company(company)
        partners = (
            Partner.browse(list(episodes))
            ._credit_managed(company)
            .filtered(lambda partner: not partner.credit_on_hold)
        )
        keys = {
            partner.id: (f"credit_hold:{episodes[partner.id]}", f"credit_hold_lifted:{episodes[partner.id]}")
            for partner in partners
        }
        known = set(
            self.env["customer.credit.event"]
            .search(
                [
                    ("company_id", "=", company.id),
                    ("monitoring_key", "in", [key for pair in keys.values() for key in pair]),
                ]
            )
            .mapped("monitoring_key")
        )
        to_hold = partners.filtered(lambda partner: not known.intersection(keys[partner.id]))
        batch = to_hold[:batch_size]
        batch._credit_set_hold(
            True,
            self.env._("Receivables overdue more than %(days)s days.", days=company.credit_hold_overdue_days),
            automatic=True,
            company=company,
            monitoring_keys={pid: pair[0] for pid, pair in keys.items()},
        )
        return len(batch), len(to_hold) - len(batch)

    def _credit_monitor_utilisation(self, company, batch_size, figures=None):
        """Warn the salesperson and the credit managers once when a customer's exposure reaches the
        company's threshold of its limit; again only after it fell below and reached it anew."""
        activity_type = self.env.ref("customer_credit.mail_activity_type_credit_warning")
        Partner = self.env["res.partner"].with_company(company)
        limited = Partner.search([("credit_limit", ">", 0)])
        limited.fetch(["credit_limit"])  # the limits alone: the other columns of the batch only
        if figures is None:
            figures = Partner._credit_exposure_figures(company, limited.ids)
        threshold = company.credit_warning_threshold / 100.0
        over = limited.filtered(
            lambda partner: figures.get(partner.id, NO_FIGURES).exposure >= threshold * partner.credit_limit
        )
        warned = Partner.search([("credit_warning_date", "!=", False)])
        # The monitoring's own bookkeeping, not tracked: no chatter tracking of the customers' fields.
        Untracked = Partner.with_context(mail_notrack=True)
        (warned - over).with_env(Untracked.env).write({"credit_warning_date": False})  # warn again next time
        to_warn = over - warned
        batch = to_warn[:batch_size]
        managers = self._credit_department(CREDIT_MANAGER, company)

        limits = {partner.id: partner.credit_limit for partner in batch}

        def render(status):
            currency = company.currency_id.with_env(status.env)
            return (
                status.env._("Credit utilisation warning"),
                status.env._(
                    "Credit used: %(exposure)s of %(limit)s.",
                    exposure=currency.format(figures.get(status.partner_id.id, NO_FIGURES).exposure),
                    limit=currency.format(limits[status.partner_id.id]),
                ),
            )

        statuses = self.env["customer.credit.collection"]._status_of(batch, company)
        self.env["mail.activity"]._archive_schedule(
            activity_type,
            [(statuses[partner.id], (partner.user_id | managers).filtered("active")) for partner in batch],
            render,
            digest=MONITORING_DIGEST,
        )
        batch.with_env(Untracked.env).write({"credit_warning_date": fields.Date.context_today(self)})
        return len(batch), len(to_warn) - len(batch)

    def _credit_monitor_reviews(self, company, batch_size):
        """Ask the credit officers once to re-evaluate a customer whose current evaluation is older
        than its grade's review interval."""
        activity_type = self.env.ref("customer_credit.mail_activity_type_credit_review")
        today = fields.Date.context_today(self)
        Evaluation = self.env["customer.credit.evaluation"]
        current = Evaluation.search([("company_id", "=", company.id), ("review_due", "=", True)], order="id")
        due = current.filtered(
            lambda e: not e.partner_id.with_company(company).credit_review_requested_date
            or e.partner_id.with_company(company).credit_review_requested_date <= e.date
        )
        batch = due[:batch_size]
        reviewers = self._credit_reviewers(company)
        evaluated_on = {evaluation.partner_id.id: evaluation.date for evaluation in batch}
        statuses = self.env["customer.credit.collection"]._status_of(batch.partner_id, company)
        self.env["mail.activity"]._archive_schedule(
            activity_type,
            [(statuses[evaluation.partner_id.id], reviewers) for evaluation in batch],
            lambda status: (
                status.env._("Credit review due"),
                status.env._(
                    "Re-evaluate: the last evaluation is of %(date)s.",
                    date=format_date(status.env, evaluated_on[status.partner_id.id]),
                ),
            ),
            digest=MONITORING_DIGEST,
        )
        # The monitoring's own bookkeeping, not tracked: no chatter tracking of the customers' fields.
        partners = batch.partner_id.with_company(company).with_context(mail_notrack=True)
        partners.write({"credit_review_requested_date": today})
        return len(batch), len(due) - len(batch)

    # ------------------------------------------------------------------ collection (催收)
    def _credit_monitor_collection(self, company, batch_size, figures=None):
        """Collection levels (C9): a customer whose oldest overdue receivable passes a level's days
        gets that level's reminder letter (PDF by e-mail, logged) and its salesperson a collection
        task, once per level and overdue episode; the episode ends, and the levels start again,
        when nothing is overdue any more. A customer whose collection is paused gets nothing."""
        Status = self.env["customer.credit.collection"]
        levels = self.env["customer.credit.collection.level"]._levels_of(company)
        today = fields.Date.context_today(self)
        overdue = self._credit_overdue_figures(company, figures=figures)
        statuses = Status.search(
            [
                ("company_id", "=", company.id),
                "|",
                ("level_id", "!=", False),
                ("partner_id", "in", list(overdue)),
            ]
        )
        # Paid up: the episode is over.
        statuses.filtered(lambda s: s.level_id and s.partner_id.id not in overdue)._workflow_write(
            {"level_id": False, "level_date": False}
        )
        known = {status.partner_id.id: status for status in statuses}
        due = {}
        for partner_id, figure in overdue.items():
            days = (today - figure.oldest_due).days
            reached = levels.filtered(lambda level, days=days: level.days_overdue <= days)[-1:]
            status = known.get(partner_id)
            if not reached or (status and status.paused):
                continue
            if status and status.level_id and status.level_id.days_overdue >= reached.days_overdue:
                continue
            due[partner_id] = reached
        batch_ids = list(due)[:batch_size]
        if not batch_ids:
            return 0, 0
        partners = self.env["res.partner"].browse(batch_ids)
        statuses = Status._status_of(partners, company)
        Log = self.env["customer.credit.collection.log"]
        log_vals = []
        for level in {due[partner.id] for partner in partners}:
            Status.browse(
                [statuses[partner.id].id for partner in partners if due[partner.id] == level]
            )._workflow_write({"level_id": level.id, "level_date": today})
        for partner in partners:
            level = due[partner.id]
            if level.send_letter:
                # Queued: printing takes a second a letter (wkhtmltopdf), more than the rest of the
                # monitoring; the reminder-letter action prints and e-mails them in its own batches.
                log_vals.append(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "date": today,
                        "kind": "letter",
                        "level_id": level.id,
                        "letter_state": "queued",
                        "note": self.env._(
                            "Reminder letter of level %(level)s: to be sent.", level=level.name
                        ),
                    }
                )
        if Log._create_system_log(log_vals):
            self._credit_letters_cron().sudo()._trigger()  # sudo: the monitoring starts the letters action
        reviewers = self._credit_reviewers(company)
        self.env["mail.activity"]._archive_schedule(
            self.env.ref("customer_credit.mail_activity_type_credit_collection"),
            [(statuses[partner.id], partner.user_id.filtered("active") or reviewers) for partner in partners],
            lambda status: (
                status.env._(
                    "Collection: %(level)s", level=due[status.partner_id.id].with_env(status.env).name
                ),
                status.env._(
                    "%(customer)s has receivables overdue %(days)s days or more: follow up and record "
                    "the call, visit or promise to pay in the collection log.",
                    customer=status.partner_id.name,
                    days=due[status.partner_id.id].days_overdue,
                ),
            ),
            digest=MONITORING_DIGEST,
        )
        return len(batch_ids), len(due) - len(batch_ids)

    @api.model
    def _credit_letters_cron(self):
        """The scheduled action that prints and e-mails the queued reminder letters."""
        return self.env.ref("customer_credit.ir_cron_credit_collection_letters")

    @api.model
    def _cron_collection_letters(self, batch_size=LETTER_BATCH):
        """Print and e-mail the reminder letters the monitoring queued (催款函, C9), oldest first, in
        bounded batches: each letter in the customer's language with the PDF of its overdue
        invoices (the level's template), recorded on its collection log entry as sent, or as not
        sent with the reason (see ``_credit_send_letters``). Started by the monitoring when it
        queued letters, and hourly for what an interruption left. Returns (done, remaining)."""
        Log = self.env["customer.credit.collection.log"]
        batch, remaining = self.env["ir.cron"]._archive_batch(
            Log.sudo(),  # sudo: the scheduled action sends every company's letters
            lambda company: [("company_id", "=", company.id), ("letter_state", "=", "queued")],
            batch_size,
        )
        for company in batch.company_id:
            env_company = company._archive_for_reader(self.with_company(company))
            # As the system (the superuser, sudo): the letters read the customers' receivables, and
            # their report checks the rights of any other user it is printed for.
            env_company = env_company.with_user(SUPERUSER_ID)
            logs = batch.filtered(lambda log, company=company: log.company_id == company)
            env_company._credit_send_letters(logs.with_env(env_company.env), company)
        self.env["ir.cron"]._archive_progress(len(batch), remaining)
        return len(batch), remaining

    def _credit_send_letters(self, logs, company):
        """Send the letters of the queued collection log entries ``logs`` of ``company`` and record
        the outcome on each entry (``letter_state`` and its note). What changed since the
        monitoring queued a letter counts: a customer that paid up, whose collection a credit
        manager paused, or whose level sends no letter any more gets none. A letter that fails to
        print or send is marked not sent with the error, and the others go on."""
        overdue = self._credit_overdue_figures(company, logs.partner_id.ids)
        statuses = self.env["customer.credit.collection"]._status_of(logs.partner_id, company)
        paused = {pid for pid, status in statuses.items() if status.paused}
        for log in logs:
            partner, level = log.partner_id, log.level_id.with_context(active_test=False)
            reason = None
            if partner.id not in overdue:
                reason = self.env._("nothing is overdue any more.")
            elif partner.id in paused:
                reason = self.env._("the collection of the customer is paused.")
            elif not (level.active and level.send_letter):
                reason = self.env._("the level sends no letter any more.")
            elif not level.mail_template_id:
                reason = self.env._("the level has no e-mail template.")
            elif not partner.email:
                reason = self.env._("the customer has no e-mail address.")
            else:
                try:
                    with self.env.cr.savepoint():
                        # Filed on the customer's credit status (mail.template.send_mail_batch).
                        level.mail_template_id.with_company(company).send_mail(
                            partner.id, email_layout_xmlid="mail.mail_notification_light"
                        )
                except Exception as error:  # one letter must not stop the queue, whatever it raises
                    _logger.exception("Reminder letter %s to %s failed", log.id, partner.id)
                    reason = self.env._("it could not be printed or sent (%(error)s).", error=error)
            if reason:
                state, note = (
                    "not_sent",
                    self.env._(
                        "Reminder letter of level %(level)s not sent: %(reason)s",
                        level=level.name,
                        reason=reason,
                    ),
                )
            else:
                state, note = (
                    "sent",
                    self.env._(
                        "Reminder letter of level %(level)s sent to %(email)s.",
                        level=level.name,
                        email=partner.email,
                    ),
                )
            log._workflow_write({"letter_state": state, "note": note})

    def _credit_monitor_promises(self, company, batch_size):
        """Settle the promises to pay whose date has passed: kept when the customer paid at least the
        promised amount between the promise and its date, else broken, which records a credit event
        (counted in the scorecard's payment behaviour)."""
        Log = self.env["customer.credit.collection.log"]
        today = fields.Date.context_today(self)
        domain = [
            ("company_id", "=", company.id),
            ("kind", "=", "promise"),
            ("promise_state", "=", False),
            ("promised_date", "<", today),
        ]
        promises = Log.search(domain, order="promised_date, id", limit=batch_size)
        if not promises:
            return 0, 0
        paid = self._credit_paid_for_promises(promises)
        broken = promises.filtered(lambda log: paid.get(log.id, 0.0) < log.promised_amount)
        (promises - broken)._workflow_write({"promise_state": "kept"})
        broken._workflow_write({"promise_state": "broken"})
        self.env["customer.credit.event"]._create_system_event(
            [
                {
                    "partner_id": log.partner_id.id,
                    "company_id": company.id,
                    "event_type": "broken_promise",
                    "date": today,
                    "amount": log.promised_amount - paid.get(log.id, 0.0),
                    "monitoring_key": f"broken_promise:{log.id}",
                    "description": self.env._(
                        "Promise of %(date)s to pay %(amount)s by %(due)s not kept.",
                        date=format_date(self.env, log.date),
                        amount=company.currency_id.format(log.promised_amount),
                        due=format_date(self.env, log.promised_date),
                    ),
                }
                for log in broken
            ]
        )
        remaining = Log.search_count(domain) if len(promises) == batch_size else 0
        return len(promises), remaining

    @api.model
    def _credit_paid_for_promises(self, promises):
        """{log id: amount the customer (its contacts included) paid into its receivable from the day
        of the promise to the promised date}, in one query."""
        self.env["account.move.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT g.id, COALESCE(SUM(-l.balance), 0)
                  FROM customer_credit_collection_log g
                  JOIN res_partner p ON p.commercial_partner_id = g.partner_id
                  JOIN account_move_line l ON l.partner_id = p.id AND l.company_id = g.company_id
                  JOIN account_account a ON a.id = l.account_id
                 WHERE g.id = ANY(%(ids)s)
                   AND l.parent_state = 'posted'
                   AND a.account_type = 'asset_receivable'
                   AND l.balance < 0
                   AND l.date BETWEEN g.date AND g.promised_date
                 GROUP BY g.id
                """,
                ids=promises.ids,
            )
        )
        return dict(self.env.cr.fetchall())
