from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .common import NOW, TODAY, ReminderCase, ReminderKindsCase


@tagged("post_install", "-at_install")
class TestReminderKindsMore(ReminderKindsCase):
    """The reminder kinds beyond birthday, recall, care due and review: follow-up,
    important dates, archive anniversary, card expiring or nearly used up, home product
    running out, and booking confirmations before and on the day."""

    def test_follow_up_24_to_48_hours_after(self):
        rule = self._sms_rule("follow_up", "follow_up", offset_days=1)
        yesterday = self._client("昨天护理")
        today = self._client("今天护理")
        older = self._client("前天护理")
        # Shanghai: yesterday 15:00, today 10:00, two days ago 15:00.
        record = self._done_record(yesterday, datetime(2026, 3, 9, 7, 0))
        self._done_record(today, datetime(2026, 3, 10, 2, 0))
        self._done_record(older, datetime(2026, 3, 8, 7, 0))
        self._run()
        sms = self._sms(yesterday | today | older)
        self.assertEqual(sms.partner_id, yesterday)
        self.assertIn(self.facial.name, sms.body)
        self.assertRecordValues(
            self._logs(rule),
            [{"res_model": "beauty.treatment.record", "res_id": record.id, "due_date": TODAY}],
        )

    def test_important_dates_yearly_and_once(self):
        rule = self._sms_rule("important_date", "important_date")
        wedding = self._client("结婚纪念")
        once = self._client("一次")
        Date = self.env["beauty.important.date"]
        yearly = Date.create(
            {
                "partner_id": wedding.id,
                "kind": "anniversary",
                "name": "结婚纪念日",
                "date": date(2015, 3, 10),
            }
        )
        Date.create(
            {"partner_id": once.id, "kind": "other", "date": date(2025, 3, 10), "yearly": False}
        )
        self._run()
        sms = self._sms(wedding | once)
        self.assertEqual(sms.partner_id, wedding)
        self.assertIn("结婚纪念日", sms.body)
        self.assertRecordValues(
            self._logs(rule),
            [{"res_model": "beauty.important.date", "res_id": yearly.id, "due_date": TODAY}],
        )

    def test_archive_anniversary(self):
        rule = self._sms_rule("archive_anniversary", "archive_anniversary")
        loyal = self._client("老顾客", beauty_archive_date=date(2023, 3, 10))
        new = self._client("新顾客", beauty_archive_date=TODAY)
        self._run()
        self.assertEqual(self._sms(loyal | new).partner_id, loyal)
        self.assertEqual(self._logs(rule).due_date, TODAY)

    def test_card_expiry(self):
        rule = self._sms_rule("card_expiry", "card_expiry", offset_days=30)
        soon = self._client("快过期")
        later = self._client("还早")
        frozen = self._client("冻结")
        card = self._card(soon, expiry=TODAY + timedelta(days=20))
        self._card(later, expiry=TODAY + timedelta(days=60))
        self._card(frozen, expiry=TODAY + timedelta(days=5), state="frozen")
        self._run()
        sms = self._sms(soon | later | frozen)
        self.assertEqual(sms.partner_id, soon)
        self.assertIn(card.number, sms.body)
        self.assertRecordValues(
            self._logs(rule),
            [{"res_model": "beauty.package.card", "res_id": card.id, "due_date": card.expiry_date}],
        )
        self._run()
        self.assertEqual(len(self._sms(soon)), 1)

    def test_card_nearly_used_up_once(self):
        rule = self._sms_rule("card_low", "card_low", sessions_left=2)
        low = self._client("快用完")
        plenty = self._client("还多")
        empty = self._client("用完")
        card = self._card(low, remaining=2)
        self._card(plenty, remaining=6)
        self._card(empty, remaining=0, state="used_up")
        self._run()
        sms = self._sms(low | plenty | empty)
        self.assertEqual(sms.partner_id, low)
        self.assertIn("2", sms.body)
        # One more session used: still low, but she was told once for this card.
        card.line_ids._redeem(1)
        with freeze_time(NOW + timedelta(days=3)):
            self._run()
        self.assertEqual(len(self._sms(low)), 1)
        self.assertEqual(self._logs(rule).res_id, card.id)

    def test_home_product_running_out(self):
        cream = self._home_product()
        rule = self._sms_rule("home_product", "home_product", offset_days=3)
        buyer = self._client("买面霜")
        rebuyer = self._client("又买了")
        for partner in (buyer, rebuyer):
            self._buy(partner, cream, NOW - timedelta(days=28))
        self._buy(rebuyer, cream, NOW - timedelta(days=2))
        self._run()
        sms = self._sms(buyer | rebuyer)
        self.assertEqual(sms.partner_id, buyer)
        self.assertIn("Night cream", sms.body)
        log = self._logs(rule)
        self.assertEqual(log.res_model, "pos.order.line")
        self.assertEqual(log.due_date, TODAY + timedelta(days=2))

    def test_booking_one_to_two_days_before_and_on_the_day(self):
        before = self._sms_rule(
            "booking", "booking", offset_days=2, min_offset_days=1, require_consent=False
        )
        on_day = self._sms_rule(
            "booking",
            "booking_today",
            offset_days=0,
            min_offset_days=0,
            require_consent=False,
            quiet_end_hour=7,
        )
        guest = self._client("预约顾客", consents=("personal",))
        today = self._book(datetime(2026, 3, 10, 9, 0), partner=guest)  # 17:00 Shanghai
        in_two_days = self._book(datetime(2026, 3, 12, 9, 0), partner=guest)
        later = self._book(datetime(2026, 3, 14, 9, 0), partner=guest)
        self._run()
        self.assertEqual(self._logs(before).res_id, in_two_days.id)
        self.assertEqual(self._logs(on_day).res_id, today.id)
        self.assertIn("17:00", self._sms(guest).filtered(lambda s: "today" in s.body).body)
        # The day before, the 2-days rule has already told her: nothing new.
        with freeze_time(NOW + timedelta(days=1)):
            self._run()
        self.assertEqual(len(self._logs(before)), 1)
        # On the day, the on-the-day rule confirms once more.
        with freeze_time(NOW + timedelta(days=2)):
            self._run()
        self.assertEqual(self._logs(on_day).mapped("res_id"), [in_two_days.id, today.id])
        # ... while the booking of the 14th is now two days away.
        self.assertEqual(self._logs(before).mapped("res_id"), [later.id, in_two_days.id])
        self.assertEqual(len(self._sms(guest)), 4)


