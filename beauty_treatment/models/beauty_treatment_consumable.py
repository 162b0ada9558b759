from odoo import api, fields, models


class BeautyTreatmentConsumable(models.Model):
    """A product used up by one session of a treatment (mask, serum, ampoule...)."""

    _name = "beauty.treatment.consumable"
    _description = "Treatment consumable"
    _order = "treatment_tmpl_id, sequence, id"

    sequence = fields.Integer(default=10)
    treatment_tmpl_id = fields.Many2one(
        "product.template", string="Treatment", required=True, ondelete="cascade", index=True
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        ondelete="restrict",
        domain=[("type", "=", "consu")],
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit")
    uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        required=True,
        compute="_compute_uom_id",
        store=True,
        readonly=False,
        precompute=True,
    )

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "The quantity of a consumable must be positive."
    )

    @api.depends("product_id")
    def _compute_uom_id(self):
        for line in self:
            if line.product_id and not line.uom_id:
                line.uom_id = line.product_id.uom_id
