from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    beauty_record_id = fields.Many2one(
        "beauty.treatment.record", string="Treatment record", index="btree_not_null"
    )
    beauty_record_line_id = fields.Many2one("beauty.treatment.record.line")
