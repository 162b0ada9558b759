from odoo import api, fields, models

from .beauty_health_profile import CLINICIAN, SYSTEM


class BeautyPastTreatment(models.Model):
    _name = "beauty.past.treatment"
    _inherit = ["beauty.sensitive.mixin", "beauty.encrypted.mixin"]
    _description = "Past aesthetic or medical-aesthetic treatment"
    _beauty_consent_purpose = "health"
    _beauty_encrypted = {"result": "result_enc"}
    _order = "date desc, id desc"

    name = fields.Char(string="What", required=True)
    kind = fields.Selection(
        [("aesthetic", "Aesthetic"), ("medical_aesthetic", "Medical-aesthetic")],
        required=True,
        default="aesthetic",
    )
    place = fields.Char(string="Where")
    date = fields.Date(string="When")
    result = fields.Text(
        groups=CLINICIAN,
        compute="_compute_beauty_decrypted",
        inverse="_inverse_beauty_encrypted",
        readonly=False,
    )
    result_enc = fields.Text(groups=SYSTEM, copy=False)

    @api.depends("result_enc")
    def _compute_beauty_decrypted(self):
        return super()._compute_beauty_decrypted()
