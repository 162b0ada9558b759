from odoo import fields, models

from ..tools import local_outbox


class SmsSms(models.Model):
    _inherit = "sms.sms"

    beauty_company_id = fields.Many2one(
        "res.company",
        string="Sent for store",
        help="The store whose SMS gateway sends this message (reminders).",
    )
    beauty_failure_reason = fields.Char(string="Gateway answer", readonly=True, copy=False)

    def _get_sms_company(self):
        return self.beauty_company_id or super()._get_sms_company()

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        # The SMS queue hands a whole batch to ``_send``, messages of several stores mixed:
        # send each store's messages through its own gateway.
        if self.env.context.get("sms_api"):
            if isinstance(self.env.context["sms_api"], local_outbox.SmsApiLocalOutbox):
                # Kept in the SMS list, where the demo shows what would have been sent.
                unlink_sent = False
            return super()._send(
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        for sms_api, messages in self._split_by_api():
            messages.with_context(sms_api=sms_api)._send(
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        return None

    def _get_send_batch_size(self):
        # The HTTP gateway sends one request after the other, and the queue commits the
        # states only after the whole batch: a worker killed in a long batch would send its
        # messages again on the next run. Small batches keep that window short.
        if (
            self.env["res.company"]
            .sudo()
            .search_count([("beauty_sms_provider", "=", "http")], limit=1)
        ):
            return int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("beauty_marketing.sms_http_batch_size", 20)
            )
        return super()._get_send_batch_size()

    def _split_by_api(self):
        # The gateway is chosen per store: group the messages by their store's gateway.
        if local_outbox.is_on(self.env):
            yield local_outbox.SmsApiLocalOutbox(self.env), self
            return
        via_odoo = self.browse()
        for company, messages in self.grouped(lambda sms: sms._get_sms_company()).items():
            if company.beauty_sms_provider == "http":
                sms_api = company._get_sms_api_class()(self.env)
                sms_api._set_company(company)
                yield sms_api, messages
            else:
                via_odoo |= messages
        if via_odoo:
            yield from super(SmsSms, via_odoo)._split_by_api()

    def _handle_call_result_hook(self, results):
        res = super()._handle_call_result_hook(results)
        reasons = {r["uuid"]: r["failure_reason"] for r in results if r.get("failure_reason")}
        failed = self.filtered(lambda s: s.uuid in reasons)
        # One write per distinct answer, not one per message.
        for reason, messages in failed.grouped(lambda s: reasons[s.uuid]).items():
            messages.beauty_failure_reason = reason
        return res
