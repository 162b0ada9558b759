from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    beauty_days_of_use = fields.Integer(
        string="Days of use",
        help="How long one unit lasts at home. A customer who bought it at the till is "
        "reminded before it runs out (reminder rule “Home product running out”). 0: never.",
    )
