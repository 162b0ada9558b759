from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    beauty_allow_stock_shortage = fields.Boolean(
        string="Allow consumables below stock",
        help="When set, finishing a treatment record takes its consumables out of stock even "
        "when the stock shows less than needed (the stock goes negative). Otherwise the "
        "record cannot be finished until the stock is corrected.",
    )

    beauty_package_refund_fee = fields.Float(
        string="Card refund fee (%)",
        help="Share of the refundable amount kept as a fee when an unused card is refunded.",
    )

    _beauty_package_refund_fee_range = models.Constraint(
        "CHECK (beauty_package_refund_fee >= 0 AND beauty_package_refund_fee <= 100)",
        "The card refund fee is a percentage between 0 and 100.",
    )
