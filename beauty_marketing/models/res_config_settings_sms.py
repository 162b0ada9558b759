from odoo import fields, models

SYSTEM = "base.group_system"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    beauty_sms_provider = fields.Selection(related="company_id.beauty_sms_provider", readonly=False)
    beauty_sms_url = fields.Char(related="company_id.beauty_sms_url", readonly=False, groups=SYSTEM)
    beauty_sms_api_key = fields.Char(
        related="company_id.beauty_sms_api_key", readonly=False, groups=SYSTEM
    )
    beauty_sms_api_secret = fields.Char(
        related="company_id.beauty_sms_api_secret", readonly=False, groups=SYSTEM
    )
    beauty_sms_sender = fields.Char(
        related="company_id.beauty_sms_sender", readonly=False, groups=SYSTEM
    )
    beauty_sms_template_code = fields.Char(
        related="company_id.beauty_sms_template_code", readonly=False, groups=SYSTEM
    )
    beauty_local_outbox = fields.Boolean(
        string="Keep messages on this machine",
        config_parameter="beauty_marketing.local_outbox",
        groups=SYSTEM,
        help="No SMS or e-mail leaves the server: they are recorded as sent and stay in the "
        "SMS and e-mail lists. For demo and training databases.",
    )
