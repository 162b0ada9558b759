from odoo import fields, models

from .res_partner_segment import LIFECYCLES


class BeautyLifecycleMove(models.Model):
    """One customer moving from one lifecycle stage to another, written by the nightly
    segment computation (never by hand): the source of the lifecycle movement report."""

    _name = "beauty.lifecycle.move"
    _description = "Customer lifecycle move"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", string="Store", required=True, readonly=True)
    date = fields.Date(required=True, index=True, readonly=True)
    from_state = fields.Selection(LIFECYCLES, string="From", readonly=True)
    to_state = fields.Selection(LIFECYCLES, string="To", required=True, readonly=True)
