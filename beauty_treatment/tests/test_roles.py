from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TreatmentCase

SLOT = datetime(2026, 3, 2, 10, 0)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 08:00:00")
class TestRoles(TreatmentCase):
    """Each role does what it may: the front desk books, the therapist records, the
    clinician overrides the gate, the manager sees commission and reports."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["beauty.commission.rule"].create({"amount_type": "percentage", "amount": 10})
        cls._set_stock(cls.mask, 5)

    def test_front_desk(self):
        front_desk = self.users["front_desk"]
        # She picks therapists without HR rights (through the public employee view).
        found = (
            self.env["hr.employee"]
            .with_user(front_desk)
            .name_search("Anna", domain=[("beauty_is_therapist", "=", True)])
        )
        self.assertEqual([therapist_id for therapist_id, _name in found], self.therapist_a.ids)
        self.therapist_a.user_id = self.users["therapist"]
        mine = (
            self.env["beauty.booking"]
            .with_user(self.users["therapist"])
            .search([("therapist_id.user_id", "=", self.users["therapist"].id)])
        )
        self.assertFalse(mine)
        booking = self._book(SLOT, user=front_desk, room=self.room_1)
        booking.action_confirm()
        booking.write({"start": datetime(2026, 3, 2, 11, 0)})
        booking.action_cancel()
        self.assertEqual(booking.state, "cancelled")
        booking.action_reset()
        booking.action_no_show()
        self.assertEqual(self.customer.with_user(front_desk).beauty_no_show_count, 1)
        with self.assertRaises(AccessError):
            booking.unlink()
        with self.assertRaises(AccessError):
            self.env["beauty.commission.line"].with_user(front_desk).search([])
        with self.assertRaises(AccessError):
            self.facial.product_tmpl_id.with_user(front_desk).write({"beauty_duration": 2.0})
        with self.assertRaises(AccessError):
            booking.read(["record_ids"])
        with self.assertRaises(AccessError):
            self.env["beauty.treatment.report"].with_user(front_desk).search([])
        # "My bookings" of a therapist, who reads employees through the public view too.
        self.therapist_a.user_id = self.users["therapist"]
        mine = (
            self.env["beauty.booking"]
            .with_user(self.users["therapist"])
            .search([("therapist_id.user_id", "=", self.users["therapist"].id)])
        )
        self.assertEqual(mine, booking)

    def test_therapist_records(self):
        therapist = self.users["therapist"]
        booking = self._book(SLOT, user=self.users["front_desk"])
        booking.with_user(therapist).action_start()
        record = booking.with_user(therapist).record_ids
        record.write({"rating": "4", "feedback": "Relaxing", "duration": 0.75})
        record.action_done()
        self.assertEqual(record.state, "done")
        self.assertEqual(booking.state, "done")
        with self.assertRaises(AccessError):
            record.read(["commission_line_ids"])
        with self.assertRaises(AccessError):
            self.facial.product_tmpl_id.with_user(therapist).write(
                {"beauty_consumable_ids": [Command.clear()]}
            )

    def test_clinician_overrides(self):
        pregnant = self._customer("孕期")
        self.env["beauty.health.profile"].create(
            {
                "partner_id": pregnant.id,
                "contraindication_ids": [
                    Command.set(
                        self.env.ref(
                            "beauty_customer_profile.beauty_contraindication_pregnancy"
                        ).ids
                    )
                ],
            }
        )
        booking = (
            self.env["beauty.booking"]
            .with_user(self.users["clinician"])
            .create(
                {
                    **self._booking_vals(SLOT, partner=pregnant, treatments=self.peel),
                    "gate_override_reason": "Post-partum, not breastfeeding.",
                }
            )
        )
        self.assertEqual(booking.gate_state, "overridden")
        with self.assertRaises(AccessError):
            booking.override_ids.write({"reason": "Edited afterwards"})

    def test_manager_sees_commission_and_reports(self):
        manager = self.users["manager"]
        record = (
            self.env["beauty.treatment.record"]
            .with_user(self.users["therapist"])
            .create(
                {
                    "partner_id": self.customer.id,
                    "treatment_id": self.facial.id,
                    "therapist_id": self.therapist_a.id,
                }
            )
        )
        record.action_done()
        lines = (
            self.env["beauty.commission.line"]
            .with_user(manager)
            .search([("record_id", "=", record.id)])
        )
        self.assertEqual(lines.amount, 40.0)
        report = (
            self.env["beauty.treatment.report"]
            .with_user(manager)
            .search([("therapist_id", "=", self.therapist_a.id)])
        )
        self.assertEqual(report.commission, 40.0)
        self.facial.product_tmpl_id.with_user(manager).write({"beauty_duration": 1.25})
        self.assertEqual(self.facial.beauty_duration, 1.25)

    def test_views_load_for_every_role(self):
        views = {
            "beauty.booking": ["calendar", "kanban", "list", "form", "search", "pivot", "graph"],
            "beauty.treatment.record": ["list", "form", "search"],
            "beauty.care.due": ["list", "search"],
        }
        allowed = {
            "beauty.booking": ("front_desk", "therapist", "clinician", "manager"),
            "beauty.treatment.record": ("therapist", "clinician", "manager"),
            "beauty.care.due": ("front_desk", "therapist", "clinician", "manager"),
        }
        for model, view_types in views.items():
            for role in allowed[model]:
                with self.subTest(model=model, role=role):
                    result = (
                        self.env[model]
                        .with_user(self.users[role])
                        .get_views([(False, view_type) for view_type in view_types])
                    )
                    self.assertEqual(set(result["views"]), set(view_types))
        partner_form = (
            self.env["res.partner"]
            .with_user(self.users["front_desk"])
            .get_views([(self.env.ref("beauty_customer_profile.res_partner_view_form").id, "form")])
        )
        self.assertIn("action_beauty_open_bookings", partner_form["views"]["form"]["arch"])
        self.assertNotIn(
            "action_beauty_open_treatment_records", partner_form["views"]["form"]["arch"]
        )
        # The override reason is a clinician's field: it is not even sent to the front desk.
        form = (
            self.env["beauty.booking"]
            .with_user(self.users["front_desk"])
            .get_views([(False, "form")])
        )
        self.assertNotIn("gate_override_reason", form["views"]["form"]["arch"])
        form = (
            self.env["beauty.booking"]
            .with_user(self.users["clinician"])
            .get_views([(False, "form")])
        )
        self.assertIn("gate_override_reason", form["views"]["form"]["arch"])
        reports = self.env["beauty.treatment.report"].with_user(self.users["manager"])
        self.assertTrue(reports.get_views([(False, "pivot"), (False, "graph")])["views"])
        lines = self.env["beauty.commission.line"].with_user(self.users["manager"])
        self.assertTrue(lines.get_views([(False, "list"), (False, "pivot")])["views"])
