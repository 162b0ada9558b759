from odoo import fields, models


class ResPartnerCategory(models.Model):
    _inherit = "res.partner.category"

    beauty_segment_key = fields.Char(
        string="Segment",
        readonly=True,
        copy=False,
        help="Set on the tags that the nightly segment computation puts on customers "
        "(lifecycle:<stage> or value:<class>); it adds and removes them by itself.",
    )

    _beauty_segment_key_unique = models.UniqueIndex(
        "(beauty_segment_key) WHERE beauty_segment_key IS NOT NULL",
        "Only one tag per segment.",
    )
