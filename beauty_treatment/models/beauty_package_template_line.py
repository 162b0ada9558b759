from odoo import fields, models


class BeautyPackageTemplateLine(models.Model):
    _name = "beauty.package.template.line"
    _description = "Package card content"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    product_tmpl_id = fields.Many2one(
        "product.template", string="Package", required=True, ondelete="cascade", index=True
    )
    product_id = fields.Many2one(
        "product.product",
        string="Treatment or product",
        required=True,
        ondelete="restrict",
        help="A treatment redeemed one session at a time, or a product of a set taken over time.",
    )
    quantity = fields.Integer(string="Sessions", required=True, default=1)

    _quantity_positive = models.Constraint(
        "CHECK (quantity > 0)", "A package line holds at least one session."
    )
