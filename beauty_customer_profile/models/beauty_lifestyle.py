from odoo import fields, models

FREQUENCY = [("never", "Never"), ("sometimes", "Sometimes"), ("often", "Often"), ("daily", "Daily")]


class BeautyLifestyle(models.Model):
    _name = "beauty.lifestyle"
    _inherit = ["beauty.sensitive.mixin"]
    _description = "Lifestyle"
    _beauty_consent_purpose = "personal"
    _rec_name = "partner_id"

    sleep = fields.Selection(
        [("good", "Sleeps well"), ("irregular", "Irregular"), ("poor", "Sleeps poorly")]
    )
    sleep_hours = fields.Float(string="Hours of sleep")
    diet = fields.Selection(
        [
            ("balanced", "Balanced"),
            ("light", "Light food"),
            ("spicy_oily", "Spicy or oily"),
            ("sweet", "Sweet"),
            ("vegetarian", "Vegetarian"),
        ]
    )
    exercise = fields.Selection(FREQUENCY)
    smoking = fields.Selection(FREQUENCY)
    alcohol = fields.Selection(FREQUENCY)
    stress = fields.Selection([("low", "Low"), ("medium", "Medium"), ("high", "High")])
    sun_protection = fields.Selection(FREQUENCY, string="Sun protection")
    water_intake = fields.Selection(
        [("low", "Less than 1 L"), ("medium", "1-2 L"), ("high", "More than 2 L")],
        string="Water a day",
    )
    notes = fields.Text()

    _partner_unique = models.Constraint(
        "UNIQUE(partner_id)", "A customer has only one lifestyle record."
    )
    _sleep_hours_range = models.Constraint(
        "CHECK(sleep_hours >= 0 AND sleep_hours <= 24)", "Hours of sleep are between 0 and 24."
    )
