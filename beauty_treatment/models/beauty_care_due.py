from odoo import fields, models


class BeautyCareDue(models.Model):
    """When a customer's next session of a treatment is due, from its care cycle."""

    _name = "beauty.care.due"
    _description = "Next session due"
    _order = "date_due, id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="partner_id.company_id", store=True, string="Store")
    treatment_id = fields.Many2one("product.product", required=True, ondelete="cascade")
    date_last = fields.Date(string="Last session", required=True)
    date_due = fields.Date(string="Next session due", required=True, index=True)

    _partner_treatment_unique = models.Constraint(
        "UNIQUE(partner_id, treatment_id)", "A treatment is due only once per customer."
    )
