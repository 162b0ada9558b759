from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    beauty_reminder_cap_count = fields.Integer(
        related="company_id.beauty_reminder_cap_count", readonly=False
    )
    beauty_reminder_cap_days = fields.Integer(
        related="company_id.beauty_reminder_cap_days", readonly=False
    )
    beauty_complaint_response_hours = fields.Integer(
        related="company_id.beauty_complaint_response_hours", readonly=False
    )
    beauty_complaint_solution_hours = fields.Integer(
        related="company_id.beauty_complaint_solution_hours", readonly=False
    )
    beauty_complaint_manager_id = fields.Many2one(
        related="company_id.beauty_complaint_manager_id", readonly=False
    )
