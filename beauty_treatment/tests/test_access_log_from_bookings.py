"""Sensitive records reached from a booking (an export path through its customer) are logged
as exported by whoever exports the booking."""

from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.beauty_customer_profile.models.beauty_access_log import LOGGED_KEY

from .common import MONDAY, TreatmentCase


@tagged("post_install", "-at_install")
class TestAccessLogFromBookings(TreatmentCase):
    def test_export_path_from_a_booking_is_logged(self):
        allergy = self._sensitive_records(self.customer)["beauty.allergy"]
        booking = self._book(MONDAY + timedelta(hours=10))
        self.env.cr.cache.pop(LOGGED_KEY, None)
        therapist = self.users["therapist"]
        data = booking.with_user(therapist).export_data(
            ["name", "partner_id/beauty_allergy_ids/severity"]
        )["datas"]
        self.assertEqual(data[0][1], "Severe")
        lines = self.env["beauty.access.log"].search(
            [("user_id", "=", therapist.id), ("model", "=", "beauty.allergy")]
        )
        self.assertEqual(lines.mapped("operation"), ["export"])
        self.assertEqual(lines.res_id, allergy.id)
