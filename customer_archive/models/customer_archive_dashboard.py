from odoo import api, fields, models
from odoo.exceptions import UserError

# A temporary archive is "near" its formalisation deadline this many working days before it.
NEAR_DEADLINE_WORKING_DAYS = 2


class CustomerArchiveDashboard(models.AbstractModel):
    """The archive office overview: one tile per thing waiting for someone.

    Every count is taken with the current user's rights, by the same domain as the list the tile
    opens, so a salesperson sees their own requests and customers and the archive office
    everything within its clearance. Other overviews (customer_credit) inherit this model and
    only state their own tiles in ``_dashboard_tiles``.
    """

    _name = "customer.archive.dashboard"
    _description = "Archive Office Overview"

    @api.model
    def _dashboard_tiles(self):
        """The tiles, in display order. Each is a dict with:

        ``key`` (unique), ``section`` and ``name`` (labels), ``icon`` (Font Awesome class),
        ``model`` and ``domain`` (what is counted and listed), ``action`` (XML id of the window
        action whose views open the list), ``level`` (``warning`` or ``danger``: the colour of a
        tile that is not zero), optionally ``groups`` (needed to see the tile at all) and
        ``hide_empty`` (shown only when it counts something).
        """
        today = self.env.company._archive_today()
        near = self.env.company._archive_add_working_days(today, NEAR_DEADLINE_WORKING_DAYS)
        # Domains go to the web client as they are: dates as strings.
        today, near = fields.Date.to_string(today), fields.Date.to_string(near)
        lending, archives = self.env._("Lending"), self.env._("Archives")
        borrow, archive = "customer.archive.borrow", "customer.archive"
        return [
            {
                "key": "borrow_to_decide",
                "section": lending,
                "name": self.env._("Awaiting Approval"),
                "icon": "fa-gavel",
                "model": borrow,
                "domain": [("state", "=", "submitted")],
                "action": "customer_archive.customer_archive_borrow_action_to_decide",
                "level": "warning",
            },
            {
                "key": "borrow_lent",
                "section": lending,
                "name": self.env._("Lent Now"),
                "icon": "fa-sign-out",
                "model": borrow,
                "domain": [("state", "=", "lent")],
                "action": "customer_archive.customer_archive_borrow_action",
                "level": "info",
            },
            {
                "key": "borrow_overdue",
                "section": lending,
                "name": self.env._("Overdue Loans"),
                "icon": "fa-clock-o",
                "model": borrow,
                "domain": [("is_overdue", "=", True)],
                "action": "customer_archive.customer_archive_borrow_action_overdue",
                "level": "danger",
            },
            {
                "key": "borrow_copies_out",
                "section": lending,
                "name": self.env._("Copies Not Back"),
                "icon": "fa-files-o",
                "model": borrow,
                "domain": [("copies_out", "=", True)],
                "action": "customer_archive.customer_archive_borrow_action_photocopy_register",
                "level": "warning",
            },
            {
                "key": "archive_deadline_near",
                "section": archives,
                "name": self.env._("Formalisation Due Soon"),
                "icon": "fa-hourglass-half",
                "model": archive,
                "domain": [
                    ("state", "=", "temporary"),
                    ("formalisation_deadline", ">=", today),
                    ("formalisation_deadline", "<=", near),
                ],
                "action": "customer_archive.customer_archive_action",
                "level": "warning",
            },
            {
                "key": "archive_formalisation_overdue",
                "section": archives,
                "name": self.env._("Formalisation Overdue"),
                "icon": "fa-exclamation-triangle",
                "model": archive,
                "domain": [("is_formalisation_overdue", "=", True)],
                "action": "customer_archive.customer_archive_action",
                "level": "danger",
            },
            {
                "key": "archive_stale",
                "section": archives,
                "name": self.env._("Stale Archives"),
                "icon": "fa-history",
                "model": archive,
                "domain": [("is_stale", "=", True)],
                "action": "customer_archive.customer_archive_action",
                "level": "warning",
            },
            {
                "key": "archive_retention_ended",
                "section": archives,
                "name": self.env._("Retention Ended"),
                "icon": "fa-hourglass-end",
                "model": archive,
                # 保管期限届满: to review for destruction, unless a legal hold stops it.
                "domain": [
                    ("retention_end_date", "<=", today),
                    ("state", "!=", "destroyed"),
                    ("legal_hold", "=", False),
                ],
                "action": "customer_archive.customer_archive_action",
                "level": "warning",
                "groups": "customer_archive.group_archive_officer",
            },
            {
                "key": "archive_legal_hold",
                "section": archives,
                "name": self.env._("Under Legal Hold"),
                "icon": "fa-gavel",
                "model": archive,
                "domain": [("legal_hold", "=", True), ("state", "!=", "destroyed")],
                "action": "customer_archive.customer_archive_action",
                "level": "info",
                "groups": "customer_archive.group_archive_officer",
            },
            {
                "key": "repair_open",
                "section": archives,
                "name": self.env._("Repairs Open"),
                "icon": "fa-wrench",
                "model": "customer.archive.repair",
                "domain": [("state", "=", "to_repair")],
                "action": "customer_archive.customer_archive_repair_action",
                "level": "warning",
                "groups": "customer_archive.group_archive_officer",
            },
            {
                "key": "share_to_decide",
                "section": self.env._("Sharing and Audit"),
                "name": self.env._("Shares to Decide"),
                "icon": "fa-share-alt",
                "model": "customer.archive.share",
                "domain": [("state", "=", "submitted")],
                "action": "customer_archive.customer_archive_share_action",
                "level": "warning",
                "groups": "customer_archive.group_archive_officer",
            },
            {
                "key": "access_alarms",
                "section": self.env._("Sharing and Audit"),
                "name": self.env._("Access Alarms to Check"),
                "icon": "fa-bell",
                "model": "customer.archive.access.alarm",
                "domain": [("state", "=", "new")],
                "action": "customer_archive.customer_archive_access_alarm_action",
                "level": "danger",
            },
        ]

    @api.model
    def _dashboard_visible_tiles(self):
        """The tiles the current user may see: read access to the model and the tile's groups."""
        return [
            tile
            for tile in self._dashboard_tiles()
            if self.env[tile["model"]].has_access("read")
            and (not tile.get("groups") or self.env.user.has_groups(tile["groups"]))
        ]

    @api.model
    def _dashboard_counts(self, tiles):
        """{tile key: count}, with the current user's rights. One count query per tile."""
        return {tile["key"]: self.env[tile["model"]].search_count(tile["domain"]) for tile in tiles}

    @api.model
    def get_dashboard_data(self):
        """The sections and tiles of the overview with their counts, for the client action."""
        # Tiles marked ``chart_only`` are what a chart's bar opens: not drawn, not counted.
        tiles = [tile for tile in self._dashboard_visible_tiles() if not tile.get("chart_only")]
        counts = self._dashboard_counts(tiles)
        sections = []
        for tile in tiles:
            if tile.get("hide_empty") and not counts[tile["key"]]:
                continue
            if not sections or sections[-1]["name"] != tile["section"]:
                sections.append({"name": tile["section"], "tiles": []})
            sections[-1]["tiles"].append(
                {
                    "key": tile["key"],
                    "name": tile["name"],
                    "icon": tile["icon"],
                    "level": tile["level"],
                    "count": counts[tile["key"]],
                }
            )
        return {"sections": sections, "charts": []}

    @api.model
    def action_open_tile(self, key):
        """The window action listing what tile ``key`` counts."""
        tile = next((tile for tile in self._dashboard_visible_tiles() if tile["key"] == key), None)
        if tile is None:
            raise UserError(self.env._("This overview has no such tile."))
        action = self.env["ir.actions.act_window"]._for_xml_id(tile["action"])
        action.update(
            name=tile["name"],
            domain=tile["domain"],
            # The tile's domain is the whole filter: no default filter of the menu's action on top.
            context={},
            target="current",
        )
        return action
