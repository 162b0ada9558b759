from odoo import fields, models
from odoo.exceptions import AccessError

from ..models.res_partner import MANAGER


class BeautyTierOverride(models.TransientModel):
    _name = "beauty.tier.override"
    _description = "Change a member tier by hand"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    current_tier_id = fields.Many2one(related="partner_id.beauty_tier_id", string="Current tier")
    tier_id = fields.Many2one("beauty.member.tier", string="New tier", required=True)
    reason = fields.Char(required=True)

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a manager can change a member tier."))
        self.partner_id._beauty_set_tier(self.tier_id, "manual", self.reason)
        return {"type": "ir.actions.act_window_close"}
