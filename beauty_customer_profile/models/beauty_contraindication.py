from odoo import fields, models


class BeautyContraindication(models.Model):
    _name = "beauty.contraindication"
    _description = "Contraindication"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short stable code used by treatment rules.")
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _code_unique = models.Constraint("UNIQUE(code)", "The contraindication code must be unique.")
