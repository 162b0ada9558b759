from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    beauty_review_interval_months = fields.Integer(
        string="Archive review every (months)",
        config_parameter="beauty_customer_profile.review_interval_months",
        default=6,
    )

    @api.constrains("beauty_review_interval_months")
    def _check_beauty_review_interval_months(self):
        for settings in self:
            if not 3 <= settings.beauty_review_interval_months <= 6:
                raise ValidationError(
                    self.env._("Archive reviews are scheduled every 3 to 6 months.")
                )
