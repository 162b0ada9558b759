from odoo import api, fields, models

CLINICIAN = "beauty_customer_profile.beauty_customer_profile_group_clinician"
THERAPIST = "beauty_customer_profile.beauty_customer_profile_group_therapist"
SYSTEM = "base.group_system"


def _encrypted_text(string, groups):
    return fields.Text(
        string=string,
        groups=groups,
        compute="_compute_beauty_decrypted",
        inverse="_inverse_beauty_encrypted",
        readonly=False,
    )


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
    _beauty_encrypted = {
        "contraindication_notes": "contraindication_notes_enc",
        "chronic_conditions": "chronic_conditions_enc",
        "medication": "medication_enc",
        "menstrual_notes": "menstrual_notes_enc",
        "implants_fillers": "implants_fillers_enc",
    }
    _rec_name = "partner_id"

    contraindication_ids = fields.Many2many(
        "beauty.contraindication", string="Contraindications", groups=THERAPIST
    )
    contraindication_notes = _encrypted_text("Contraindication notes", THERAPIST)
    chronic_conditions = _encrypted_text("Chronic conditions", CLINICIAN)
    medication = _encrypted_text("Current medication", CLINICIAN)
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
    menstrual_notes = _encrypted_text("Menstrual notes", CLINICIAN)
    implants_fillers = _encrypted_text("Implants and fillers", CLINICIAN)
    contraindication_notes_enc = fields.Text(groups=SYSTEM, copy=False)
    chronic_conditions_enc = fields.Text(groups=SYSTEM, copy=False)
    medication_enc = fields.Text(groups=SYSTEM, copy=False)
    menstrual_notes_enc = fields.Text(groups=SYSTEM, copy=False)
    implants_fillers_enc = fields.Text(groups=SYSTEM, copy=False)
    has_alert = fields.Boolean(compute="_compute_has_alert", store=True)

    _partner_unique = models.Constraint(
        "UNIQUE(partner_id)", "A customer has only one health profile."
    )

    @api.depends(
        "contraindication_notes_enc",
        "chronic_conditions_enc",
        "medication_enc",
        "menstrual_notes_enc",
        "implants_fillers_enc",
    )
    def _compute_beauty_decrypted(self):
        return super()._compute_beauty_decrypted()

    @api.depends("contraindication_ids", "pregnancy_status", "implants_fillers_enc")
    def _compute_has_alert(self):
        for profile in self:
            profile.has_alert = bool(
                profile.contraindication_ids
                or profile.pregnancy_status in ("pregnant", "breastfeeding")
                or profile.implants_fillers_enc
            )
