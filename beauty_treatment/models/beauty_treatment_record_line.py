from odoo import api, fields, models


class BeautyTreatmentRecordLine(models.Model):
    """A product used during a treatment session, with the lot it came from."""

    _name = "beauty.treatment.record.line"
    _description = "Product used in a treatment"
    _order = "record_id, id"

    record_id = fields.Many2one(
        "beauty.treatment.record", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="record_id.company_id", store=True)
    product_id = fields.Many2one("product.product", required=True, domain=[("type", "=", "consu")])
    tracking = fields.Selection(related="product_id.tracking")
    lot_id = fields.Many2one(
        "stock.lot",
        domain="[('product_id', '=', product_id)]",
        check_company=True,
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
        "CHECK(quantity >= 0)", "A used quantity cannot be negative."
    )

    @api.depends("product_id")
    def _compute_uom_id(self):
        for line in self:
            if line.product_id and line.uom_id != line.product_id.uom_id and not line.uom_id:
                line.uom_id = line.product_id.uom_id
