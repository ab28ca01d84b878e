from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

OFFICER = "customer_archive.group_archive_officer"
NEXT_STEPS = [("lend", "Hand Out"), ("return", "Take Back"), ("none", "Nothing to Do")]


class CustomerArchiveScan(models.TransientModel):
    """The counter's scan screen: a scanner types a folder's number and Enter; the screen finds
    the archive and the lending request waiting at the counter for it: an approved request to
    hand out, or a loan to take back. The steps themselves are the request's own (its checks,
    its state), called as the buttons of the request call them."""

    _name = "customer.archive.scan"
    _description = "Scan an Archive Folder"
    # A counter tool: it names an archive for one step and hands out nothing itself.
    _archive_access_log = False

    barcode = fields.Char(
        string="Scanned Archive Number", help="Scan the folder's label, or type its number."
    )
    archive_id = fields.Many2one("customer.archive", readonly=True)
    partner_id = fields.Many2one(related="archive_id.partner_id")
    borrow_ids = fields.Many2many("customer.archive.borrow", string="Requests at the Counter", readonly=True)
    borrow_id = fields.Many2one(
        "customer.archive.borrow", string="Request", domain="[('id', 'in', borrow_ids)]"
    )
    next_step = fields.Selection(NEXT_STEPS, compute="_compute_next_step")
    message = fields.Char(readonly=True)

    @api.depends("borrow_id.state")
    def _compute_next_step(self):
        for scan in self:
            state = scan.borrow_id.state
            scan.next_step = {"approved": "lend", "lent": "return"}.get(state, "none")

    @api.onchange("barcode")
    def _onchange_barcode(self):
        if self.barcode:
            self.update(self._find(self.barcode))

    def _find(self, barcode):
        """The values of the screen for the folder numbered ``barcode``: its archive, the
        requests at the counter for it, the one to act on and what to do."""
        archive, requests, message = self._find_requests(barcode)
        return {
            "archive_id": archive.id,
            "borrow_ids": [fields.Command.set(requests.ids)],
            "borrow_id": requests[:1].id,
            "message": message,
        }

    def _find_requests(self, barcode):
        """What the counter does with the folder numbered exactly ``barcode`` (spaces around it
        ignored): returns the archive (the user's rights decide whether it is found), the
        requests at the counter for it (loans to take back first, then approved requests, oldest
        first) and a message saying what to do. Raises AccessError for anyone but the office."""
        self._check_officer()
        number = (barcode or "").strip()
        archive = self.env["customer.archive"].search([("number", "=", number)], limit=1)
        if not archive:
            message = self.env._(
                "No archive numbered %(number)s (or none you may see).", number=number or "-"
            )
            return archive, self.env["customer.archive.borrow"], message
        # A folder back at the counter is taken back first; else the oldest approved request.
        requests = self.env["customer.archive.borrow"].search(
            [("archive_id", "=", archive.id), ("state", "in", ("lent", "approved"))],
            order="date_lent, date_start, id",
        )
        requests = requests.filtered(lambda r: r.state == "lent") + requests.filtered(
            lambda r: r.state == "approved"
        )
        if not requests:
            message = self.env._(
                "Archive %(number)s: no approved request waits for it and it is not lent: nothing to do.",
                number=archive.number,
            )
        elif requests[0].state == "lent":
            message = self.env._(
                "Archive %(number)s is lent under %(request)s: take it back.",
                number=archive.number,
                request=requests[0].name,
            )
        else:
            message = self.env._(
                "Archive %(number)s is waited for by %(request)s (%(requester)s): hand it out.",
                number=archive.number,
                request=requests[0].name,
                requester=requests[0].requester_id.name,
            )
        return archive, requests, message

    def _check_officer(self):
        if not self.env.user.has_group(OFFICER):
            raise AccessError(self.env._("Only the archive office hands out and takes back archives."))

    def action_scan(self):
        """Find the folder of the scanned number (for callers without the form's onchange)."""
        self.ensure_one()
        self.write(self._find(self.barcode))
        return self._reopen()

    def _request(self):
        """The request to act on: one of those waiting for the scanned folder (found again now)."""
        self.ensure_one()
        _archive, waiting, message = self._find_requests(self.barcode)
        if not waiting:
            raise UserError(message)
        return self.borrow_id if self.borrow_id in waiting else waiting[0]

    def action_hand_out(self):
        """Hand the folder out to the approved request: the request's own hand-out form, where
        the borrower signs and the officer confirms; then back to this screen."""
        action = self._request().action_open_lend_wizard()
        action["context"] = dict(action["context"], customer_archive_scan_next=True)
        return action

    def action_take_back(self):
        """Take the folder back: the request's own take-back form (its integrity check)."""
        return self._request().action_open_return_wizard()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
            "name": self.env._("Scan a Folder"),
        }

    def _reopen_empty(self, message):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "target": "current",
            "name": self.env._("Scan a Folder"),
            "context": {"default_message": message},
        }
