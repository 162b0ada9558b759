from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    beauty_review_interval_months = fields.Integer(
        string="Archive review every (months)",
        config_parameter="beauty_customer_profile.review_interval_months",
        default=6,
    )
