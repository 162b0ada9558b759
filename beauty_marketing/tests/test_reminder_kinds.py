from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import TODAY, ReminderCase


@tagged("post_install", "-at_install")
class TestReminderKinds(ReminderCase):
    def test_birthday(self):
        rule = self._rule("birthday")
        today = self._client("生日今天", beauty_birthday=TODAY.replace(year=1990))
        tomorrow = self._client(
            "生日明天", beauty_birthday=(TODAY + timedelta(1)).replace(year=1991)
        )
        self._run()
        sms = self._sms(today | tomorrow)
        self.assertEqual(sms.partner_id, today)
        self.assertEqual(sms.state, "outgoing")
        self.assertIn("生日今天", sms.body)
        log = self._logs(rule)
        self.assertRecordValues(
            log,
            [
                {
                    "partner_id": today.id,
                    "res_model": "res.partner",
                    "res_id": today.id,
                    "due_date": TODAY,
                    "channel": "sms",
                    "state": "sent",
                }
            ],
        )
        # The next hourly run finds it logged and sends nothing more.
        self._run()
        self.assertEqual(len(self._sms(today | tomorrow)), 1)
        self.assertEqual(len(self._logs(rule)), 1)

    def test_birthday_days_before(self):
        rule = self._rule("birthday", offset_days=1)
        tomorrow = self._client(
            "生日明天", beauty_birthday=(TODAY + timedelta(1)).replace(year=1991)
        )
        self._run()
        self.assertEqual(self._logs(rule).due_date, TODAY + timedelta(1))
        self.assertEqual(self._sms(tomorrow).partner_id, tomorrow)

    def test_birthday_on_leap_day(self):
        rule = self._rule("birthday")
        leap = self._client("闰日", beauty_birthday=date(1992, 2, 29))
        with freeze_time("2027-02-28 04:00:00"):
            self._run()
        self.assertEqual(self._sms(leap).partner_id, leap)
        self.assertEqual(self._logs(rule).due_date, date(2027, 2, 28))

    def test_dormant_recall(self):
        rule = self._rule("dormant", channel="email", days=90)
        asleep = self._client("沉睡", beauty_last_visit_date=TODAY - timedelta(days=120))
        awake = self._client("常客", beauty_last_visit_date=TODAY - timedelta(days=20))
        self._run()
        mails = self.env["mail.mail"].search([("recipient_ids", "in", (asleep | awake).ids)])
        self.assertEqual(mails.recipient_ids, asleep)
        self.assertEqual(mails.state, "outgoing")
        self.assertEqual(self._logs(rule).due_date, TODAY - timedelta(days=30))
        # A later visit starts a new episode: she is recalled again when it goes dormant.
        self._run()
        self.assertEqual(len(self._logs(rule)), 1)

    def test_care_cycle_due(self):
        template = self.env.ref("beauty_marketing.sms_template_care_due")
        rule = self._rule("care_due", offset_days=3, sms_template_id=template.id)
        soon = self._client("快到期")
        later = self._client("还早")
        Due = self.env["beauty.care.due"]
        due = Due.create(
            {
                "partner_id": soon.id,
                "treatment_id": self.facial.id,
                "date_last": TODAY - timedelta(12),
                "date_due": TODAY + timedelta(2),
            }
        )
        Due.create(
            {
                "partner_id": later.id,
                "treatment_id": self.facial.id,
                "date_last": TODAY - timedelta(5),
                "date_due": TODAY + timedelta(9),
            }
        )
        self._run()
        self.assertEqual(self._sms(soon | later).partner_id, soon)
        self.assertIn(self.facial.name, self._sms(soon).body)
        self.assertRecordValues(
            self._logs(rule),
            [{"res_model": "beauty.care.due", "res_id": due.id, "due_date": due.date_due}],
        )

    def test_booking_confirmation(self):
        template = self.env.ref("beauty_marketing.sms_template_booking")
        rule = self._rule(
            "booking", offset_days=1, require_consent=False, sms_template_id=template.id
        )
        # She gave no marketing consent: a booking confirmation is a service message.
        guest = self._client("预约", consents=("personal",))
        tomorrow = self._book(datetime(2026, 3, 11, 9, 0), partner=guest)
        self._book(datetime(2026, 3, 13, 9, 0), partner=guest)
        self._run()
        self.assertEqual(len(self._sms(guest)), 1)
        self.assertRecordValues(
            self._logs(rule),
            [
                {
                    "res_model": "beauty.booking",
                    "res_id": tomorrow.id,
                    "due_date": TODAY + timedelta(1),
                }
            ],
        )

    def test_archive_review_task(self):
        rule = self._rule("review", channel="activity", days=180, require_consent=False)
        old = self._client("旧档案", beauty_last_review_date=TODAY - timedelta(days=200))
        fresh = self._client("新档案", beauty_last_review_date=TODAY - timedelta(days=10))
        self._run()
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", (old | fresh).ids)]
        )
        self.assertEqual(activities.res_id, old.id)
        self.assertEqual(activities.summary, rule.name)
        self.assertEqual(self._logs(rule).channel, "activity")
