from odoo import fields, models

from .beauty_skin_concern import SEVERITIES


class BeautySkinConcernProgress(models.Model):
    _name = "beauty.skin.concern.progress"
    _inherit = ["beauty.access.logged.mixin"]
    _description = "Skin concern progress"
    _order = "date desc, id desc"

    concern_id = fields.Many2one(
        "beauty.skin.concern", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(related="concern_id.partner_id", store=True, string="Customer")
    company_id = fields.Many2one(related="concern_id.company_id", store=True, string="Store")
    date = fields.Date(required=True, default=fields.Date.context_today)
    severity = fields.Selection(SEVERITIES, required=True)
    note = fields.Char()
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user)
