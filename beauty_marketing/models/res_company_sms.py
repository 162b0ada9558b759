from odoo import fields, models

from ..tools.sms_http_gateway import SmsApiHttpGateway

SYSTEM = "base.group_system"


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    beauty_sms_provider = fields.Selection(
        [("odoo", "Odoo's SMS service"), ("http", "Generic HTTP gateway")],
        string="SMS gateway",
        default="odoo",
        required=True,
    )
    beauty_sms_url = fields.Char(string="Gateway URL", groups=SYSTEM)
    beauty_sms_api_key = fields.Char(string="API key", groups=SYSTEM)
    beauty_sms_api_secret = fields.Char(
        string="API secret", groups=SYSTEM, help="Signs every request with HMAC-SHA256."
    )
    beauty_sms_sender = fields.Char(
        string="Sender signature", groups=SYSTEM, help="The signature (签名) the provider approved."
    )
    beauty_sms_template_code = fields.Char(
        string="Template code",
        groups=SYSTEM,
        help="The provider's template that carries the message text in its parameter “content”.",
    )

    def _get_sms_api_class(self):
        self.ensure_one()
        if self.beauty_sms_provider == "http":
            return SmsApiHttpGateway
        return super()._get_sms_api_class()
