from odoo import api, fields, models


class BeautyMemberTier(models.Model):
    _name = "beauty.member.tier"
    _description = "Member tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Lower comes first: the highest tier first.")
    color = fields.Integer()
    min_spend = fields.Float(string="Rolling 12-month spend from")
    min_visits = fields.Integer(string="Visits in 12 months from")
    min_points = fields.Float(string="Points balance from")
    points_multiplier = fields.Float(default=1.0)
    birthday_multiplier = fields.Float(
        string="Birthday month multiplier",
        default=1.0,
        help="Extra factor on the points a member earns in her birthday month.",
    )
    discount = fields.Float(string="Discount (%)")
    pricelist_id = fields.Many2one(
        "product.pricelist",
        help="Given to every member of this tier: the POS and sales price with it.",
    )
    grace_days = fields.Integer(
        string="Grace period (days)",
        default=30,
        help="A member who no longer qualifies keeps this tier for so many days before the "
        "monthly review moves her down.",
    )
    active = fields.Boolean(default=True)
    member_count = fields.Integer(compute="_compute_member_count")

    _thresholds_positive = models.Constraint(
        "CHECK(min_spend >= 0 AND min_visits >= 0 AND min_points >= 0)",
        "Tier thresholds cannot be negative.",
    )
    _multiplier_positive = models.Constraint(
        "CHECK(points_multiplier >= 0 AND birthday_multiplier >= 0)",
        "A points multiplier cannot be negative.",
    )
    _discount_range = models.Constraint(
        "CHECK(discount >= 0 AND discount <= 100)", "A discount is between 0 and 100%."
    )
    _grace_positive = models.Constraint(
        "CHECK(grace_days >= 0)", "The grace period cannot be negative."
    )

    def _compute_member_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("beauty_tier_id", "in", self.ids)], ["beauty_tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.member_count = counts.get(tier, 0)

    @api.model
    def _ranked(self):
        """All active tiers, the highest first."""
        return self.search([], order="sequence, id")

    def _qualifies(self, spend, visits, points):
        """A tier is reached when any of its thresholds is; a tier without threshold is the
        entry tier every customer reaches."""
        self.ensure_one()
        thresholds = [
            (self.min_spend, spend),
            (self.min_visits, visits),
            (self.min_points, points),
        ]
        set_thresholds = [(limit, value) for limit, value in thresholds if limit]
        return not set_thresholds or any(value >= limit for limit, value in set_thresholds)
