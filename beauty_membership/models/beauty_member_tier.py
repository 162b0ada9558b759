from odoo import fields, models


class BeautyMemberTier(models.Model):
    _name = "beauty.member.tier"
    _description = "Member tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Lower comes first: the highest tier first.")
    color = fields.Integer()
    min_spend = fields.Float(string="Rolling 12-month spend from")
    min_visits = fields.Integer(string="Visits in 12 months from")
    points_multiplier = fields.Float(default=1.0)
    discount = fields.Float(string="Discount (%)")
    active = fields.Boolean(default=True)
    member_count = fields.Integer(compute="_compute_member_count")

    _thresholds_positive = models.Constraint(
        "CHECK(min_spend >= 0 AND min_visits >= 0)", "Tier thresholds cannot be negative."
    )
    _multiplier_positive = models.Constraint(
        "CHECK(points_multiplier >= 0)", "The points multiplier cannot be negative."
    )
    _discount_range = models.Constraint(
        "CHECK(discount >= 0 AND discount <= 100)", "A discount is between 0 and 100%."
    )

    def _compute_member_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("beauty_tier_id", "in", self.ids)], ["beauty_tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.member_count = counts.get(tier, 0)
