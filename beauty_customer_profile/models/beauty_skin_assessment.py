from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .beauty_skin_profile import SKIN_TYPES


class BeautySkinAssessment(models.Model):
    _name = "beauty.skin.assessment"
    _inherit = ["beauty.sensitive.mixin"]
    _description = "Skin assessment"
    _beauty_consent_purpose = "personal"
    _order = "date desc, id desc"

    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    assessor_id = fields.Many2one(
        "res.users", string="Assessed by", required=True, default=lambda self: self.env.user
    )
    skin_type = fields.Selection(SKIN_TYPES)
    hydration = fields.Integer(help="Measured or estimated hydration, 0-100.")
    oiliness = fields.Integer(help="Measured or estimated oiliness, 0-100.")
    findings = fields.Text()
    recommendation = fields.Text()
    photo_ids = fields.One2many("beauty.skin.photo", "assessment_id", string="Photos")
    photo_count = fields.Integer(compute="_compute_photo_count")
    cover_photo = fields.Image(related="photo_ids.image_128", string="Photo", readonly=True)

    _hydration_range = models.Constraint(
        "CHECK(hydration BETWEEN 0 AND 100)", "Hydration is measured from 0 to 100."
    )
    _oiliness_range = models.Constraint(
        "CHECK(oiliness BETWEEN 0 AND 100)", "Oiliness is measured from 0 to 100."
    )

    @api.depends("photo_ids")
    def _compute_photo_count(self):
        counts = dict(
            self.env["beauty.skin.photo"]._read_group(
                [("assessment_id", "in", self.ids)], ["assessment_id"], ["__count"]
            )
        )
        for assessment in self:
            assessment.photo_count = counts.get(assessment, 0)

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        if any(assessment.date > today for assessment in self):
            raise ValidationError(self.env._("An assessment cannot be dated in the future."))
