from odoo import fields, models


class ResourceResource(models.Model):
    _inherit = "resource.resource"

    beauty_kind = fields.Selection(
        [("room", "Treatment room"), ("device", "Device")],
        string="Salon use",
        index="btree_not_null",
        help="Rooms and devices are booked like therapists and never twice at the same time.",
    )
