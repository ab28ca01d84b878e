from odoo import fields, models


class CustomerArchiveDocumentType(models.Model):
    _name = "customer.archive.document.type"
    _description = "Archive Document Type"
    _order = "sequence, code, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Item number in the company's file list, e.g. 1.9.")
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
