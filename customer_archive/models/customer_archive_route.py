from odoo import fields, models


class CustomerArchiveRoute(models.Model):
    """A visiting route (路序): the round a salesperson makes, customers ordered along it."""

    _name = "customer.archive.route"
    _description = "Visiting Route"
    _order = "region_id, code, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    region_id = fields.Many2one("customer.archive.region")
    user_id = fields.Many2one("res.users", string="Salesperson")
    partner_ids = fields.One2many("res.partner", "archive_route_id", string="Customers")
    active = fields.Boolean(default=True)
