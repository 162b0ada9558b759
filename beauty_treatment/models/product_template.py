from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    beauty_is_treatment = fields.Boolean(string="Salon treatment", index=True)
    beauty_duration = fields.Float(string="Duration (hours)", default=1.0)
    beauty_care_cycle_days = fields.Integer(
        string="Care cycle (days)", help="Days until the next session is due; 0 for none."
    )

    _beauty_duration_positive = models.Constraint(
        "CHECK(beauty_duration >= 0)", "A treatment cannot last a negative time."
    )
    _beauty_care_cycle_positive = models.Constraint(
        "CHECK(beauty_care_cycle_days >= 0)", "The care cycle cannot be negative."
    )
