"""Fixtures of the reminder tests: a store in Shanghai time, a clock frozen at noon there,
customers with every marketing consent, and a cron whose commits are left to the test."""

from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.addons.beauty_treatment.tests.common import TreatmentCase

# Tuesday 10 March 2026, 12:00 in Shanghai.
NOW = datetime(2026, 3, 10, 4, 0)
TODAY = date(2026, 3, 10)
MARKETING = ("personal", "marketing_sms", "marketing_email", "marketing_phone")


def no_commit(self, processed=0, *, remaining=None, deactivate=False):
    """``ir.cron._commit_progress`` for TransactionCase: no commit, time never runs out."""
    return float("inf")


class ReminderCase(TreatmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(patch.object(type(cls.env["ir.cron"]), "_commit_progress", no_commit))
        cls.startClassPatcher(freeze_time(NOW))
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.company.beauty_reminder_cap_count = 0
        cls.Rule = cls.env["beauty.reminder.rule"]
        cls.Log = cls.env["beauty.reminder.log"]
        # The shipped rules stay out of the way; each test makes the rules it checks.
        cls.Rule.search([]).active = False
        cls.sms_birthday = cls.env.ref("beauty_marketing.sms_template_birthday")
        cls.mail_dormant = cls.env.ref("beauty_marketing.mail_template_dormant")

    @classmethod
    def _client(cls, name, consents=MARKETING, **vals):
        vals.setdefault("email", f"c{next(cls.phone_seq)}@example.com")
        return cls._customer(name, consents=consents, **vals)

    def _rule(self, kind, channel="sms", **vals):
        template = {
            "sms": {"sms_template_id": self.sms_birthday.id},
            "email": {"mail_template_id": self.mail_dormant.id},
            "activity": {},
        }[channel]
        return self.Rule.create(
            {"name": f"Test {kind}", "kind": kind, "channel": channel, **template, **vals}
        )

    def _run(self):
        self.Rule._cron_send_reminders()

    def _sms(self, partners):
        return self.env["sms.sms"].search([("partner_id", "in", partners.ids)])

    def _logs(self, rule):
        return self.Log.search([("rule_id", "=", rule.id)])
