from odoo import api, fields, models

CREDIT_USER = "customer_credit.group_credit_user"
CREDIT_OFFICER = "customer_credit.group_credit_officer"
OVERDUE_GRADE_PREFIX = "overdue_grade_"


# A contact shows its company's credit figures; customers are counted once, as commercial entities.
COMMERCIAL_ENTITIES = ["|", ("is_company", "=", True), ("parent_id", "=", False)]


class CustomerCreditDashboard(models.AbstractModel):
    """The credit overview: holds waiting, customers over their limit, overdue customers by
    grade, reviews due. Built on the archive office overview: only the tiles differ."""

    _name = "customer.credit.dashboard"
    _inherit = "customer.archive.dashboard"
    _description = "Credit Overview"

    @api.model
    def _dashboard_tiles(self):
        today = fields.Date.context_today(self)
        company = self.env.company
        control, reviews = self.env._("Credit Control"), self.env._("Reviews")
        overdue_section = self.env._("Overdue Customers by Grade")
        partner_action = "customer_credit.customer_credit_partner_action"
        tiles = [
            {
                "key": "holds_pending",
                "section": control,
                "name": self.env._("Holds Waiting"),
                "icon": "fa-lock",
                "model": "customer.credit.hold",
                "domain": [("state", "=", "pending")],
                "action": "customer_credit.customer_credit_hold_action",
                "level": "warning",
            },
            {
                "key": "over_limit",
                "section": control,
                "name": self.env._("Over Credit Limit"),
                "icon": "fa-tachometer",
                "model": "res.partner",
                "domain": [("credit_over_limit", "=", True), *COMMERCIAL_ENTITIES],
                "action": partner_action,
                "level": "danger",
                "groups": CREDIT_USER,
            },
        ]
        if not self.env.user.has_group(CREDIT_OFFICER):
            # Overdue figures, evaluations and risk plans are the credit department's.
            return tiles
        # Archived grades still grade old evaluations: their tiles show when they count something.
        grades = (
            self.env["customer.credit.grade"]
            .with_context(active_test=False)
            .search([("company_id", "=", company.id)])
        )
        tiles += [
            {
                "key": "reviews_due",
                "section": reviews,
                "name": self.env._("Evaluations Due for Review"),
                "icon": "fa-balance-scale",
                "model": "customer.credit.evaluation",
                "domain": [("review_due", "=", True), ("company_id", "=", company.id)],
                "action": "customer_credit.customer_credit_evaluation_action",
                "level": "warning",
                "groups": CREDIT_OFFICER,
            },
            {
                "key": "risk_plans_due",
                "section": reviews,
                "name": self.env._("Risk Plans Due for Review"),
                "icon": "fa-shield",
                "model": "res.partner",
                "domain": [("credit_risk_plan_review_date", "<=", fields.Date.to_string(today))],
                "action": partner_action,
                "level": "warning",
                "groups": CREDIT_OFFICER,
            },
        ]
        overdue = ("credit_overdue_days", ">", 0)
        for grade in grades:
            tiles.append(
                {
                    "key": f"{OVERDUE_GRADE_PREFIX}{grade.id}",
                    "grade_id": grade.id,
                    "section": overdue_section,
                    "name": grade.display_name,
                    "icon": "fa-money",
                    "model": "res.partner",
                    "domain": [overdue, ("credit_grade_id", "=", grade.id), *COMMERCIAL_ENTITIES],
                    "action": partner_action,
                    "level": "danger",
                    "groups": CREDIT_OFFICER,
                    "hide_empty": not grade.active,
                }
            )
        tiles.append(
            {
                "key": f"{OVERDUE_GRADE_PREFIX}none",
                "grade_id": False,
                "section": overdue_section,
                "name": self.env._("Not Graded"),
                "icon": "fa-question-circle",
                "model": "res.partner",
                "domain": [
                    overdue,
                    (
                        "credit_evaluation_ids",
                        "not any",
                        [
                            ("state", "=", "approved"),
                            ("company_id", "=", company.id),
                            ("grade_id", "!=", False),
                        ],
                    ),
                ],
                "action": partner_action,
                "level": "danger",
                "groups": CREDIT_OFFICER,
            }
        )
        return tiles

    @api.model
    def _dashboard_counts(self, tiles):
        """The overdue customers of every grade in two queries, whatever the number of grades."""
        by_grade = [tile for tile in tiles if tile["key"].startswith(OVERDUE_GRADE_PREFIX)]
        counts = super()._dashboard_counts([tile for tile in tiles if tile not in by_grade])
        if not by_grade:
            return counts
        overdue = self.env["res.partner"].search([("credit_overdue_days", ">", 0), *COMMERCIAL_ENTITIES])
        graded = {
            grade.id: set(partner_ids)
            for grade, partner_ids in self.env["customer.credit.evaluation"]._read_group(
                [
                    ("partner_id", "in", overdue.ids),
                    ("state", "=", "approved"),
                    ("company_id", "=", self.env.company.id),
                    ("grade_id", "!=", False),
                ],
                ["grade_id"],
                ["partner_id:array_agg"],
            )
        }
        ungraded = set(overdue.ids).difference(*graded.values())
        for tile in by_grade:
            partners = graded.get(tile["grade_id"], set()) if tile["grade_id"] else ungraded
            counts[tile["key"]] = len(partners)
        return counts
