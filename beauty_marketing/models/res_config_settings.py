from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    beauty_reminder_cap_count = fields.Integer(
        related="company_id.beauty_reminder_cap_count", readonly=False
    )
    beauty_reminder_cap_days = fields.Integer(
        related="company_id.beauty_reminder_cap_days", readonly=False
    )
