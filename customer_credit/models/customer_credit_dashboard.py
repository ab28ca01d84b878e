from collections import Counter

from odoo import api, fields, models

from .customer_credit_ageing import AGEING_BUCKETS

CREDIT_USER = "customer_credit.group_credit_user"
CREDIT_OFFICER = "customer_credit.group_credit_officer"
OVERDUE_GRADE_PREFIX = "overdue_grade_"
EXPOSURE_GRADE_PREFIX = "exposure_grade_"
# The largest exposures the overview draws.
TOP_EXPOSURES = 10


# A contact shows its company's credit figures; customers are counted once, as commercial entities.
COMMERCIAL_ENTITIES = ["|", ("is_company", "=", True), ("parent_id", "=", False)]


class CustomerCreditDashboard(models.AbstractModel):
    """The credit overview (C6, C9): holds waiting, customers over their limit or on hold, overdue
    customers by grade, reviews due, with their amounts; for the credit department, charts of the
    exposure by grade, the overdue receivables by age and the largest exposures. Built on the
    archive office overview: the tiles and charts differ."""

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
            {
                "key": "on_hold",
                "section": control,
                "name": self.env._("Customers on Credit Hold"),
                "icon": "fa-ban",
                "model": "res.partner",
                "domain": [("credit_on_hold", "=", True), *COMMERCIAL_ENTITIES],
                "action": partner_action,
                "level": "danger",
                "groups": CREDIT_OFFICER,
            },
            {
                "key": "overdue",
                "section": control,
                "name": self.env._("Overdue Customers"),
                "icon": "fa-clock-o",
                "model": "res.partner",
                "domain": [("credit_overdue_days", ">", 0), *COMMERCIAL_ENTITIES],
                "action": partner_action,
                "level": "danger",
                "groups": CREDIT_OFFICER,
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
                # no grade in force, as the exposure chart's "Not Graded" bar counts them
                "domain": [overdue, ("credit_grade_id", "=", False), *COMMERCIAL_ENTITIES],
                "action": partner_action,
                "level": "danger",
                "groups": CREDIT_OFFICER,
            }
        )
        # Not shown as tiles: what a bar of the exposure-by-grade chart opens.
        tiles += [
            {
                "key": f"{EXPOSURE_GRADE_PREFIX}{grade.id}",
                "section": False,
                "name": grade.display_name,
                "model": "res.partner",
                "domain": [("credit_grade_id", "=", grade.id), *COMMERCIAL_ENTITIES],
                "action": partner_action,
                "groups": CREDIT_OFFICER,
                "chart_only": True,
            }
            for grade in grades
        ]
        return tiles

    @api.model
    def get_dashboard_data(self):
        """The tiles with their amounts, and the charts for the credit department."""
        data = super().get_dashboard_data()
        if not self.env.user.has_group(CREDIT_OFFICER):
            return data
        company = self.env.company
        figures = self.env["res.partner"]._credit_exposure_figures(company)
        amounts = self._dashboard_amounts(company, figures)
        for section in data["sections"]:
            for tile in section["tiles"]:
                if tile["key"] in amounts:
                    tile["amount"] = company.currency_id.format(amounts[tile["key"]])
        data["charts"] = self._dashboard_charts(company, figures)
        return data

    @api.model
    def _dashboard_amounts(self, company, figures):
        """{tile key: amount in company currency}: the pending holds' documents, the exposure over
        the limits of the customers over limit, the overdue receivables of the overdue ones."""
        Partner = self.env["res.partner"].with_company(company)
        over = Partner.search([("credit_over_limit", "=", True), *COMMERCIAL_ENTITIES])
        held = self.env["customer.credit.hold"]._read_group(
            [("state", "=", "pending"), ("company_id", "=", company.id)], [], ["order_amount:sum"]
        )
        return {
            "holds_pending": held[0][0] or 0.0,
            # sudo: the limit field is Odoo's accounting one; the credit department reads its value
            "over_limit": sum(
                max(figures[partner.id].exposure - partner.sudo().credit_limit, 0.0)  # sudo: accounting field
                for partner in over
                if partner.id in figures
            ),
            "overdue": sum(figure.overdue_amount for figure in figures.values()),
        }

    @api.model
    def _dashboard_charts(self, company, figures):
        """The charts of the overview: [{title, total, rows: [{label, value, display, tile|res_id}]}],
        from the exposure figures read once (``res.partner._credit_exposure_figures``)."""
        currency = company.currency_id
        Partner = self.env["res.partner"].with_company(company).with_context(active_test=False)
        debtors = Partner.browse(list(figures))
        debtors.fetch(["name", "credit_grade_id"])

        def row(label, value, **target):
            return {"label": label, "value": value, "display": currency.format(value), **target}

        by_grade = {}
        for debtor in debtors:
            by_grade.setdefault(debtor.credit_grade_id, 0.0)
            by_grade[debtor.credit_grade_id] += figures[debtor.id].exposure
        grades = sorted(by_grade, key=lambda grade: (not grade, -grade.min_score if grade else 0, grade.id))
        grade_rows = [
            row(grade.display_name, by_grade[grade], tile=f"{EXPOSURE_GRADE_PREFIX}{grade.id}")
            if grade
            else row(self.env._("Not Graded"), by_grade[grade])
            for grade in grades
            if by_grade[grade]
        ]
        Ageing = self.env["customer.credit.ageing"].with_context(
            ageing_date=fields.Date.context_today(self), ageing_company_id=company.id
        )
        sums = Ageing._read_group([], [], [f"{name}:sum" for name, _label in AGEING_BUCKETS])[0]
        age_rows = [
            row(
                Ageing._fields[name]._description_string(self.env),
                amount or 0.0,
                action="customer_credit.customer_credit_ageing_action",
            )
            for name, amount in zip([name for name, _label in AGEING_BUCKETS], sums, strict=True)
            if name != "not_due"
        ]
        largest = sorted(debtors, key=lambda debtor: figures[debtor.id].exposure, reverse=True)[
            :TOP_EXPOSURES
        ]
        top_rows = [
            row(debtor.name, figures[debtor.id].exposure, res_model="res.partner", res_id=debtor.id)
            for debtor in largest
            if figures[debtor.id].exposure > 0
        ]
        return [
            {"key": "exposure_by_grade", "title": self.env._("Exposure by Grade"), "rows": grade_rows},
            {"key": "overdue_by_age", "title": self.env._("Overdue by Age"), "rows": age_rows},
            {"key": "largest_exposures", "title": self.env._("Largest Exposures"), "rows": top_rows},
        ]

    @api.model
    def _dashboard_counts(self, tiles):
        """The overdue customers of every grade in two queries, whatever the number of grades."""
        by_grade = [tile for tile in tiles if tile["key"].startswith(OVERDUE_GRADE_PREFIX)]
        counts = super()._dashboard_counts([tile for tile in tiles if tile not in by_grade])
        if not by_grade:
            return counts
        overdue = self.env["res.partner"].search([("credit_overdue_days", ">", 0), *COMMERCIAL_ENTITIES])
        # Each under its grade in force (``credit_grade_id``: that of its latest approved
        # evaluation, computed for all of them at once), as the lists find them: counted by every
        # approved evaluation's grade, a customer graded B, then A, was counted under both.
        graded = Counter(partner.credit_grade_id.id for partner in overdue)
        for tile in by_grade:
            counts[tile["key"]] = graded[tile["grade_id"] or False]
        return counts
