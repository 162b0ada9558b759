"""A generic HTTP SMS gateway for Odoo's sms module, for providers (mostly Chinese ones)
that take one JSON request per message with a signature, a sender signature (签名) and a
template code. The request format is described in readme/CONFIGURE.md."""

import hashlib
import hmac
import json
import logging
import time

import requests

from odoo.addons.sms.tools.sms_api import SmsApiBase

_logger = logging.getLogger(__name__)

TIMEOUT = 10
# Provider codes meaning the phone number is wrong; any other error is a server error.
NUMBER_ERRORS = {"INVALID_PHONE", "MOBILE_NUMBER_ILLEGAL", "WRONG_NUMBER"}


def sign(secret, timestamp, nonce, body):
    """Hex HMAC-SHA256 of ``timestamp\\nnonce\\nbody`` with the API secret."""
    message = b"\n".join([str(timestamp).encode(), nonce.encode(), body])
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def build_request(settings, number, content, nonce, timestamp):
    """``(body, headers)`` of the request for one message; ``settings`` holds url,
    api_key, api_secret, sender and template_code."""
    payload = {
        "phone": number,
        "sign_name": settings["sender"] or "",
        "template_code": settings["template_code"] or "",
        "template_param": {"content": content},
        "content": content,
        "out_id": nonce,
    }
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Api-Key": settings["api_key"] or "",
        "X-Timestamp": str(timestamp),
        "X-Nonce": nonce,
        "X-Signature": sign(settings["api_secret"] or "", timestamp, nonce, body),
    }
    return body, headers


def parse_response(status, text):
    """``(state, failure_reason)`` for Odoo's sms module from the gateway's answer."""
    try:
        answer = json.loads(text or "{}")
    except ValueError:
        answer = {}
    if not isinstance(answer, dict):
        answer = {}
    code = str(answer.get("code") or "")
    if status == 200 and code.upper() == "OK":
        return "success", False
    reason = f"HTTP {status} {code}: {answer.get('message') or text or ''}".strip()
    if code.upper() in NUMBER_ERRORS:
        return "wrong_number_format", reason[:250]
    return "server_error", reason[:250]


class SmsApiHttpGateway(SmsApiBase):
    """Sends through the company's generic HTTP gateway, one request per message. The
    SMS uuid goes along as ``out_id`` and nonce so the provider can drop a repeat."""

    def _settings(self):
        company = self.company.sudo()
        return {
            "url": company.beauty_sms_url,
            "api_key": company.beauty_sms_api_key,
            "api_secret": company.beauty_sms_api_secret,
            "sender": company.beauty_sms_sender,
            "template_code": company.beauty_sms_template_code,
        }

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        settings = self._settings()
        results = []
        with requests.Session() as session:
            for message in messages:
                for recipient in message["numbers"]:
                    results.append(self._send_one(session, settings, recipient, message["content"]))
        return results

    def _send_one(self, session, settings, recipient, content):
        uuid = recipient["uuid"]
        if not settings["url"]:
            reason = self.env._("No SMS gateway address is set for this store.")
            return {"uuid": uuid, "state": "server_error", "failure_reason": reason}
        body, headers = build_request(
            settings, recipient["number"], content, uuid, int(time.time())
        )
        try:
            response = session.post(settings["url"], data=body, headers=headers, timeout=TIMEOUT)
        except requests.exceptions.RequestException as error:
            _logger.warning("SMS gateway unreachable for SMS %s: %s", uuid, error)
            reason = self.env._("The SMS gateway could not be reached: %s", error)
            return {"uuid": uuid, "state": "server_error", "failure_reason": reason[:250]}
        state, reason = parse_response(response.status_code, response.text)
        return {"uuid": uuid, "state": state, "failure_reason": reason}
