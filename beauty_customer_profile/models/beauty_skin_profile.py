from odoo import fields, models

SKIN_TYPES = [
    ("dry", "Dry"),
    ("oily", "Oily"),
    ("combination", "Combination"),
    ("sensitive", "Sensitive"),
    ("normal", "Normal"),
]
LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class BeautySkinProfile(models.Model):
    _name = "beauty.skin.profile"
    _inherit = ["beauty.sensitive.mixin"]
    _description = "Skin profile"
    _beauty_consent_purpose = "personal"
    _rec_name = "partner_id"

    skin_type = fields.Selection(SKIN_TYPES, index=True)
    pores = fields.Selection([("fine", "Fine"), ("visible", "Visible"), ("enlarged", "Enlarged")])
    texture = fields.Selection([("smooth", "Smooth"), ("uneven", "Uneven"), ("rough", "Rough")])
    lustre = fields.Selection([("radiant", "Radiant"), ("normal", "Average"), ("dull", "Dull")])
    elasticity = fields.Selection(LEVELS)
    notes = fields.Text()

    _partner_unique = models.Constraint(
        "UNIQUE(partner_id)", "A customer has only one skin profile."
    )
