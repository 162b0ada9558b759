from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    beauty_allow_stock_shortage = fields.Boolean(
        related="company_id.beauty_allow_stock_shortage", readonly=False
    )

    beauty_package_refund_fee = fields.Float(
        related="company_id.beauty_package_refund_fee", readonly=False
    )
