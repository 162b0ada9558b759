from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.beauty_customer_profile.tests.common import BeautyCase

RECEIVED = datetime(2026, 3, 10, 2, 0)


@tagged("post_install", "-at_install")
class TestComplaint(BeautyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("投诉顾客")
        cls.manager = cls.users["manager"]
        cls.company.write(
            {
                "beauty_complaint_response_hours": 24,
                "beauty_complaint_solution_hours": 48,
                "beauty_complaint_manager_id": cls.manager.id,
            }
        )

    def _complaint(self, **vals):
        return (
            self.env["beauty.complaint"]
            .with_user(self.users["front_desk"])
            .create(
                {
                    "name": "Redness after the peel",
                    "partner_id": self.customer.id,
                    "date": RECEIVED,
                    **vals,
                }
            )
        )

    def _escalations(self, complaint):
        return self.env["mail.activity"].search(
            [("res_model", "=", "beauty.complaint"), ("res_id", "=", complaint.id)]
        )

    def test_deadlines_from_settings(self):
        complaint = self._complaint()
        self.assertEqual(complaint.response_deadline, RECEIVED + timedelta(hours=24))
        self.assertEqual(complaint.solution_deadline, RECEIVED + timedelta(hours=48))
        self.company.write(
            {"beauty_complaint_response_hours": 4, "beauty_complaint_solution_hours": 12}
        )
        urgent = self._complaint()
        self.assertEqual(urgent.response_deadline, RECEIVED + timedelta(hours=4))
        self.assertEqual(urgent.solution_deadline, RECEIVED + timedelta(hours=12))
        praise = self._complaint(kind="praise", name="Lovely facial")
        self.assertFalse(praise.response_deadline)

    def test_escalation_when_deadlines_are_missed(self):
        late = self._complaint()
        answered = self._complaint(name="Waited too long")
        Complaint = self.env["beauty.complaint"]
        with freeze_time(RECEIVED + timedelta(hours=23)):
            answered.action_respond()
            Complaint._cron_escalate()
        self.assertFalse(self._escalations(late) | self._escalations(answered))

        with freeze_time(RECEIVED + timedelta(hours=25)):
            self.assertEqual(
                Complaint.search([("is_overdue", "=", True)]) & (late | answered), late
            )
            Complaint._cron_escalate()
            Complaint._cron_escalate()
        task = self._escalations(late)
        self.assertEqual(len(task), 1, "each deadline is escalated once")
        self.assertEqual(task.user_id, self.manager)
        self.assertTrue(late.response_escalated)
        self.assertFalse(self._escalations(answered))

        with freeze_time(RECEIVED + timedelta(hours=49)):
            Complaint._cron_escalate()
        self.assertEqual(len(self._escalations(late)), 2)
        self.assertEqual(len(self._escalations(answered)), 1)
        self.assertTrue(answered.solution_escalated)

    def test_solved_in_time_is_not_escalated(self):
        complaint = self._complaint()
        with self.assertRaises(UserError):
            complaint.action_solve()
        complaint.write({"resolution": "Soothing mask, free", "compensation": "One free facial"})
        with freeze_time(RECEIVED + timedelta(hours=3)):
            complaint.action_solve()
        self.assertEqual(complaint.state, "solved")
        self.assertEqual(complaint.date_responded, RECEIVED + timedelta(hours=3))
        with freeze_time(RECEIVED + timedelta(hours=60)):
            self.env["beauty.complaint"]._cron_escalate()
        self.assertFalse(self._escalations(complaint))
