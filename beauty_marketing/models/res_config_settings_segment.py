# Kept apart from the other res.company / res.config.settings extension of this addon on purpose:
# segments and SMS settings are maintained separately.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    beauty_segment_new_days = fields.Integer(
        related="company_id.beauty_segment_new_days", readonly=False
    )
    beauty_segment_active_days = fields.Integer(
        related="company_id.beauty_segment_active_days", readonly=False
    )
    beauty_segment_risk_days = fields.Integer(
        related="company_id.beauty_segment_risk_days", readonly=False
    )
    beauty_segment_dormant_days = fields.Integer(
        related="company_id.beauty_segment_dormant_days", readonly=False
    )
    beauty_segment_computed_on = fields.Date(related="company_id.beauty_segment_computed_on")
