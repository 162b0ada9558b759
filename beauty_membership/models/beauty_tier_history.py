from odoo import fields, models


class BeautyTierHistory(models.Model):
    _name = "beauty.tier.history"
    _description = "Member tier change"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company",
        string="Store",
        related="partner_id.company_id",
        store=True,
        index=True,
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    old_tier_id = fields.Many2one("beauty.member.tier", string="From tier", readonly=True)
    new_tier_id = fields.Many2one("beauty.member.tier", string="To tier", readonly=True)
    reason = fields.Selection(
        [("upgrade", "Upgrade"), ("downgrade", "Downgrade"), ("manual", "Manual change")],
        required=True,
        readonly=True,
    )
    note = fields.Char(readonly=True)
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user, readonly=True
    )
