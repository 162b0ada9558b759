from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .common import NOW, TODAY, ReminderCase


@tagged("post_install", "-at_install")
class TestReminderEffect(ReminderCase):
    """Whether a booking or a visit followed a reminder within the rule's days, and the
    reminder effect report built on it."""

    def _booked_on(self, booking, moment):
        """The booking as if made at ``moment`` (the ORM stamps the transaction time)."""
        booking.flush_recordset()
        self.env.cr.execute(
            "UPDATE beauty_booking SET create_date = %s WHERE id = %s", (moment, booking.id)
        )
        booking.invalidate_recordset(["create_date"])

    def test_visit_followed_within_days(self):
        rule = self._rule("birthday", follow_days=7)
        birthday = TODAY.replace(year=1990)
        booked, late, idle = (
            self._client(name, beauty_birthday=birthday) for name in ("预约了", "太晚", "没来")
        )
        self._run()
        self.assertEqual(len(self._logs(rule)), 3)
        # A booking made three days after the reminder counts; one made ten days after
        # does not; a booking made before the reminder does not either.
        for partner, start, created in (
            (booked, datetime(2026, 3, 20, 9, 0), NOW + timedelta(days=3)),
            (late, datetime(2026, 3, 27, 9, 0), NOW + timedelta(days=10)),
            (idle, datetime(2026, 3, 21, 9, 0), NOW - timedelta(days=1)),
        ):
            self._booked_on(self._book(start, partner=partner), created)
        with freeze_time(NOW + timedelta(days=4)):
            self._run()
        followed = {log.partner_id: log.followed for log in self._logs(rule)}
        self.assertEqual(followed, {booked: True, late: False, idle: False})
        with freeze_time(NOW + timedelta(days=12)):
            self._run()
        logs = self._logs(rule)
        self.assertEqual({log.partner_id: log.followed for log in logs}[late], False)
        self.assertTrue(all(logs.mapped("follow_closed")))

        report = self.env["beauty.reminder.effect.report"].with_user(self.users["manager"])
        [(sent, followed_count, rate)] = report._read_group(
            [("rule_id", "=", rule.id)], [], ["sent:sum", "followed:sum", "follow_rate:avg"]
        )
        self.assertEqual((sent, followed_count), (3, 1))
        self.assertAlmostEqual(rate, 100.0 / 3, places=2)

    def test_treatment_counts_as_visit(self):
        rule = self._rule("birthday", follow_days=14)
        client = self._client("来做护理", beauty_birthday=TODAY.replace(year=1985))
        self._run()
        with freeze_time(NOW + timedelta(days=5)):
            record = self.env["beauty.treatment.record"].create(
                {
                    "partner_id": client.id,
                    "treatment_id": self.facial.id,
                    "therapist_id": self.therapist_a.id,
                    "line_ids": [Command.clear()],
                }
            )
            record.action_done()
        with freeze_time(NOW + timedelta(days=6)):
            self._run()
        self.assertTrue(self._logs(rule).followed)

    def test_tracking_is_two_statements(self):
        self._rule("birthday")
        for i in range(3):
            self._client(f"批量{i}", beauty_birthday=TODAY.replace(year=1990))
        self._run()
        Log = self.env["beauty.reminder.log"]
        self.env.flush_all()
        with self.assertQueryCount(2):
            Log._track_visits()
