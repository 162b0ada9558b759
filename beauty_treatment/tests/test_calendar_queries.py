from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import TreatmentCase

CALENDAR_SPEC = {
    "display_name": {},
    "start": {},
    "stop": {},
    "duration": {},
    "state": {},
    "partner_id": {"fields": {"display_name": {}}},
    "therapist_id": {"fields": {"display_name": {}}},
    "room_id": {"fields": {"display_name": {}}},
    "treatment_ids": {"fields": {"display_name": {}}},
}


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01 09:00:00")
class TestCalendarQueries(TreatmentCase):
    """Loading the booking calendar costs the same number of queries for 4 bookings as for
    1500 (50 therapists, 30 days)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customers = [cls._customer(f"日历客户{index}") for index in range(10)]
        therapists = cls.env["hr.employee"].create(
            [
                {
                    "name": f"Calendar therapist {index:02d}",
                    "beauty_is_therapist": True,
                    "resource_calendar_id": False,
                    "company_id": cls.company.id,
                }
                for index in range(50)
            ]
        )
        treatments = cls.facial | cls.peel

        def bookings(first_day, days, staff):
            return [
                {
                    "partner_id": customers[(day + index) % len(customers)].id,
                    "treatment_ids": [Command.set(treatments[(day + index) % 2].ids)],
                    "therapist_id": therapist.id,
                    "start": first_day + timedelta(days=day, hours=index % 8),
                }
                for day in range(days)
                for index, therapist in enumerate(staff)
            ]

        cls.small_month = datetime(2026, 4, 1)
        cls.large_month = datetime(2026, 6, 1)
        Booking = cls.env["beauty.booking"]
        Booking.create(bookings(cls.small_month + timedelta(hours=9), 2, therapists[:2]))
        Booking.create(bookings(cls.large_month + timedelta(hours=9), 30, therapists))

    def _load(self, month):
        Booking = self.env["beauty.booking"].with_user(self.users["front_desk"])
        domain = [
            ("start", "<", month + timedelta(days=31)),
            ("stop", ">", month),
            ("state", "not in", ["cancelled", "no_show"]),
        ]
        return Booking.web_search_read(domain, CALENDAR_SPEC)

    def _measured_load(self, month):
        self.env.invalidate_all()
        self.env.flush_all()
        before = self.cr.sql_log_count
        with self.assertQueryCount(QUERIES):
            result = self._load(month)
        return result, self.cr.sql_log_count - before

    def test_constant_queries(self):
        # Warm the caches that do not depend on the data (access rules, field metadata).
        self._load(self.small_month)
        small, small_count = self._measured_load(self.small_month)
        large, large_count = self._measured_load(self.large_month)
        # assertQueryCount only fails above the bound: the two counts must also be equal.
        self.assertEqual(small_count, large_count)
        self.assertEqual(small["length"], 4)
        self.assertEqual(large["length"], 1500)
        self.assertEqual(
            {record["therapist_id"]["display_name"] for record in large["records"]},
            {f"Calendar therapist {index:02d}" for index in range(50)},
        )


QUERIES = 9
