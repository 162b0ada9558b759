from odoo import fields, models

from .beauty_encrypted_fields import EncryptedText
from .beauty_health_profile import CLINICIAN


class BeautyPastTreatment(models.Model):
    _name = "beauty.past.treatment"
    _inherit = ["beauty.sensitive.mixin", "beauty.encrypted.mixin"]
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
    result = EncryptedText(groups=CLINICIAN)
