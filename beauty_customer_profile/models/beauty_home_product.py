from odoo import fields, models


class BeautyHomeProduct(models.Model):
    _name = "beauty.home.product"
    _inherit = ["beauty.sensitive.mixin"]
    _description = "Product used at home"
    _beauty_consent_purpose = "personal"
    _order = "id desc"

    brand = fields.Char(required=True)
    product_line = fields.Char(string="Line / product")
    usage = fields.Char(string="How it is used")
    date_start = fields.Date(string="Used since")
