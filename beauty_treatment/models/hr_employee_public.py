from odoo import fields, models


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    # Staff without HR rights read employees through this view: booking forms filter on it.
    beauty_is_therapist = fields.Boolean(string="Therapist", readonly=True)
