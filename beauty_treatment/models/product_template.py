from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    beauty_is_treatment = fields.Boolean(string="Salon treatment", index=True)
    beauty_duration = fields.Float(string="Duration (hours)", default=1.0)
    beauty_care_cycle_days = fields.Integer(
        string="Care cycle (days)", help="Days until the next session is due; 0 for none."
    )
    beauty_consumable_ids = fields.One2many(
        "beauty.treatment.consumable",
        "treatment_tmpl_id",
        string="Consumables per session",
        help="Products taken from stock each time the treatment is done.",
    )
    beauty_rule_ids = fields.One2many(
        "beauty.treatment.rule",
        "treatment_tmpl_id",
        string="Safety rules",
        help="Required consents and contraindications checked at booking and at the start "
        "of the service.",
    )
    beauty_commission_rule_ids = fields.One2many(
        "beauty.commission.rule",
        "product_tmpl_id",
        string="Commission rules",
        groups="beauty_customer_profile.beauty_customer_profile_group_manager",
    )

    _beauty_duration_positive = models.Constraint(
        "CHECK(beauty_duration >= 0)", "A treatment cannot last a negative time."
    )
    _beauty_care_cycle_positive = models.Constraint(
        "CHECK(beauty_care_cycle_days >= 0)", "The care cycle cannot be negative."
    )
