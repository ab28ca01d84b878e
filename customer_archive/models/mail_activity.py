from collections import defaultdict

from werkzeug.urls import url_encode

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date

from .customer_archive_approval_mixin import APPROVAL_ACTIVITY
from .mail_message import compute_record_readable, record_readable_by_user, search_record_readable

# Activities listed in one digest e-mail; the others are counted ("and N more").
DIGEST_LINES = 100


class MailActivity(models.Model):
    """Activities on archive data: held only by people cleared for the record's level; made in
    bulk by the scheduled actions, which announce them in one digest e-mail per person and run
    (``ir.cron._archive_progress``)."""

    _inherit = "mail.activity"

    # Odoo lets an activity be read by its assignee or by whoever reads its record, and checks the
    # record in Python after the search's limit: a search with a limit told whether hidden
    # activities matched (a customer's exposure in a credit warning, letter by letter). On the
    # records of the archive addons, a global record rule (``mail_activity_rule_record_readable``)
    # asks in SQL that the record be readable, as for their messages.
    record_readable = fields.Boolean(
        compute="_compute_record_readable",
        search="_search_record_readable",
        help="Whether you may read the record of the activity; activities of archive data are read "
        "only with their record.",
    )
    archive_digest_key = fields.Char(
        string="Digest Pending",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="Technical: the scheduled action whose digest e-mail is still to announce this activity; "
        "emptied when the digest is sent.",
    )

    def _compute_res_name(self):
        # Odoo names the record as superuser: a form's answer (onchange) on a new activity told
        # the name of any record of the addons by its id. Only for who may read it.
        result = super()._compute_res_name()
        for activity in self.filtered(lambda a: not a._origin and a.res_model and a.res_id):
            if not record_readable_by_user(self.env, activity.res_model, activity.res_id):
                activity.res_name = False
        return result

    @api.depends_context("uid")
    @api.depends("res_model", "res_id")
    def _compute_record_readable(self):
        compute_record_readable(self)

    def _search_record_readable(self, operator, value):
        return search_record_readable(self, operator, value)

    @api.model_create_multi
    def create(self, vals_list):
        self._check_activity_type_model(vals_list)
        approval = self._archive_approval_type()
        if (
            approval
            and not self.env.su
            and any(vals.get("activity_type_id") == approval.id for vals in vals_list)
        ):
            self._archive_refuse_approval_change()
        # Nobody below a record's level holds an activity on it (密级): an activity meant for
        # someone not cleared goes to a cleared archive office manager instead.
        ranks = self._archive_ranks(vals_list)
        for vals, rank in zip(vals_list, ranks, strict=True):
            if rank and vals.get("user_id"):
                user = self.env["res.users"].browse(vals["user_id"])
                assignee = self.env["customer.archive.confidentiality.mixin"]._cleared_assignee(user, rank)
                if not assignee:
                    raise UserError(self.env._("Nobody is cleared to hold this activity."))
                vals["user_id"] = assignee.id
        return super().create(vals_list)

    def write(self, vals):
        approval = self._archive_approval_type()
        if (
            approval
            and not self.env.su
            and (approval in self.activity_type_id or vals.get("activity_type_id") == approval.id)
        ):
            self._archive_refuse_approval_change()
        if vals.get("user_id"):
            user = self.env["res.users"].browse(vals["user_id"])
            for activity in self:
                rank = self._archive_rank_of(activity.res_model_id.id, activity.res_model, activity.res_id)
                if rank and user.archive_clearance_rank < rank:
                    raise UserError(
                        self.env._("%(user)s is not cleared for this record's level.", user=user.name)
                    )
        moved = not self.env.su and {"res_model", "res_model_id", "res_id", "activity_type_id"}.intersection(
            vals
        )
        result = super().write(vals)
        if moved:
            self._check_moved_activities()
        return result

    def _check_moved_activities(self):
        """After a write that moved activities ``self`` to another record or changed their type:
        the user may post on the record they are on now (Odoo checks the record an activity is
        created on, not the one it is moved to, which told the names of records one may not read),
        and each type meant for a model is used on that model only (the credit department's types
        on the customer's credit status). Raises AccessError or UserError, which undoes the write."""
        self._check_activity_type_model(
            [{"activity_type_id": a.activity_type_id.id, "res_model": a.res_model} for a in self]
        )
        targets = defaultdict(set)
        for activity in self.sudo():  # sudo: where they are now, checked below as the user
            targets[activity.res_model].add(activity.res_id)
        for model, ids in targets.items():
            documents = self.env[model].browse(ids)
            documents.check_access(getattr(documents, "_mail_post_access", "write"))

    @api.model
    def _check_activity_type_model(self, vals_list):
        """Refuse (UserError) an activity of a type meant for one model (``res_model`` of the type)
        on a record of another: Odoo's form offers such types on their model only, but a create,
        write or copy over RPC took any. Takes the activities' values."""
        type_ids = {vals["activity_type_id"] for vals in vals_list if vals.get("activity_type_id")}
        if self.env.su or not type_ids:
            return
        types = self.env["mail.activity.type"].sudo().browse(type_ids)  # sudo: the types' model only
        meant = {activity_type.id: activity_type.res_model for activity_type in types}
        names = self.env["ir.model"].sudo()  # sudo: the models' names only
        for vals in vals_list:
            model = vals.get("res_model") or names.browse(vals.get("res_model_id")).model
            wanted = meant.get(vals.get("activity_type_id"))
            if wanted and model and wanted != model:
                raise UserError(
                    self.env._(
                        "Activities of this type are scheduled on %(model)s only.",
                        model=self.env["ir.model"]._get(wanted).display_name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approval(self):
        # Marking done, cancelling or deleting an approval activity is the engine's alone.
        approval = self._archive_approval_type()
        if approval and not self.env.su and approval in self.activity_type_id:
            self._archive_refuse_approval_change()

    @api.model
    def _archive_approval_type(self):
        return self.env.ref(APPROVAL_ACTIVITY, raise_if_not_found=False)

    @api.model
    def _archive_refuse_approval_change(self):
        """Approval activities ask whoever must decide next on a request: only the approval engine
        makes, moves and closes them (``customer.archive.approval.mixin``), so that nobody — the
        requester least — takes one over, reschedules it or makes it disappear. Raises AccessError."""
        raise AccessError(
            self.env._(
                "Approval activities are made and closed by the request's own steps: decide on the "
                "request (approve, refuse, release) and its activity closes by itself."
            )
        )

    @api.model
    def _archive_rank_of(self, res_model_id, res_model, res_id):
        """The confidentiality rank of the record an activity is on (0 for other models)."""
        return self._archive_ranks(
            [{"res_model_id": res_model_id, "res_model": res_model, "res_id": res_id}]
        )[0]

    @api.model
    def _archive_ranks(self, vals_list):
        """The confidentiality rank of the record each activity of ``vals_list`` is on (0 for other
        models), in the same order: one query per model, whatever the number of activities."""
        model_ids = {vals["res_model_id"] for vals in vals_list if vals.get("res_model_id")}
        models_ = self.env["ir.model"].sudo().browse(model_ids)  # sudo: the models' names only
        names = {model.id: model.model for model in models_}
        targets = [
            (vals.get("res_model") or names.get(vals.get("res_model_id")), vals.get("res_id"))
            for vals in vals_list
        ]
        ids_by_model = defaultdict(set)
        for name, res_id in targets:
            Model = self.env.get(name or "")
            if res_id and Model is not None and "confidentiality_rank" in Model._fields:
                ids_by_model[name].add(res_id)
        ranks = {}
        for name, ids in ids_by_model.items():
            records = self.env[name].sudo().browse(ids)  # sudo: the level only
            ranks.update(((name, record.id), record.confidentiality_rank) for record in records)
        return [ranks.get(target, 0) for target in targets]

    # ------------------------------------------------------------------ bulk activities and digests
    @api.model
    def _archive_schedule(self, activity_type, targets, render, deadline=None, digest=None):
        """Schedule activities of ``activity_type`` in one ``create``, without the e-mail Odoo sends
        for each assigned activity: the one home of the activities the scheduled actions make (the
        review, overdue and credit monitoring runs, the credit holds).

        Takes ``targets``, a list of ``(record, users)``: each user gets one activity on the record;
        one not cleared for the record's level gets none, a cleared archive office manager does
        (see ``create``). ``render(record)`` returns ``(summary, note)``; it is called with the
        record in each recipient's language and the company's time zone
        (``res.company._archive_for_reader``), once per record and language. ``deadline(record)``
        gives the date due (default: today in the record's company). ``digest`` is the key of the
        scheduled action whose digest announces the activities (``_archive_send_digests``): one
        e-mail per person at the end of its run instead of one per activity; None for none.

        Returns the activities created.
        """
        Mixin = self.env["customer.archive.confidentiality.mixin"]
        ids_by_model = defaultdict(list)
        for record, _users in targets:
            ids_by_model[record._name].extend(record.ids)
        ranks, names = {}, {}
        for name, ids in ids_by_model.items():
            # the level, to choose the holder, and the name, as mail.activity's compute reads it
            records = self.env[name].sudo().browse(ids)  # sudo: level and name only, see above
            if "confidentiality_rank" in records._fields:
                ranks.update(((name, record.id), record.confidentiality_rank) for record in records)
            # The record's name (res_name) as Odoo's compute gives it, for all of them at once:
            # computed per activity, each record was read alone (a quarter of the queries of the
            # credit monitoring of 5,000 customers).
            names.update(
                zip(((name, record.id) for record in records), records.mapped("display_name"), strict=True)
            )
        assignees, todays, texts, readers = {}, {}, {}, {}
        vals_list = []
        for record, users in targets:
            model_id = self.env["ir.model"]._get_id(record._name)
            company = record.company_id if "company_id" in record._fields else self.env.company
            company = company[:1] or self.env.company
            if company not in todays:
                todays[company] = company._archive_today()
            rank = ranks.get((record._name, record.id), 0)
            holders = self.env["res.users"]
            for user in users:
                if (user, rank) not in assignees:
                    assignees[user, rank] = Mixin._cleared_assignee(user, rank) if rank else user
                holders |= assignees[user, rank]
            for user in holders:
                key = (company, user, record.env)  # one environment per recipient, not per activity
                if key not in readers:
                    readers[key] = company._archive_for_reader(record, user).env
                env = readers[key]
                if (record, env.lang) not in texts:
                    texts[record, env.lang] = render(record.with_env(env))
                summary, note = texts[record, env.lang]
                vals_list.append(
                    {
                        "activity_type_id": activity_type.id,
                        "res_model_id": model_id,
                        "res_id": record.id,
                        "res_name": names[record._name, record.id],
                        "user_id": user.id,
                        "summary": summary,
                        "note": note,
                        "date_deadline": deadline(record) if deadline else todays[company],
                        "automated": True,
                        "archive_digest_key": digest or False,
                    }
                )
        return self.with_context(mail_activity_quick_update=True).create(vals_list)

    @api.model
    def _archive_send_digests(self, digest):
        """Send each person one e-mail (or inbox notification, as they chose) listing the activities
        the run of the scheduled action ``digest`` gave them and that are still open: in their
        language, deadlines first, each with a link to its record (the first ``DIGEST_LINES``; the
        others are counted). The activities are then announced: a second call sends nothing.
        Returns the number of people with a digest."""
        Activity = self.sudo()  # sudo: the system announces everybody's activities to them
        pending = [("archive_digest_key", "=", digest)]
        base_url = self.get_base_url()
        told = 0
        for (user,) in Activity._read_group(pending, ["user_id"]):
            if not user.partner_id:
                continue
            # As the person reads them: an activity on a record they may no longer read (a customer
            # given to another salesperson since it was made) is not told to them.
            reader = self.with_user(user).with_context(lang=user.lang or self.env.lang)
            theirs = [*pending, ("user_id", "=", user.id)]
            by_type = dict(reader._read_group(theirs, ["activity_type_id"], ["__count"]))
            if not by_type:
                continue
            activities = reader.search(theirs, order="date_deadline, id", limit=DIGEST_LINES)
            subject, body = reader._archive_digest_content(user, activities, by_type, base_url)
            told += 1
            # sent by the system (Activity: its user, as sudo), not by the person, in their language
            Notifier = Activity.with_context(lang=reader.env.lang).env["mail.thread"]
            Notifier.with_context(mail_notify_force_send=False).message_notify(
                partner_ids=user.partner_id.ids,
                subject=subject,
                body=body,
                email_layout_xmlid="mail.mail_notification_light",
                model_description=reader.env._("Activities"),
            )
        # One statement for any number of activities: the digest is sent, none is announced again.
        self.env["mail.activity"].flush_model(["archive_digest_key"])
        self.env.cr.execute(
            SQL("UPDATE mail_activity SET archive_digest_key = NULL WHERE archive_digest_key = %s", digest)
        )
        self.env["mail.activity"].invalidate_model(["archive_digest_key"])
        return told

    def _archive_digest_content(self, user, activities, by_type, base_url):
        """(subject, HTML body) of the digest for ``user``: ``activities`` listed, ``by_type``
        {activity type: count} of all of them; in the language of ``self``'s environment."""
        env = self.env
        count = sum(by_type.values())
        lines = [
            {
                "deadline": format_date(env, activity.date_deadline),
                "type": activity.activity_type_id.name,
                "record": activity.res_name,
                "url": f"{base_url}/mail/view?"
                + url_encode({"model": activity.res_model, "res_id": activity.res_id}),
                "summary": activity.summary,
                "note": activity.note,
            }
            for activity in activities
        ]
        subject = env._(
            "%(count)s new activities for you: %(types)s",
            count=count,
            types=", ".join(
                f"{activity_type.with_env(env).name} ({number})" for activity_type, number in by_type.items()
            ),
        )
        intro = env._(
            "Hello %(name)s, these activities were scheduled for you (%(count)s in all):",
            name=user.name,
            count=count,
        )
        hidden = count - len(lines)
        more = (
            env._("And %(count)s more: you find them all in your activities in Odoo.", count=hidden)
            if hidden > 0
            else ""
        )
        body = env["ir.qweb"]._render(
            "customer_archive.mail_activity_digest",
            {"intro": intro, "lines": lines, "more": more},
            minimal_qcontext=True,
        )
        return subject, body
