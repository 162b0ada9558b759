import hashlib
import hmac
import json
import socket

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.sms.tools.sms_api import SmsApi

from ..tools.sms_http_gateway import SmsApiHttpGateway
from .common import TODAY, ReminderCase
from .sms_stub import StubGateway

SECRET = "s3cret-密钥"


@tagged("post_install", "-at_install")
class TestSmsGateway(ReminderCase):
    """The store's generic HTTP SMS gateway, against a stub server the test starts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stub = StubGateway().start()
        cls.addClassCleanup(cls.stub.stop)
        cls.company.write(
            {
                "beauty_sms_provider": "http",
                "beauty_sms_url": cls.stub.url,
                "beauty_sms_api_key": "key-123",
                "beauty_sms_api_secret": SECRET,
                "beauty_sms_sender": "美丽沙龙",
                "beauty_sms_template_code": "SMS_0001",
            }
        )

    def setUp(self):
        super().setUp()
        self.stub.requests.clear()
        self.stub.status = 200
        self.stub.answer = {"code": "OK", "message_id": "stub-1"}

    def _queue_birthday(self):
        self._rule("birthday")
        client = self._client("短信顾客", beauty_birthday=TODAY.replace(year=1990))
        self._run()
        sms = self._sms(client)
        self.assertEqual(sms.state, "outgoing")
        return client, sms

    def _process(self):
        self.env["sms.sms"].sudo()._process_queue()
        self.env.invalidate_all()

    def test_gateway_is_chosen_per_company(self):
        self.assertIs(self.company._get_sms_api_class(), SmsApiHttpGateway)
        other = self.env["res.company"].create({"name": "Other store"})
        self.assertIs(other._get_sms_api_class(), SmsApi)

    def test_reminder_goes_out_signed(self):
        client, sms = self._queue_birthday()
        self._process()
        self.assertEqual(len(self.stub.requests), 1)
        request = self.stub.requests[0]
        headers, body = request["headers"], request["body"]
        self.assertEqual(request["path"], "/sms/send")
        self.assertEqual(headers["X-Api-Key"], "key-123")
        message = b"\n".join([headers["X-Timestamp"].encode(), headers["X-Nonce"].encode(), body])
        expected = hmac.new(SECRET.encode(), message, hashlib.sha256).hexdigest()
        self.assertTrue(hmac.compare_digest(headers["X-Signature"], expected))
        payload = json.loads(body)
        self.assertEqual(payload["phone"], client.phone_sanitized)
        self.assertEqual(payload["sign_name"], "美丽沙龙")
        self.assertEqual(payload["template_code"], "SMS_0001")
        self.assertIn("短信顾客", payload["template_param"]["content"])
        self.assertEqual(payload["out_id"], sms.uuid)
        self.assertEqual(headers["X-Nonce"], sms.uuid)
        self.assertEqual(sms.state, "pending")
        # Sent messages leave the queue: the next run sends nothing again.
        self._process()
        self.assertEqual(len(self.stub.requests), 1)

    @mute_logger("odoo.addons.sms.models.sms_sms")
    def test_gateway_error_leaves_sms_in_error(self):
        self.stub.status = 400
        self.stub.answer = {"code": "isv.BUSINESS_LIMIT_CONTROL", "message": "触发流控"}
        _client, sms = self._queue_birthday()
        self._process()
        self.assertEqual(len(self.stub.requests), 1)
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms.failure_type, "sms_server")
        self.assertIn("isv.BUSINESS_LIMIT_CONTROL", sms.beauty_failure_reason)
        self.assertIn("触发流控", sms.beauty_failure_reason)
        self._process()
        self.assertEqual(len(self.stub.requests), 1, "a failed SMS is not sent again by itself")

    @mute_logger("odoo.addons.sms.models.sms_sms")
    def test_wrong_number(self):
        self.stub.answer = {"code": "MOBILE_NUMBER_ILLEGAL", "message": "号码格式错误"}
        _client, sms = self._queue_birthday()
        self._process()
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms.failure_type, "sms_number_format")

    @mute_logger(
        "odoo.addons.sms.models.sms_sms", "odoo.addons.beauty_marketing.tools.sms_http_gateway"
    )
    def test_gateway_unreachable(self):
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            port = closed.getsockname()[1]
        self.company.beauty_sms_url = f"http://127.0.0.1:{port}/sms/send"
        _client, sms = self._queue_birthday()
        self._process()
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms.failure_type, "sms_server")
        self.assertTrue(sms.beauty_failure_reason)
        self.assertFalse(self.stub.requests)

    def test_queue_with_messages_of_two_stores(self):
        """One run of the SMS queue sends each store's messages through its own gateway."""
        other = self.env["res.company"].create(
            {
                "name": "Second store",
                "beauty_sms_provider": "http",
                "beauty_sms_url": self.stub.url,
                "beauty_sms_api_key": "key-456",
                "beauty_sms_api_secret": SECRET,
            }
        )
        self.env["sms.sms"].create(
            [
                {
                    "body": f"Hello from {company.name}",
                    "number": "+8613800000001",
                    "state": "outgoing",
                    "beauty_company_id": company.id,
                }
                for company in (self.company, other)
            ]
        )
        self._process()
        keys = {
            json.loads(request["body"])["content"]: request["headers"]["X-Api-Key"]
            for request in self.stub.requests
        }
        self.assertEqual(
            keys,
            {f"Hello from {self.company.name}": "key-123", "Hello from Second store": "key-456"},
        )

    def test_queue_sends_small_batches(self):
        """With an HTTP gateway, one run of the queue sends a small batch and commits it."""
        self.env["ir.config_parameter"].sudo().set_param("beauty_marketing.sms_http_batch_size", 2)
        messages = self.env["sms.sms"].create(
            [
                {
                    "body": f"Message {n}",
                    "number": "+8613800000001",
                    "state": "outgoing",
                    "beauty_company_id": self.company.id,
                }
                for n in range(3)
            ]
        )
        self._process()
        self.assertEqual(len(self.stub.requests), 2)
        self.assertEqual(messages.sorted("id")[2].state, "outgoing")
        self._process()
        self.assertEqual(len(self.stub.requests), 3)
