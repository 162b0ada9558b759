from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models.loyalty_card import MANAGER


class BeautyWalletRefund(models.TransientModel):
    _name = "beauty.wallet.refund"
    _description = "Refund stored value"

    card_id = fields.Many2one(
        "loyalty.card",
        required=True,
        domain=[("beauty_program_type", "=", "ewallet")],
    )
    partner_id = fields.Many2one(related="card_id.partner_id", string="Customer")
    principal = fields.Float(related="card_id.beauty_principal", string="Principal balance")
    bonus = fields.Float(related="card_id.beauty_bonus", string="Bonus balance")
    amount = fields.Float(string="Principal to pay back", required=True)
    note = fields.Char(string="Reason", required=True)

    @api.onchange("card_id")
    def _onchange_card_id(self):
        self.amount = self.card_id.beauty_principal

    def action_confirm(self):
        self.ensure_one()
        self.card_id.check_access("read")
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a manager can refund stored value."))
        self.card_id.sudo()._beauty_refund_principal(self.amount, self.note)
        return {"type": "ir.actions.act_window_close"}
