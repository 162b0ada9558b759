from odoo import api, fields, models

CONSENT_PURPOSES = [
    ("personal", "Personal data"),
    ("health", "Sensitive health data"),
    ("photo", "Photos"),
    ("marketing_sms", "Marketing by SMS"),
    ("marketing_email", "Marketing by email"),
    ("marketing_wechat", "Marketing by WeChat"),
    ("marketing_phone", "Marketing by phone call"),
]


class BeautyConsentVersion(models.Model):
    _name = "beauty.consent.version"
    _description = "Consent text version"
    _order = "purpose, date_effective desc, id desc"

    name = fields.Char(string="Version", required=True)
    purpose = fields.Selection(CONSENT_PURPOSES, required=True)
    text = fields.Html(string="Consent text", required=True, translate=True, sanitize=True)
    date_effective = fields.Date(
        string="Effective from", required=True, default=fields.Date.context_today
    )
    validity_months = fields.Integer(
        string="Valid for (months)",
        help="How long a consent given on this text stays valid; 0 means until withdrawn.",
    )
    active = fields.Boolean(default=True)

    _purpose_name_unique = models.Constraint(
        "UNIQUE(purpose, name)", "This version already exists for this purpose."
    )
    _validity_positive = models.Constraint(
        "CHECK(validity_months >= 0)", "The validity cannot be negative."
    )

    @api.depends("purpose", "name")
    def _compute_display_name(self):
        labels = dict(self._fields["purpose"]._description_selection(self.env))
        for version in self:
            version.display_name = f"{labels.get(version.purpose, '')} {version.name or ''}".strip()

    @api.model
    def _current_version(self, purpose):
        return self.search(
            [("purpose", "=", purpose), ("date_effective", "<=", fields.Date.context_today(self))],
            limit=1,
        )
