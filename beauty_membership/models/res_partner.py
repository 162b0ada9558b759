from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    beauty_tier_id = fields.Many2one("beauty.member.tier", string="Member tier", index=True)
