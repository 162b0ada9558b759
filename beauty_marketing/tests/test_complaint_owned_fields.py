"""Fields the complaint's own steps own (escalation flags, response and solution dates,
state, compensation) are not written by hand over RPC; the kind, the date received and the
deadlines are a manager's correction. As the front desk, the least-privileged user who
handles complaints."""

from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.beauty_customer_profile.tests.common import BeautyCase

RECEIVED = datetime(2026, 3, 10, 2, 0)


@tagged("post_install", "-at_install")
class TestComplaintOwnedFields(BeautyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("投诉字段")
        cls.complaint = (
            cls.env["beauty.complaint"]
            .with_user(cls.users["front_desk"])
            .create({"name": "Waited an hour", "partner_id": cls.customer.id, "date": RECEIVED})
        )

    def test_front_desk_cannot_write_owned_fields(self):
        mine = self.complaint.with_user(self.users["front_desk"])
        forged = {
            "response_escalated": True,
            "solution_escalated": True,
            "date_responded": RECEIVED,
            "date_solved": RECEIVED,
            "state": "solved",
            "kind": "praise",
            "date": datetime(2026, 11, 30),
            "response_deadline": datetime(2030, 1, 1),
            "solution_deadline": datetime(2030, 1, 1),
        }
        for fname, value in forged.items():
            with self.subTest(field=fname), self.assertRaises(UserError):
                mine.write({fname: value})
        with self.assertRaises(UserError):
            self.env["beauty.complaint"].with_user(self.users["front_desk"]).create(
                {
                    "name": "Back-dated",
                    "partner_id": self.customer.id,
                    "date": RECEIVED,
                    "date_responded": RECEIVED,
                    "response_escalated": True,
                }
            )
        # The buttons still work for her and set what they own.
        mine.action_respond()
        self.assertEqual(self.complaint.state, "responded")
        self.assertTrue(self.complaint.date_responded > RECEIVED)
        mine.resolution = "Apologised, free mask next time."
        mine.action_solve()
        self.assertEqual(self.complaint.state, "solved")

    def test_deadlines_ignore_what_front_desk_sends(self):
        complaint = (
            self.env["beauty.complaint"]
            .with_user(self.users["front_desk"])
            .create(
                {
                    "name": "Pushed deadline",
                    "partner_id": self.customer.id,
                    "date": RECEIVED,
                    "response_deadline": datetime(2030, 1, 1),
                }
            )
        )
        self.assertEqual(complaint.response_deadline, self.complaint.response_deadline)

    def test_manager_corrects_deadlines_and_escalation_still_runs(self):
        self.complaint.with_user(self.users["manager"]).write(
            {"response_deadline": datetime(2026, 3, 10, 4, 0)}
        )
        self.env["beauty.complaint"]._cron_escalate()
        self.assertTrue(self.complaint.response_escalated)
