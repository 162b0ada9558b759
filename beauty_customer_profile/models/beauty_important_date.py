from odoo import fields, models


class BeautyImportantDate(models.Model):
    _name = "beauty.important.date"
    _description = "Customer's important date"
    _order = "date"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        "res.company", string="Store", related="partner_id.company_id", store=True, index=True
    )
    kind = fields.Selection(
        [
            ("anniversary", "Wedding anniversary"),
            ("family_birthday", "Family member's birthday"),
            ("first_visit", "First visit"),
            ("other", "Other"),
        ],
        required=True,
        default="anniversary",
    )
    name = fields.Char(string="Description")
    date = fields.Date(required=True)
    yearly = fields.Boolean(string="Every year", default=True)
