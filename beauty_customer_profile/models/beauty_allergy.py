from odoo import fields, models


class BeautyAllergy(models.Model):
    _name = "beauty.allergy"
    _inherit = ["beauty.sensitive.mixin"]
    _description = "Allergy"
    _beauty_consent_purpose = "health"
    _order = "severity desc, id"

    allergen_id = fields.Many2one("beauty.allergen", required=True, ondelete="restrict")
    allergen_kind = fields.Selection(related="allergen_id.kind", store=True, string="Kind")
    severity = fields.Selection(
        [("mild", "Mild"), ("moderate", "Moderate"), ("severe", "Severe")],
        required=True,
        default="moderate",
    )
    reaction = fields.Char()
    date_noticed = fields.Date(string="Noticed on")

    _partner_allergen_unique = models.Constraint(
        "UNIQUE(partner_id, allergen_id)", "This allergy is already recorded for the customer."
    )
