from psycopg2 import IntegrityError
from psycopg2.errors import CheckViolation

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .package_common import PackageCase


@tagged("post_install", "-at_install")
class TestPackageCardPos(PackageCase):
    def test_sale_opens_a_card_once(self):
        order, card = self._sell_card()
        self.assertEqual(len(card), 1)
        self.assertEqual(card.partner_id, self.customer)
        self.assertEqual(card.state, "active")
        self.assertTrue(card.number.startswith("PC"))
        self.assertEqual(card.price_paid, 3000.0)
        self.assertEqual(card.line_ids.total, 10)
        self.assertEqual(card.line_ids.remaining, 10)
        self.assertAlmostEqual(card.line_ids.unit_value, 300.0)
        self.assertEqual(card.move_ids.kind, "sale")
        self.assertEqual(card.move_ids.quantity, 10)
        # The same paid order recorded again opens no second card.
        order._process_saved_order(False)
        order._process_saved_order(False)
        self.assertEqual(
            self.env["beauty.package.card"].search_count([("partner_id", "=", self.customer.id)]),
            1,
        )

    def test_redeem_creates_done_record_and_is_idempotent(self):
        _order, card = self._sell_card()
        line = card.line_ids
        payload = self._redeem_payload(line, therapist=self.therapist_a)
        order = self._sync(payload)
        self.assertEqual(line.remaining, 9)
        self.assertEqual(line.used, 1)
        self.assertEqual(card.remaining_total, 9)
        move = card.move_ids.filtered(lambda m: m.kind == "redeem")
        self.assertEqual(move.quantity, -1)
        self.assertEqual(move.pos_order_id, order)
        self.assertEqual(move.pos_order_line_uuid, order.lines.uuid)
        self.assertEqual(move.record_id.state, "done")
        self.assertEqual(move.record_id.therapist_id, self.therapist_a)
        self.assertEqual(move.record_id.partner_id, self.customer)
        # The same order pushed three times and recorded again deducts once.
        self._sync(payload)
        self._sync(payload)
        order._process_saved_order(False)
        order._process_saved_order(False)
        self.assertEqual(line.remaining, 9)
        self.assertEqual(len(card.move_ids.filtered(lambda m: m.kind == "redeem")), 1)
        self.assertEqual(
            self.env["beauty.treatment.record"].search_count(
                [("partner_id", "=", self.customer.id), ("state", "=", "done")]
            ),
            1,
        )

    def test_no_session_left_rejects_the_order(self):
        _order, card = self._sell_card()
        line = card.line_ids
        self._sync(self._redeem_payload(line, qty=9))
        self.assertEqual(line.remaining, 1)
        Order = self.env["pos.order"]
        with (
            self.assertRaisesRegex(UserError, f"{card.number}.*no session of.*Hydrating facial"),
            self.env.cr.savepoint(),
        ):
            self._sync(self._redeem_payload(line, qty=2))
        self.assertEqual(line.remaining, 1)
        self.assertEqual(
            Order.search_count([("lines.beauty_package_card_line_id", "=", line.id)]), 1
        )
        self._sync(self._redeem_payload(line, qty=1))
        self.assertEqual(line.remaining, 0)
        self.assertEqual(card.state, "used_up")

    def test_card_of_someone_else_is_refused(self):
        _order, card = self._sell_card()
        stranger = self._customer("陈静")
        with self.assertRaisesRegex(UserError, "belongs to"), self.env.cr.savepoint():
            self._sync(self._redeem_payload(card.line_ids, partner=stranger))
        self.assertEqual(card.line_ids.remaining, 10)

    def test_pos_refund_restores_sessions(self):
        _order, card = self._sell_card()
        line = card.line_ids
        order = self._sync(self._redeem_payload(line, qty=2))
        self.assertEqual(line.remaining, 8)
        refund = self._payload(
            self.customer,
            [
                {
                    "product": self.facial,
                    "qty": -2,
                    "price": 0.0,
                    "refunded_orderline_id": order.lines.id,
                }
            ],
        )
        refund_order = self._sync(refund)
        self.assertEqual(line.remaining, 10)
        self.assertEqual(line.used, 0)
        # Pushed again, the refund gives nothing back twice.
        self._sync(refund)
        refund_order._process_saved_order(False)
        self.assertEqual(line.remaining, 10)
        restore = card.move_ids.filtered(lambda m: m.kind == "refund_pos")
        self.assertEqual(restore.quantity, 2)

    def test_remaining_never_below_zero_in_sql(self):
        _order, card = self._sell_card()
        with mute_logger("odoo.sql_db"), self.assertRaises(CheckViolation), self.env.cr.savepoint():
            self.env.cr.execute(
                "UPDATE beauty_package_card_line SET remaining = -1 WHERE id = %s",
                [card.line_ids.id],
            )
        with mute_logger("odoo.sql_db"), self.assertRaises(CheckViolation), self.env.cr.savepoint():
            self.env.cr.execute(
                "UPDATE beauty_package_card_line SET used = total + 1 WHERE id = %s",
                [card.line_ids.id],
            )

    def test_ledger_unique_per_pos_line(self):
        _order, card = self._sell_card()
        line = card.line_ids
        line._redeem(1, pos_order_line_uuid="same-line")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            line._redeem(1, pos_order_line_uuid="same-line")
        line.invalidate_recordset()
        self.assertEqual(line.remaining, 9)
