# Kept apart from the other res.company / res.config.settings extension of this addon on purpose:
# segments and SMS settings are maintained separately.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    beauty_segment_new_days = fields.Integer(
        string="New customer period (days)",
        default=90,
        help="A customer whose first visit (or, without a visit, whose archive) is at most this "
        "many days old is a new customer.",
    )
    beauty_segment_active_days = fields.Integer(
        string="Active within (days)",
        default=90,
        help="A customer whose last visit is at most this many days old is active.",
    )
    beauty_segment_risk_days = fields.Integer(
        string="At risk within (days)",
        default=180,
        help="Beyond the active period and up to this many days since the last visit, the "
        "customer is at risk.",
    )
    beauty_segment_dormant_days = fields.Integer(
        string="Dormant within (days)",
        default=365,
        help="Beyond the at-risk period and up to this many days since the last visit, the "
        "customer is dormant; after that she is lost.",
    )
    beauty_segment_computed_on = fields.Date(
        string="Segments computed on", readonly=True, copy=False
    )

    @api.constrains(
        "beauty_segment_new_days",
        "beauty_segment_active_days",
        "beauty_segment_risk_days",
        "beauty_segment_dormant_days",
    )
    def _check_beauty_segment_days(self):
        for company in self:
            if company.beauty_segment_new_days < 1 or not (
                0
                < company.beauty_segment_active_days
                < company.beauty_segment_risk_days
                < company.beauty_segment_dormant_days
            ):
                raise ValidationError(
                    self.env._(
                        "Segment periods of %s: the new-customer period must be at least one "
                        "day, and the active, at-risk and dormant periods must each be longer "
                        "than the one before.",
                        company.name,
                    )
                )
