from odoo import fields, models

MOVE_TYPES = [
    ("topup", "Top-up"),
    ("payment", "Payment"),
    ("earn", "Points earned"),
    ("refund", "Refund of principal"),
    ("forfeit", "Bonus forfeited"),
    ("adjustment", "Balance correction"),
    ("payment_return", "Payment refunded"),
    ("topup_reversal", "Top-up refunded"),
    ("return", "Refund to stored value"),
    ("earn_reversal", "Points taken back"),
    ("transfer", "Customers merged"),
]


class BeautyCardMove(models.Model):
    _name = "beauty.card.move"
    _description = "Stored value and points move"
    _order = "date desc, id desc"

    card_id = fields.Many2one(
        "loyalty.card", required=True, index=True, ondelete="restrict", readonly=True
    )
    partner_id = fields.Many2one(
        related="card_id.partner_id", store=True, index=True, string="Customer"
    )
    # The store where the balance moved (the order's), else the card's or the customer's: the
    # store rules let front desk see her own stores' moves only.
    company_id = fields.Many2one("res.company", string="Store", index=True, readonly=True)
    program_id = fields.Many2one(related="card_id.program_id", store=True, string="Program")
    program_type = fields.Selection(
        related="card_id.beauty_program_type", store=True, string="Program kind"
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True, index=True)
    move_type = fields.Selection(MOVE_TYPES, string="Kind", required=True, readonly=True)
    amount = fields.Float(string="Balance change", readonly=True)
    principal = fields.Float(string="Principal change", readonly=True)
    bonus = fields.Float(string="Bonus change", readonly=True)
    pos_order_id = fields.Many2one(
        "pos.order", string="POS order", index="btree_not_null", readonly=True
    )
    pos_order_line_uuid = fields.Char(string="POS order line", readonly=True, copy=False)
    origin_move_id = fields.Many2one(
        "beauty.card.move",
        string="Reverses",
        index="btree_not_null",
        readonly=True,
        help="The move a refund gives back or takes back, in part or whole.",
    )
    note = fields.Char(readonly=True)
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user, readonly=True
    )

    # A POS order line moves a balance once, however often the order is pushed again.
    _pos_order_line_unique = models.UniqueIndex(
        "(pos_order_line_uuid) WHERE pos_order_line_uuid IS NOT NULL",
        "This POS order line has already moved a balance.",
    )
    _split_adds_up = models.Constraint(
        "CHECK(program_type IS DISTINCT FROM 'ewallet' "
        "OR abs(amount - principal - bonus) < 0.0001)",
        "Principal and bonus must add up to the balance change.",
    )

    def _description_for_history(self):
        self.ensure_one()
        label = dict(self._fields["move_type"]._description_selection(self.env))[self.move_type]
        if self.pos_order_id:
            return self.env._("%(kind)s, %(order)s", kind=label, order=self.pos_order_id.name)
        return label
