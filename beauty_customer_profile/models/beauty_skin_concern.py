from odoo import api, fields, models

CONCERN_TYPES = [
    ("spots", "Spots / pigmentation"),
    ("acne", "Acne"),
    ("sensitivity", "Sensitivity"),
    ("wrinkles", "Wrinkles"),
    ("sagging", "Sagging"),
    ("dehydration", "Dehydration"),
    ("dullness", "Dullness"),
]
SEVERITIES = [
    ("1", "Very mild"),
    ("2", "Mild"),
    ("3", "Moderate"),
    ("4", "Marked"),
    ("5", "Severe"),
]


class BeautySkinConcern(models.Model):
    """A skin concern followed over time; every change of severity is logged as progress."""

    _name = "beauty.skin.concern"
    _inherit = ["beauty.sensitive.mixin"]
    _description = "Skin concern"
    _beauty_consent_purpose = "personal"
    _order = "concern_type"

    concern_type = fields.Selection(CONCERN_TYPES, string="Concern", required=True, index=True)
    date_first_noticed = fields.Date(string="First noticed")
    severity = fields.Selection(SEVERITIES, required=True, default="3")
    progress_ids = fields.One2many("beauty.skin.concern.progress", "concern_id")
    resolved = fields.Boolean()

    _partner_concern_unique = models.Constraint(
        "UNIQUE(partner_id, concern_type)", "This concern is already followed for the customer."
    )

    @api.model_create_multi
    def create(self, vals_list):
        concerns = super().create(vals_list)
        concerns._log_progress()
        return concerns

    def write(self, vals):
        before = {concern.id: concern.severity for concern in self}
        result = super().write(vals)
        if "severity" in vals:
            self.filtered(lambda c: before[c.id] != c.severity)._log_progress()
        return result

    def _log_progress(self, note=False):
        self.env["beauty.skin.concern.progress"].create(
            [
                {"concern_id": concern.id, "severity": concern.severity, "note": note}
                for concern in self
            ]
        )
