from odoo import fields, models


class BeautyCommissionLine(models.Model):
    """What a therapist earned for one service performed."""

    _name = "beauty.commission.line"
    _description = "Therapist commission"
    _order = "date desc, id desc"

    record_id = fields.Many2one(
        "beauty.treatment.record", string="Treatment record", required=True, ondelete="cascade"
    )
    employee_id = fields.Many2one("hr.employee", string="Therapist", required=True, index=True)
    rule_id = fields.Many2one("beauty.commission.rule", ondelete="restrict")
    company_id = fields.Many2one("res.company", string="Store", required=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Datetime(related="record_id.date", store=True)
    treatment_id = fields.Many2one(related="record_id.treatment_id", store=True)
    partner_id = fields.Many2one(related="record_id.partner_id", store=True, string="Customer")
    base_amount = fields.Monetary(string="Service value")
    amount = fields.Monetary(string="Commission")
