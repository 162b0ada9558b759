from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.beauty_marketing.models.beauty_reminder_rule import KINDS

from .common import NOW, TODAY, ReminderKindsCase

# Five due reminders in batches of two: the second batch crashes, the third never starts.
DUE = 5
# 20:30 in Shanghai, the last run before the quiet hours (21:00 to 09:00) ...
EVENING = datetime(2026, 3, 10, 12, 30)
# ... and 09:00 the next day, the first run after them.
NEXT_MORNING = datetime(2026, 3, 11, 1, 0)


@tagged("post_install", "-at_install")
class TestReminderCrash(ReminderKindsCase):
    """Every kind of reminder survives a worker killed in the middle of a batch: the crashed
    batch leaves no message and no log line, and the next run sends each due reminder once.
    One test per kind, each making ``DUE`` reminders due and calling the one harness."""

    def _clients(self, prefix, count=DUE, **vals):
        return [self._client(f"{prefix}{i}", **vals) for i in range(count)]

    def test_every_kind_is_covered(self):
        tested = {name.removeprefix("test_") for name in dir(self) if name.startswith("test_")}
        self.assertLessEqual({kind for kind, _label in KINDS}, tested)

    def test_birthday(self):
        rule = self._sms_rule("birthday", "birthday")
        clients = self._birthday_clients(DUE)
        self._assert_crash_then_sent_once(rule, [(c, c) for c in clients])

    def test_dormant(self):
        rule = self._rule("dormant", channel="email", days=90)
        clients = self._clients("沉睡", beauty_last_visit_date=TODAY - timedelta(days=100))
        logs = self._assert_crash_then_sent_once(rule, [(c, c) for c in clients])
        self.assertEqual(set(logs.mapped("due_date")), {TODAY - timedelta(days=10)})

    def test_care_due(self):
        rule = self._sms_rule("care_due", "care_due", offset_days=3)
        dues = self.env["beauty.care.due"].create(
            [
                {
                    "partner_id": client.id,
                    "treatment_id": self.facial.id,
                    "date_last": TODAY - timedelta(12),
                    "date_due": TODAY + timedelta(2),
                }
                for client in self._clients("到期")
            ]
        )
        self._assert_crash_then_sent_once(rule, [(due, due.partner_id) for due in dues])

    def test_booking(self):
        rule = self._sms_rule("booking", "booking", offset_days=1, require_consent=False)
        # Three guests, five bookings tomorrow: one reminder per booking, not per guest.
        guests = self._clients("预约", count=3, consents=("personal",))
        bookings = [
            self._book(datetime(2026, 3, 11, 9 + hour, 0), partner=guests[hour % 3])
            for hour in range(DUE)
        ]
        self._assert_crash_then_sent_once(rule, [(b, b.partner_id) for b in bookings])

    def test_review(self):
        rule = self._rule("review", channel="activity", days=180, require_consent=False)
        clients = self._clients("旧档案", beauty_last_review_date=TODAY - timedelta(days=200))
        self._assert_crash_then_sent_once(rule, [(c, c) for c in clients])
        tasks = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", [c.id for c in clients])]
        )
        self.assertEqual(set(tasks.mapped("summary")), {rule.name})

    def test_follow_up(self):
        rule = self._sms_rule("follow_up", "follow_up", offset_days=1)
        # Yesterday from 09:00 to 13:00 in Shanghai.
        records = [
            self._done_record(client, datetime(2026, 3, 9, 1 + hour, 0))
            for hour, client in enumerate(self._clients("护理"))
        ]
        self._assert_crash_then_sent_once(rule, [(r, r.partner_id) for r in records])

    def test_important_date(self):
        rule = self._sms_rule("important_date", "important_date")
        dates = self.env["beauty.important.date"].create(
            [
                {"partner_id": client.id, "name": "结婚纪念日", "date": date(2015, 3, 10)}
                for client in self._clients("纪念")
            ]
        )
        self._assert_crash_then_sent_once(rule, [(d, d.partner_id) for d in dates])

    def test_archive_anniversary(self):
        rule = self._sms_rule("archive_anniversary", "archive_anniversary")
        clients = self._clients("老顾客", beauty_archive_date=date(2023, 3, 10))
        self._assert_crash_then_sent_once(rule, [(c, c) for c in clients])

    def test_card_expiry(self):
        rule = self._sms_rule("card_expiry", "card_expiry", offset_days=30)
        # One customer holds two expiring cards: each card is reminded of.
        owners = self._clients("快过期", count=DUE - 1)
        cards = [self._card(owner, expiry=TODAY + timedelta(days=20)) for owner in owners]
        cards.append(self._card(owners[0], expiry=TODAY + timedelta(days=25)))
        self._assert_crash_then_sent_once(rule, [(card, card.partner_id) for card in cards])

    def test_card_low(self):
        rule = self._sms_rule("card_low", "card_low", sessions_left=2)
        cards = [self._card(client, remaining=2) for client in self._clients("快用完")]
        self._assert_crash_then_sent_once(rule, [(card, card.partner_id) for card in cards])

    def test_home_product(self):
        cream = self._home_product()
        rule = self._sms_rule("home_product", "home_product", offset_days=3)
        orders = [
            self._buy(client, cream, NOW - timedelta(days=28)) for client in self._clients("面霜")
        ]
        lines = [(order.lines, order.partner_id) for order in orders]
        self._assert_crash_then_sent_once(rule, lines)

    def test_card_expiry_call_task(self):
        """A call task for a reminder whose source is not the customer: one task per card."""
        rule = self._rule("card_expiry", channel="activity", offset_days=30)
        owners = self._clients("打电话", count=DUE - 2)
        cards = [self._card(owner, expiry=TODAY + timedelta(days=10)) for owner in owners]
        cards += [self._card(owners[1], expiry=TODAY + timedelta(days=i)) for i in (3, 4)]
        self._assert_crash_then_sent_once(rule, [(card, card.partner_id) for card in cards])

    def test_birthday_email(self):
        rule = self._rule(
            "birthday",
            channel="email",
            mail_template_id=self.env.ref("beauty_marketing.mail_template_birthday").id,
        )
        clients = self._birthday_clients(DUE, prefix="邮件")
        self._assert_crash_then_sent_once(rule, [(c, c) for c in clients])

    # A crash in the last run before the quiet hours: the next run that may send is the next
    # morning. A reminder sent "from N days before until the day itself" is made up then.
    def _crash_in_the_evening(self, rule, due):
        with freeze_time(EVENING):
            logs = self._assert_crash_then_sent_once(rule, due, rerun_at=NEXT_MORNING)
        self.assertEqual(set(logs.mapped("due_date")), {TODAY + timedelta(days=2)})

    def test_birthday_days_before_made_up_next_morning(self):
        rule = self._sms_rule("birthday", "birthday", offset_days=2)
        clients = self._clients("后天生日", beauty_birthday=date(1990, 3, 12))
        self._crash_in_the_evening(rule, [(c, c) for c in clients])

    def test_important_date_days_before_made_up_next_morning(self):
        rule = self._sms_rule("important_date", "important_date", offset_days=2)
        dates = self.env["beauty.important.date"].create(
            [
                {"partner_id": client.id, "name": "结婚纪念日", "date": date(2015, 3, 12)}
                for client in self._clients("后天纪念")
            ]
        )
        self._crash_in_the_evening(rule, [(d, d.partner_id) for d in dates])

    def test_archive_anniversary_days_before_made_up_next_morning(self):
        rule = self._sms_rule("archive_anniversary", "archive_anniversary", offset_days=2)
        clients = self._clients("后天周年", beauty_archive_date=date(2023, 3, 12))
        self._crash_in_the_evening(rule, [(c, c) for c in clients])

    def test_card_expiry_made_up_next_morning(self):
        rule = self._sms_rule("card_expiry", "card_expiry", offset_days=2)
        cards = [
            self._card(client, expiry=TODAY + timedelta(days=2))
            for client in self._clients("后天过期")
        ]
        self._crash_in_the_evening(rule, [(card, card.partner_id) for card in cards])
