from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import TreatmentCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01 09:00:00")
class TestBookingConflict(TreatmentCase):
    def test_end_follows_the_treatments(self):
        booking = self._book(
            datetime(2026, 3, 2, 10, 0), treatments=self.facial | self.peel, room=self.room_1
        )
        self.assertEqual(booking.duration, 1.5)
        self.assertEqual(booking.stop, datetime(2026, 3, 2, 11, 30))
        self.assertEqual(booking.state, "booked")
        self.assertTrue(booking.name.startswith("BK"))

    def test_same_therapist_refused(self):
        first = self._book(datetime(2026, 3, 2, 10, 0), room=self.room_1)
        with self.assertRaises(ValidationError) as caught:
            self._book(datetime(2026, 3, 2, 10, 30), room=self.room_2)
        message = str(caught.exception)
        self.assertIn(self.therapist_a.name, message)
        self.assertIn(first.name, message)

    def test_same_room_refused(self):
        first = self._book(datetime(2026, 3, 2, 10, 0), room=self.room_1)
        with self.assertRaises(ValidationError) as caught:
            self._book(datetime(2026, 3, 2, 9, 30), therapist=self.therapist_b, room=self.room_1)
        self.assertIn(self.room_1.name, str(caught.exception))
        self.assertIn(first.name, str(caught.exception))

    def test_two_overlapping_in_one_batch_refused(self):
        with self.assertRaises(ValidationError):
            self.env["beauty.booking"].create(
                [
                    self._booking_vals(datetime(2026, 3, 2, 10, 0)),
                    self._booking_vals(datetime(2026, 3, 2, 10, 15)),
                ]
            )

    def test_adjacent_slots_allowed(self):
        self._book(datetime(2026, 3, 2, 10, 0), room=self.room_1)
        after = self._book(datetime(2026, 3, 2, 11, 0), room=self.room_1)
        before = self._book(datetime(2026, 3, 2, 9, 0), room=self.room_1)
        self.assertEqual(len(after | before), 2)

    def test_cancelled_and_no_show_free_the_slot(self):
        first = self._book(datetime(2026, 3, 2, 10, 0))
        first.action_cancel()
        second = self._book(datetime(2026, 3, 2, 10, 0))
        second.action_no_show()
        third = self._book(datetime(2026, 3, 2, 10, 0))
        self.assertEqual(third.state, "booked")
        # Booking the cancelled one again would now double-book the therapist.
        with self.assertRaises(ValidationError):
            first.action_reset()

    def test_outside_working_hours_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self._book(datetime(2026, 3, 2, 19, 30))
        self.assertIn(self.therapist_a.name, str(caught.exception))
        with self.assertRaises(ValidationError):
            self._book(datetime(2026, 3, 2, 7, 0))
        # Ending exactly at closing time is fine.
        self.assertTrue(self._book(datetime(2026, 3, 2, 19, 0)))

    def test_room_working_hours(self):
        self.room_1.calendar_id = self._calendar("Room open in the morning", 8.0, 12.0)
        with self.assertRaises(ValidationError) as caught:
            self._book(datetime(2026, 3, 2, 14, 0), room=self.room_1)
        self.assertIn(self.room_1.name, str(caught.exception))

    def test_reschedule(self):
        first = self._book(datetime(2026, 3, 2, 10, 0), room=self.room_1)
        second = self._book(datetime(2026, 3, 2, 12, 0), room=self.room_1)
        second.start = datetime(2026, 3, 2, 14, 0)
        self.assertEqual(second.stop, datetime(2026, 3, 2, 15, 0))
        with self.assertRaises(ValidationError) as caught:
            second.write({"start": datetime(2026, 3, 2, 10, 30)})
        self.assertIn(first.name, str(caught.exception))
        self.assertEqual(second.start, datetime(2026, 3, 2, 14, 0))
        first.action_cancel()
        with self.assertRaises(UserError):
            first.start = datetime(2026, 3, 2, 16, 0)

    def test_resize_then_move_keeps_the_length(self):
        booking = self._book(datetime(2026, 3, 2, 10, 0))
        booking.stop = datetime(2026, 3, 2, 11, 30)
        self.assertEqual(booking.duration, 1.5)
        booking.start = datetime(2026, 3, 2, 14, 0)
        self.assertEqual(booking.stop, datetime(2026, 3, 2, 15, 30))
        # Moved by dragging: start and end change together.
        booking.write({"start": datetime(2026, 3, 2, 9, 0), "stop": datetime(2026, 3, 2, 10, 30)})
        self.assertEqual(booking.duration, 1.5)

    def test_front_desk_books_and_confirms(self):
        front_desk = self.users["front_desk"]
        booking = self._book(datetime(2026, 3, 2, 10, 0), user=front_desk, room=self.room_1)
        booking.action_confirm()
        booking.action_arrive()
        self.assertEqual(booking.state, "arrived")
        with self.assertRaises(ValidationError):
            self._book(
                datetime(2026, 3, 2, 10, 0),
                user=front_desk,
                therapist=self.therapist_b,
                room=self.room_1,
            )

    def test_no_show_counted_on_customer(self):
        self._book(datetime(2026, 3, 2, 10, 0)).action_no_show()
        self._book(datetime(2026, 3, 3, 10, 0)).action_no_show()
        self._book(datetime(2026, 3, 4, 10, 0)).action_cancel()
        self.assertEqual(self.customer.beauty_no_show_count, 2)

    def test_state_machine(self):
        booking = self._book(datetime(2026, 3, 2, 10, 0))
        with self.assertRaises(UserError):
            booking.action_reset()
        booking.action_no_show()
        with self.assertRaises(UserError):
            booking.action_arrive()
