from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.beauty_treatment.tests.common import TreatmentCase


@tagged("post_install", "-at_install")
class TestComplaintCompensation(TreatmentCase):
    """A complaint traced to a treatment record, its therapist and a product lot, and
    compensated with a free session added to the customer's package card."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.card = cls.env["beauty.package.card"].create(
            {
                "partner_id": cls.customer.id,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": cls.facial.id,
                            "total": 10,
                            "used": 10,
                            "remaining": 0,
                            "unit_value": 300.0,
                        }
                    )
                ],
                "state": "used_up",
            }
        )
        cls.line = cls.card.line_ids

    def _complaint(self, user="front_desk", **vals):
        return (
            self.env["beauty.complaint"]
            .with_user(self.users[user])
            .create(
                {
                    "name": "Itching after the serum",
                    "partner_id": self.customer.id,
                    "therapist_id": self.therapist_a.id,
                    "product_id": self.serum.id,
                    "lot_id": self.serum_lot.id,
                    "compensation_line_id": self.line.id,
                    "compensation_sessions": 1,
                    **vals,
                }
            )
        )

    def test_front_desk_records_lot_but_cannot_give_sessions(self):
        complaint = self._complaint()
        self.assertEqual(complaint.lot_id, self.serum_lot)
        with self.assertRaises(AccessError):
            complaint.action_add_free_sessions()
        self.assertEqual(self.line.remaining, 0)

    def test_manager_adds_a_free_session_once(self):
        complaint = self._complaint().with_user(self.users["manager"])
        complaint.action_add_free_sessions()
        self.assertRecordValues(self.line, [{"remaining": 1, "total": 11, "used": 10}])
        self.assertEqual(self.card.state, "active", "a used-up card opens again")
        move = complaint.compensation_move_id
        self.assertRecordValues(move, [{"kind": "adjust", "quantity": 1, "value": 300.0}])
        self.assertIn(complaint.name, move.reason)
        self.assertIn(self.card.number, complaint.compensation)
        with self.assertRaises(UserError):
            complaint.action_add_free_sessions()
        self.assertEqual(self.line.remaining, 1)
        # The free session is redeemed like any other.
        self.line._redeem(1)
        self.assertEqual(self.card.state, "used_up")

    def test_no_sessions_on_a_closed_card(self):
        self.card.state = "refunded"
        complaint = self._complaint().with_user(self.users["manager"])
        with self.assertRaises(UserError):
            complaint.action_add_free_sessions()
        self.assertEqual(self.line.total, 10)
        with self.assertRaises(UserError):
            self.line._add_sessions(0, "nothing")
        with self.assertRaises(UserError):
            self.line._add_sessions(1, "")

    def test_no_free_sessions_asked(self):
        for sessions in (0, -2):
            complaint = self._complaint(compensation_sessions=sessions)
            with self.assertRaisesRegex(UserError, "at least one"):
                complaint.with_user(self.users["manager"]).action_add_free_sessions()
        self.assertEqual(self.line.total, 10)

    def test_card_of_another_customer_is_refused(self):
        other = self._customer("别人")
        complaint = self._complaint(partner_id=other.id).with_user(self.users["manager"])
        with self.assertRaises(UserError):
            complaint.action_add_free_sessions()

    def test_follow_up_task(self):
        complaint = self._complaint()
        with self.assertRaises(UserError):
            complaint.action_schedule_follow_up()
        complaint.follow_up_date = "2026-04-01"
        complaint.action_schedule_follow_up()
        activity = complaint.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(str(activity.date_deadline), "2026-04-01")
        self.assertEqual(activity.user_id, self.users["front_desk"])
