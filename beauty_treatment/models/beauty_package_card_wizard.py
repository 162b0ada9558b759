from odoo import fields, models


class BeautyPackageCardWizard(models.TransientModel):
    _name = "beauty.package.card.wizard"
    _description = "Extend, transfer or refund a package card"

    card_id = fields.Many2one("beauty.package.card", required=True, ondelete="cascade")
    operation = fields.Selection(
        [("extend", "Extend"), ("transfer", "Transfer"), ("refund", "Refund")], required=True
    )
    new_expiry = fields.Date()
    partner_id = fields.Many2one("res.partner", string="New owner")
    reason = fields.Char()
    currency_id = fields.Many2one(related="card_id.currency_id")
    refund_amount = fields.Monetary(compute="_compute_refund")
    refund_fee = fields.Monetary(compute="_compute_refund")

    def _compute_refund(self):
        for wizard in self:
            wizard.refund_amount, wizard.refund_fee = wizard.card_id._refund_figures()

    def action_confirm(self):
        self.ensure_one()
        if self.operation == "extend":
            self.card_id.action_extend(self.new_expiry, self.reason)
        elif self.operation == "transfer":
            self.card_id.action_transfer(self.partner_id, self.reason)
        else:
            self.card_id.action_refund(self.reason)
        return {"type": "ir.actions.act_window_close"}
