from datetime import timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import NOW, TODAY, ReminderCase


@tagged("post_install", "-at_install")
class TestReminderEngine(ReminderCase):
    def test_crash_mid_batch_then_rerun_sends_once(self):
        rule = self._rule("birthday")
        clients = self._birthday_clients(7)
        self._assert_crash_then_sent_once(rule, [(c, c) for c in clients], size=3)
        self.assertEqual(self._sms(clients).partner_id, clients)

    def test_log_key_is_unique(self):
        rule = self._rule("birthday")
        client = self._birthday_clients(1)
        self._run()
        log = self._logs(rule)
        vals = log.read(["rule_id", "partner_id", "res_model", "res_id", "due_date", "channel"])[0]
        vals.update(rule_id=rule.id, partner_id=client.id, state="sent")
        vals.pop("id")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.Log.create(vals)

    def test_opt_out_and_consent(self):
        rule = self._rule("birthday")
        willing, blocked, unwilling = self._birthday_clients(3)
        self.env["phone.blacklist"].sudo().add(blocked.phone_sanitized)
        self.env["beauty.consent"].search(
            [("partner_id", "=", unwilling.id), ("purpose", "=", "marketing_sms")]
        ).unlink()
        self._run()
        self.assertEqual(self._sms(willing | blocked | unwilling).partner_id, willing)
        reasons = {log.partner_id: log.skip_reason for log in self._logs(rule)}
        self.assertEqual(reasons, {willing: False, blocked: "opt_out", unwilling: "no_consent"})

    def test_email_opt_out(self):
        rule = self._rule("dormant", channel="email", days=90)
        last = TODAY - timedelta(days=100)
        willing = self._client("愿意", beauty_last_visit_date=last)
        blocked = self._client("退订", beauty_last_visit_date=last)
        self.env["mail.blacklist"].sudo()._add(blocked.email)
        self._run()
        mails = self.env["mail.mail"].search([("recipient_ids", "in", (willing | blocked).ids)])
        self.assertEqual(mails.recipient_ids, willing)
        skipped = self._logs(rule).filtered(lambda log: log.state == "skipped")
        self.assertEqual(skipped.partner_id, blocked)
        self.assertEqual(skipped.skip_reason, "opt_out")

    def test_quiet_hours(self):
        rule = self._rule("birthday", quiet_start_hour=21, quiet_end_hour=9)
        client = self._birthday_clients(1)
        # 22:00 and 08:00 in Shanghai: nothing sent, nothing logged.
        for moment in (NOW + timedelta(hours=10), NOW - timedelta(hours=4)):
            with freeze_time(moment):
                self._run()
            self.assertFalse(self._sms(client))
            self.assertFalse(self._logs(rule))
        # 09:00: the window opens and the run sends what was held back.
        with freeze_time(NOW - timedelta(hours=3)):
            self._run()
        self.assertEqual(len(self._sms(client)), 1)
        self.assertEqual(self._logs(rule).state, "sent")

    def test_frequency_cap(self):
        self.company.write({"beauty_reminder_cap_count": 2, "beauty_reminder_cap_days": 7})
        client = self._birthday_clients(1)
        first, second, third = (self._rule("birthday", name=f"Rule {i}") for i in range(3))
        self._run()
        self.assertEqual(len(self._sms(client)), 2)
        logs = self.Log.search([("partner_id", "=", client.id)])
        self.assertEqual(sorted(logs.mapped("state")), ["sent", "sent", "skipped"])
        self.assertEqual(logs.filtered(lambda log: log.state == "skipped").skip_reason, "cap")
        # Staff call tasks are not messages to the customer and are not capped.
        review = self._rule("review", channel="activity", days=1, require_consent=False)
        client.beauty_last_review_date = TODAY - timedelta(days=5)
        self._run()
        self.assertEqual(self._logs(review).state, "sent")
        self.assertTrue(first | second | third)

    def _clients_due(self, size, prefix):
        clients = self._birthday_clients(size, prefix=prefix)
        clients.beauty_last_visit_date = TODAY - timedelta(days=100)
        self.env.flush_all()
        self.env.invalidate_all()
        return clients

    def _count_run(self):
        """Queries of one cron run, counted the way assertQueryCount counts them."""
        self.env.flush_all()
        self.env.cr.flush()
        start = self.cr.sql_log_count
        self._run()
        self.env.flush_all()
        self.env.cr.flush()
        return self.cr.sql_log_count - start

    def _assert_constant_queries(self):
        self._clients_due(2, "warm")
        self._count_run()
        five = self._clients_due(5, "five")
        count = self._count_run()
        fifty = self._clients_due(50, "fifty")
        with self.assertQueryCount(count):
            self._run()
        self.assertEqual(self.Log.search_count([("partner_id", "in", five.ids)]), 5)
        self.assertEqual(self.Log.search_count([("partner_id", "in", fifty.ids)]), 50)

    def test_constant_queries_per_batch_sms(self):
        self._rule("birthday")
        self._assert_constant_queries()

    def test_constant_queries_per_batch_email(self):
        self._rule("dormant", channel="email", days=90)
        self._assert_constant_queries()

    def test_wrong_template_names_the_kind_of_record(self):
        """The message names what the template must be made for as the user knows it."""
        with self.assertRaisesRegex(ValidationError, "made for Treatment record") as caught:
            self._rule("follow_up")  # the birthday template is made for contacts
        self.assertNotIn("beauty.treatment.record", str(caught.exception))
