from odoo import api, fields, models

from .beauty_encrypted_fields import EncryptedText

CLINICIAN = "beauty_customer_profile.beauty_customer_profile_group_clinician"
THERAPIST = "beauty_customer_profile.beauty_customer_profile_group_therapist"
SYSTEM = "base.group_system"


class BeautyHealthProfile(models.Model):
    """A customer's health data (one per customer).

    Therapists read the contraindications; the medical history fields carry the clinician
    group, so every path (read, search, group by, export) refuses them to other roles. Free
    text is encrypted at rest (see beauty.encrypted.mixin).
    """

    _name = "beauty.health.profile"
    _inherit = ["beauty.sensitive.mixin", "beauty.encrypted.mixin"]
    _description = "Health profile"
    _beauty_consent_purpose = "health"
    _rec_name = "partner_id"

    contraindication_ids = fields.Many2many(
        "beauty.contraindication", string="Contraindications", groups=THERAPIST
    )
    contraindication_notes = EncryptedText("Contraindication notes", groups=THERAPIST)
    chronic_conditions = EncryptedText("Chronic conditions", groups=CLINICIAN)
    medication = EncryptedText("Current medication", groups=CLINICIAN)
    pregnancy_status = fields.Selection(
        [
            ("no", "Not pregnant"),
            ("planning", "Planning a pregnancy"),
            ("pregnant", "Pregnant"),
            ("breastfeeding", "Breastfeeding"),
        ],
        string="Pregnancy / breastfeeding",
        groups=CLINICIAN,
    )
    menstrual_notes = EncryptedText("Menstrual notes", groups=CLINICIAN)
    implants_fillers = EncryptedText("Implants and fillers", groups=CLINICIAN)
    has_alert = fields.Boolean(compute="_compute_has_alert", store=True)

    _partner_unique = models.Constraint(
        "UNIQUE(partner_id)", "A customer has only one health profile."
    )

    @api.depends("contraindication_ids", "pregnancy_status", "implants_fillers")
    def _compute_has_alert(self):
        for profile in self:
            profile.has_alert = bool(
                profile.contraindication_ids
                or profile.pregnancy_status in ("pregnant", "breastfeeding")
                or profile.implants_fillers
            )
