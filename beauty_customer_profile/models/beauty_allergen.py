from odoo import fields, models

ALLERGEN_KINDS = [
    ("food", "Food"),
    ("drug", "Drug"),
    ("cosmetic", "Cosmetic ingredient"),
    ("medical_material", "Medical material"),
]


class BeautyAllergen(models.Model):
    _name = "beauty.allergen"
    _description = "Allergen"
    _order = "kind, name"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(ALLERGEN_KINDS, required=True, default="cosmetic")
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _name_kind_unique = models.Constraint(
        "UNIQUE(name, kind)", "An allergen of this kind with this name already exists."
    )
