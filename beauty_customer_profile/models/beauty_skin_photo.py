from odoo import api, fields, models


class BeautySkinPhoto(models.Model):
    """A photo of the customer's skin. Stored as a field attachment, so it follows this
    record's access rules and is never public; it needs the customer's photo consent."""

    _name = "beauty.skin.photo"
    _inherit = ["beauty.sensitive.mixin", "image.mixin"]
    _description = "Skin photo"
    _beauty_consent_purpose = "photo"
    _order = "date desc, id desc"

    assessment_id = fields.Many2one("beauty.skin.assessment", ondelete="cascade", index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    kind = fields.Selection(
        [("before", "Before"), ("after", "After"), ("progress", "Progress")],
        default="progress",
        required=True,
    )
    area = fields.Char(help="Face zone or body area shown.")
    caption = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        assessments = self.env["beauty.skin.assessment"].browse(
            [vals["assessment_id"] for vals in vals_list if vals.get("assessment_id")]
        )
        partner_of = {assessment.id: assessment.partner_id.id for assessment in assessments}
        for vals in vals_list:
            if vals.get("assessment_id") and not vals.get("partner_id"):
                vals["partner_id"] = partner_of[vals["assessment_id"]]
        return super().create(vals_list)
