from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import TreatmentCase

SLOT = datetime(2026, 3, 2, 10, 0)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestTreatmentRecord(TreatmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_stock(cls.mask, 10)
        cls._set_stock(cls.serum, 5, lot=cls.serum_lot)
        cls.therapist_user = cls.users["therapist"]

    def _qty(self, product, lot=None):
        return self.env["stock.quant"]._get_available_quantity(
            product, self.stock, lot_id=lot, strict=bool(lot)
        )

    def _started(self, treatments=None):
        booking = self._book(SLOT, treatments=treatments or self.peel, room=self.room_1)
        booking.with_user(self.users["front_desk"]).action_arrive()
        booking.with_user(self.therapist_user).action_start()
        return booking, booking.sudo().record_ids.with_user(self.therapist_user)

    def test_record_prefilled_from_catalogue(self):
        _booking, record = self._started(self.facial | self.peel)
        self.assertEqual(len(record), 2)
        peel = record.filtered(lambda r: r.treatment_id == self.peel)
        self.assertEqual(
            sorted((line.product_id.name, line.quantity) for line in peel.line_ids),
            [("Serum ampoule", 2.0), ("Sheet mask", 1.0)],
        )
        self.assertEqual(peel.price, 700.0)
        self.assertEqual(peel.therapist_id, self.therapist_a)

    def test_finish_moves_stock_and_updates_archive(self):
        booking, record = self._started()
        record.line_ids.filtered(lambda ln: ln.product_id == self.serum).lot_id = self.serum_lot
        record.write({"rating": "5", "feedback": "Skin feels great", "skin_reaction": "redness"})
        record.action_done()
        self.assertEqual(record.state, "done")
        self.assertEqual(booking.state, "done")
        self.assertEqual(self._qty(self.mask), 9)
        self.assertEqual(self._qty(self.serum, self.serum_lot), 3)
        moves = record.sudo().move_ids
        self.assertEqual(set(moves.mapped("state")), {"done"})
        self.assertEqual(
            moves.filtered(lambda m: m.product_id == self.serum).move_line_ids.lot_id,
            self.serum_lot,
        )
        self.assertEqual(self.customer.beauty_last_visit_date, date(2026, 3, 2))
        due = self.customer.beauty_care_due_ids
        self.assertEqual(due.treatment_id, self.peel)
        self.assertEqual(due.date_due, date(2026, 3, 30))
        self.assertEqual(self.customer.beauty_next_visit_due, date(2026, 3, 30))
        # A finished record is not rewritten.
        with self.assertRaises(UserError):
            record.duration = 2.0

    def test_lot_required_for_tracked_consumables(self):
        _booking, record = self._started()
        with self.assertRaises(UserError) as caught:
            record.action_done()
        self.assertIn("Serum ampoule", str(caught.exception))
        self.assertEqual(record.state, "draft")

    def test_cancel_returns_stock_and_resets_archive(self):
        _booking, record = self._started()
        record.line_ids.filtered(lambda ln: ln.product_id == self.serum).lot_id = self.serum_lot
        record.action_done()
        record.action_cancel()
        self.assertEqual(record.state, "cancelled")
        self.assertEqual(self._qty(self.mask), 10)
        self.assertEqual(self._qty(self.serum, self.serum_lot), 5)
        returns = record.sudo().move_ids.filtered("origin_returned_move_id")
        self.assertEqual(len(returns), 2)
        self.assertEqual(set(returns.mapped("state")), {"done"})
        self.assertFalse(self.customer.beauty_care_due_ids)
        self.assertFalse(self.customer.beauty_last_visit_date)
        self.assertFalse(self.env["beauty.commission.line"].search([("record_id", "=", record.id)]))

    def test_shortage_blocked_by_default(self):
        self.company.beauty_allow_stock_shortage = False
        record = (
            self.env["beauty.treatment.record"]
            .with_user(self.therapist_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "treatment_id": self.facial.id,
                    "therapist_id": self.therapist_a.id,
                    "line_ids": [Command.create({"product_id": self.mask.id, "quantity": 12})],
                }
            )
        )
        with self.assertRaises(UserError) as caught:
            record.action_done()
        message = str(caught.exception)
        self.assertIn("Not enough Sheet mask", message)
        self.assertIn("12", message)
        self.assertIn("10", message)
        self.assertEqual(self._qty(self.mask), 10)

    def test_shortage_allowed_by_setting(self):
        self.company.beauty_allow_stock_shortage = True
        record = (
            self.env["beauty.treatment.record"]
            .with_user(self.therapist_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "treatment_id": self.facial.id,
                    "therapist_id": self.therapist_a.id,
                    "line_ids": [Command.create({"product_id": self.mask.id, "quantity": 12})],
                }
            )
        )
        record.action_done()
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.mask.id), ("location_id", "=", self.stock.id)]
        )
        self.assertEqual(sum(quant.mapped("quantity")), -2)

    def test_therapist_has_no_stock_rights(self):
        """The consumables leave stock through the record, not through stock rights."""
        _booking, record = self._started(self.facial)
        record.action_done()
        with self.assertRaises(AccessError):
            self.env["stock.move"].with_user(self.therapist_user).search([])
        self.assertEqual(self._qty(self.mask), 9)

    def test_photos_on_the_record(self):
        _booking, record = self._started(self.facial)
        photo = (
            self.env["beauty.skin.photo"]
            .with_user(self.therapist_user)
            .create({"treatment_record_id": record.id, "kind": "before", "area": "Left cheek"})
        )
        self.assertEqual(photo.partner_id, self.customer)
        self.assertEqual(record.photo_ids, photo)

    def test_front_desk_cannot_record_treatments(self):
        booking = self._book(SLOT, treatments=self.facial)
        front_desk = self.users["front_desk"]
        with self.assertRaises(AccessError):
            booking.with_user(front_desk).action_start()
        with self.assertRaises(AccessError):
            self.env["beauty.treatment.record"].with_user(front_desk).search([])

    def test_cancel_booking_in_service_cancels_open_records(self):
        booking, record = self._started(self.facial)
        booking.with_user(self.therapist_user).action_cancel()
        self.assertEqual(record.state, "cancelled")
        self.assertEqual(booking.state, "cancelled")

    def test_walk_in_form_prefills_consumables(self):
        form = Form(self.env["beauty.treatment.record"].with_user(self.therapist_user))
        form.partner_id = self.customer
        form.treatment_id = self.peel
        form.therapist_id = self.therapist_a
        self.assertEqual(len(form.line_ids), 2)
        form.treatment_id = self.facial
        self.assertEqual(len(form.line_ids), 1)
        with form.line_ids.edit(0) as line:
            line.quantity = 2
        record = form.save()
        self.assertEqual(record.line_ids.quantity, 2)
        self.assertEqual(record.price, 400.0)
        record.action_done()
        self.assertEqual(self._qty(self.mask), 8)

    def test_front_desk_cannot_cancel_a_service_under_way(self):
        booking, record = self._started(self.facial)
        with self.assertRaises(AccessError):
            booking.with_user(self.users["front_desk"]).action_cancel()
        self.assertEqual(record.state, "draft")
