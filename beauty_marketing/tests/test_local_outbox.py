import smtplib
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.sms.tools.sms_api import SmsApi

from ..tools.sms_http_gateway import SmsApiHttpGateway
from .common import TODAY, ReminderCase


def refuse_network(*args, **kwargs):
    raise AssertionError("a message tried to leave the machine")


@tagged("post_install", "-at_install")
class TestLocalOutbox(ReminderCase):
    """With the local outbox on (the demo), no SMS or e-mail leaves the machine, whatever
    gateway a store has; without it, the configured gateway is used."""

    def setUp(self):
        super().setUp()
        self.startPatcher(patch.object(SmsApi, "_send_sms_batch", refuse_network))
        self.startPatcher(patch.object(SmsApiHttpGateway, "_send_sms_batch", refuse_network))
        self.startPatcher(patch.object(smtplib, "SMTP", refuse_network))
        self.startPatcher(patch.object(smtplib, "SMTP_SSL", refuse_network))

    def _outbox(self, on):
        self.env["ir.config_parameter"].sudo().set_param(
            "beauty_marketing.local_outbox", "True" if on else False
        )

    def _queue_sms(self, company):
        return self.env["sms.sms"].create(
            {
                "body": "您的护理提醒",
                "number": "+8613800000001",
                "state": "outgoing",
                "beauty_company_id": company.id,
            }
        )

    def test_sms_stay_on_the_machine(self):
        self._outbox(True)
        http_store = self.env["res.company"].create(
            {"name": "HTTP store", "beauty_sms_provider": "http", "beauty_sms_url": "http://x"}
        )
        messages = self._queue_sms(self.company) | self._queue_sms(http_store)
        self.env["sms.sms"].sudo()._process_queue()
        self.env.invalidate_all()
        self.assertEqual(messages.exists(), messages, "kept in the SMS list")
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertFalse(messages.filtered("to_delete"))

    def test_reminder_sms_recorded_not_sent(self):
        self._outbox(True)
        self._rule("birthday")
        client = self._client("本地短信", beauty_birthday=TODAY.replace(year=1991))
        self._run()
        sms = self._sms(client)
        self.assertEqual(sms.state, "outgoing")
        self.env["sms.sms"].sudo()._process_queue()
        self.assertEqual(sms.state, "sent")

    def test_without_outbox_the_gateway_is_used(self):
        self._outbox(False)
        sms = self._queue_sms(self.company)
        self.env["sms.sms"].sudo()._process_queue()
        self.assertEqual(sms.state, "error", "the real gateway was called (and refused here)")

    def _send_mail(self):
        mail = self.env["mail.mail"].create(
            {
                "subject": "护理提醒",
                "body_html": "<p>您好</p>",
                "email_to": "customer@example.com",
                "email_from": "salon@example.com",
                "auto_delete": False,
            }
        )
        # Tests never send e-mail; let this one go as far as a real server would.
        with patch.object(type(self.env["ir.mail_server"]), "_disable_send", return_value=False):
            mail.send(raise_exception=False)
        return mail

    def test_mail_stays_on_the_machine(self):
        self._outbox(True)
        mail = self._send_mail()
        self.assertEqual(mail.state, "sent")

    def test_without_outbox_mail_goes_to_smtp(self):
        self._outbox(False)
        mail = self._send_mail()
        self.assertEqual(mail.state, "exception", "an SMTP connection was attempted")
