from odoo import api, fields, models


class BeautyPackageCardMove(models.Model):
    _name = "beauty.package.card.move"
    _description = "Package card history"
    _order = "date desc, id desc"

    card_line_id = fields.Many2one(
        "beauty.package.card.line", required=True, ondelete="cascade", index=True, readonly=True
    )
    card_id = fields.Many2one(related="card_line_id.card_id", store=True, index=True, string="Card")
    company_id = fields.Many2one(related="card_line_id.company_id", store=True, string="Store")
    product_id = fields.Many2one(related="card_line_id.product_id", string="Treatment or product")
    quantity = fields.Integer(string="Sessions", readonly=True)
    value = fields.Float(
        digits="Product Price",
        readonly=True,
        help="Sessions times the card line's value per session.",
    )
    kind = fields.Selection(
        [
            ("sale", "Sale"),
            ("redeem", "Redeemed"),
            ("refund_pos", "POS refund"),
            ("adjust", "Adjustment"),
            ("transfer", "Transfer"),
            ("refund", "Card refund"),
            ("expire", "Expiry"),
        ],
        required=True,
        readonly=True,
    )
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True, index=True)
    reason = fields.Char(readonly=True)
    pos_order_id = fields.Many2one("pos.order", readonly=True, index="btree_not_null")
    pos_order_line_uuid = fields.Char(readonly=True)
    record_id = fields.Many2one(
        "beauty.treatment.record", string="Treatment record", readonly=True, index="btree_not_null"
    )

    refunded_move_id = fields.Many2one(
        "beauty.package.card.move",
        string="Refund of",
        readonly=True,
        index="btree_not_null",
        help="The redemption whose sessions this POS refund gave back.",
    )
    needs_review = fields.Boolean(
        readonly=True,
        help="The till's order was recorded, but part of it could not be applied (for "
        "example the treatment record could not be finished): a manager checks it.",
    )
    review_note = fields.Char(string="To review", readonly=True)

    _pos_line_unique = models.UniqueIndex(
        "(pos_order_line_uuid, card_line_id) WHERE pos_order_line_uuid IS NOT NULL"
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = self.env["beauty.package.card.line"].browse(
            [vals["card_line_id"] for vals in vals_list]
        )
        for vals, line in zip(vals_list, lines, strict=True):
            line = line.sudo()
            vals.setdefault(
                "value", line.card_id.currency_id.round(vals.get("quantity", 0) * line.unit_value)
            )
        return super().create(vals_list)
