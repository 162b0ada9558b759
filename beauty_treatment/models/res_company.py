from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    beauty_allow_stock_shortage = fields.Boolean(
        string="Allow consumables below stock",
        help="When set, finishing a treatment record takes its consumables out of stock even "
        "when the stock shows less than needed (the stock goes negative). Otherwise the "
        "record cannot be finished until the stock is corrected.",
    )
