from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    beauty_reminder_cap_count = fields.Integer(
        string="Reminder cap (messages)",
        default=3,
        help="At most this many reminder messages reach one customer within the cap period, "
        "across all reminder rules. Zero means no cap.",
    )
    beauty_reminder_cap_days = fields.Integer(
        string="Reminder cap (days)",
        default=7,
        help="The period, in days, over which the reminder cap counts messages.",
    )
    beauty_complaint_response_hours = fields.Integer(
        string="Complaint response time (hours)", default=24
    )
    beauty_complaint_solution_hours = fields.Integer(
        string="Complaint solution time (hours)", default=48
    )
    beauty_complaint_manager_id = fields.Many2one(
        "res.users",
        string="Escalate complaints to",
        help="Who gets a task when a complaint misses its deadline. Empty: a manager of the store.",
    )
