"""The local outbox: a switch that keeps every SMS and e-mail on this machine. A demo or a
training database turns it on so that no customer (and no generated phone number) ever
receives a message; the messages stay visible in the SMS and e-mail lists."""

from odoo.addons.sms.tools.sms_api import SmsApiBase

PARAM = "beauty_marketing.local_outbox"


def is_on(env):
    return env["ir.config_parameter"].sudo().get_param(PARAM) in ("1", "True", "true")


class SmsApiLocalOutbox(SmsApiBase):
    """Takes every message as delivered without contacting anything."""

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        return [
            {"uuid": number["uuid"], "state": "delivered"}
            for message in messages
            for number in message["numbers"]
        ]
