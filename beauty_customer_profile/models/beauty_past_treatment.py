from odoo import fields, models


class BeautyPastTreatment(models.Model):
    _name = "beauty.past.treatment"
    _inherit = ["beauty.sensitive.mixin"]
    _description = "Past aesthetic or medical-aesthetic treatment"
    _beauty_consent_purpose = "health"
    _order = "date desc, id desc"

    name = fields.Char(string="What", required=True)
    kind = fields.Selection(
        [("aesthetic", "Aesthetic"), ("medical_aesthetic", "Medical-aesthetic")],
        required=True,
        default="aesthetic",
    )
    place = fields.Char(string="Where")
    date = fields.Date(string="When")
    result = fields.Text()