@tagged("post_install", "-at_install")
class TestReminderKindsQueries(ReminderCase):
    """The new kinds send a batch in a number of queries that does not grow with it."""

    def _count_run(self):
        self.env.flush_all()
        self.env.cr.flush()
        start = self.cr.sql_log_count
        self._run()
        self.env.flush_all()
        self.env.cr.flush()
        return self.cr.sql_log_count - start

    def _assert_constant(self, make):
        make(2, "warm")
        self._count_run()
        five = make(5, "five")
        self.env.invalidate_all()
        count = self._count_run()
        fifty = make(50, "fifty")
        self.env.invalidate_all()
        with self.assertQueryCount(count):
            self._run()
        self.assertEqual(self.Log.search_count([("partner_id", "in", five.ids)]), 5)
        self.assertEqual(self.Log.search_count([("partner_id", "in", fifty.ids)]), 50)

    def test_important_dates(self):
        self._rule(
            "important_date",
            sms_template_id=self.env.ref("beauty_marketing.sms_template_important_date").id,
        )
        day = TODAY.replace(year=2015)

        def make(size, prefix):
            clients = self.env["res.partner"].concat(
                *(self._client(f"{prefix}{i}") for i in range(size))
            )
            self.env["beauty.important.date"].create(
                [{"partner_id": c.id, "date": day, "name": prefix} for c in clients]
            )
            return clients

        self._assert_constant(make)

    def test_cards_nearly_used_up(self):
        self._rule(
            "card_low",
            sessions_left=2,
            sms_template_id=self.env.ref("beauty_marketing.sms_template_card_low").id,
        )

        def make(size, prefix):
            clients = self.env["res.partner"].concat(
                *(self._client(f"{prefix}{i}") for i in range(size))
            )
            self.env["beauty.package.card"].create(
                [
                    {
                        "partner_id": client.id,
                        "line_ids": [
                            Command.create(
                                {
                                    "product_id": self.facial.id,
                                    "total": 10,
                                    "used": 9,
                                    "remaining": 1,
                                }
                            )
                        ],
                    }
                    for client in clients
                ]
            )
            return clients

        self._assert_constant(make)
