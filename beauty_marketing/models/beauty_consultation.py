from odoo import api, fields, models


class BeautyConsultation(models.Model):
    """An unconverted consultation (未成交记录): what the customer asked about, why she did
    not buy, and when to follow up."""

    _name = "beauty.consultation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Unconverted consultation"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", string="Store", required=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users", string="Consultant", default=lambda self: self.env.user, tracking=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    product_ids = fields.Many2many("product.product", string="Asked about")
    topic = fields.Char(string="Subject")
    reason = fields.Selection(
        [
            ("price", "Price"),
            ("time", "No time now"),
            ("think", "Wants to think it over"),
            ("compare", "Comparing with other shops"),
            ("fear", "Worried about pain or risk"),
            ("partner", "Has to ask her family"),
            ("other", "Other"),
        ],
        string="Why not bought",
        tracking=True,
    )
    notes = fields.Text()
    date_follow_up = fields.Date(string="Follow up on", tracking=True)
    state = fields.Selection(
        [("open", "To follow up"), ("won", "Converted"), ("lost", "Lost")],
        default="open",
        required=True,
        tracking=True,
    )

    @api.depends("partner_id", "topic")
    def _compute_display_name(self):
        for consultation in self:
            consultation.display_name = " - ".join(
                filter(None, [consultation.partner_id.name, consultation.topic])
            )

    def action_mark_won(self):
        self.write({"state": "won"})

    def action_mark_lost(self):
        self.write({"state": "lost"})
