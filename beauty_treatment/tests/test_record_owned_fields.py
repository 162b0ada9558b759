"""A treatment record's state and booking change only through its own steps: a therapist
writing them over RPC (``readonly`` holds only in the form) would finish a treatment
without taking its consumables or earning its commission, or reopen a finished one."""

from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TreatmentCase


@tagged("post_install", "-at_install")
class TestRecordOwnedFields(TreatmentCase):
    def test_therapist_cannot_write_state_or_booking(self):
        therapist = self.users["therapist"]
        record = (
            self.env["beauty.treatment.record"]
            .with_user(therapist)
            .create(
                {
                    "partner_id": self.customer.id,
                    "treatment_id": self.facial.id,
                    "therapist_id": self.therapist_a.id,
                }
            )
        )
        booking = self._book(datetime(2030, 3, 4, 10, 0), treatments=self.facial)
        for vals in ({"state": "done"}, {"state": "cancelled"}, {"booking_id": booking.id}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                record.write(vals)
        self.assertEqual(record.state, "draft")
        record.action_cancel()
        self.assertEqual(record.state, "cancelled")
        with self.assertRaises(UserError):
            record.write({"state": "draft"})
