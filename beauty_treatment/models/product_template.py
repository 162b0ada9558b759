from odoo import api, fields, models


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
        # With a treatment's rules, a verdict would name the customer's condition: staff who
        # may not read allergies and contraindications do not read the rules either.
        groups="beauty_customer_profile.beauty_customer_profile_group_therapist",
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

    beauty_is_package = fields.Boolean(
        string="Package card",
        index=True,
        help="Selling this product opens a prepaid course card with the sessions below.",
    )
    beauty_package_line_ids = fields.One2many(
        "beauty.package.template.line", "product_tmpl_id", string="Card content"
    )
    beauty_package_validity_months = fields.Integer(
        string="Validity (months)", default=12, help="0 means the card never expires."
    )
    beauty_package_completion_months = fields.Integer(
        string="Expected completion (months)",
        help="When the customer is expected to have used every session.",
    )
    beauty_package_session_count = fields.Integer(
        string="Sessions in the card", compute="_compute_beauty_package_session_count"
    )
    beauty_package_session_value = fields.Float(
        string="Value per session",
        digits="Product Price",
        compute="_compute_beauty_package_session_value",
        store=True,
        readonly=False,
        help="Value of one unused session in the prepaid liability. Computed as the price "
        "divided by the number of sessions unless set.",
    )

    @api.depends("beauty_package_line_ids.quantity")
    def _compute_beauty_package_session_count(self):
        for template in self:
            template.beauty_package_session_count = sum(
                template.beauty_package_line_ids.mapped("quantity")
            )

    @api.depends("list_price", "beauty_package_line_ids.quantity")
    def _compute_beauty_package_session_value(self):
        for template in self:
            count = sum(template.beauty_package_line_ids.mapped("quantity"))
            template.beauty_package_session_value = template.list_price / count if count else 0.0
