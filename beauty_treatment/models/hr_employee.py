from odoo import fields, models

from .beauty_commission_rule import THERAPIST_LEVELS


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    beauty_is_therapist = fields.Boolean(string="Therapist", index=True)
    beauty_therapist_level = fields.Selection(
        THERAPIST_LEVELS,
        string="Therapist level",
        help="Commission rules may differ per level.",
    )
