from psycopg2.errors import CheckViolation

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MembershipCase


@tagged("post_install", "-at_install")
class TestStoredValue(MembershipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config, cls.cash = cls._open_till()
        cls.customer = cls._customer()

    def _card(self, program=None):
        return self.env["loyalty.card"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("program_id", "=", (program or self.wallet).id),
            ]
        )

    def _top_up(self):
        return self._sync(self._order_payload(self.customer, [(self.topup_1000, 1, 1000)]))

    def test_topup_bonus_split(self):
        """Pay 1000, get 1200: 1000 principal and 200 bonus, on the card and in the ledger."""
        order = self._top_up()
        card = self._card()
        self.assertAlmostEqual(card.points, 1200)
        self.assertAlmostEqual(card.beauty_principal, 1000)
        self.assertAlmostEqual(card.beauty_bonus, 200)
        move = order.beauty_card_move_ids
        self.assertEqual(
            (move.move_type, move.amount, move.principal, move.bonus), ("topup", 1200, 1000, 200)
        )
        self.assertEqual(self.customer.beauty_wallet_balance, 1200)
        self.assertEqual(self.customer.beauty_wallet_bonus, 200)
        # The till confirms its loyalty changes afterwards: nothing is added a second time.
        order.confirm_coupon_programs(
            {
                str(-1): {
                    "program_id": self.wallet.id,
                    "points": 1200,
                    "partner_id": self.customer.id,
                }
            }
        )
        self.assertAlmostEqual(card.points, 1200)

    def test_payment_spends_principal_and_bonus_in_proportion(self):
        self._top_up()
        card = self._card()
        order = self._sync(
            self._order_payload(
                self.customer,
                [(self.service, 1, 600), self._wallet_line(card, 600)],
            )
        )
        self.assertEqual(order.state, "paid")
        self.assertAlmostEqual(card.points, 600)
        self.assertAlmostEqual(card.beauty_bonus, 100)
        payment = order.beauty_card_move_ids.filtered(lambda m: m.move_type == "payment")
        self.assertEqual((payment.principal, payment.bonus), (-500, -100))
        self.assertEqual(len(card.history_ids), 2)

    def test_refund_returns_principal_only(self):
        self._top_up()
        card = self._card()
        wizard = (
            self.env["beauty.wallet.refund"]
            .with_user(self.users["manager"])
            .create({"card_id": card.id, "amount": 1000, "note": "Moving away"})
        )
        wizard.action_confirm()
        self.assertAlmostEqual(card.points, 0)
        self.assertAlmostEqual(card.beauty_bonus, 0)
        moves = card.beauty_move_ids.filtered(lambda m: m.move_type in ("refund", "forfeit"))
        self.assertEqual(sorted(moves.mapped("move_type")), ["forfeit", "refund"])
        refund = moves.filtered(lambda m: m.move_type == "refund")
        self.assertEqual((refund.principal, refund.bonus), (-1000, 0))
        # More than the principal is never paid back, even though the balance holds bonus.
        self._top_up()
        with self.assertRaises(UserError):
            card._beauty_refund_principal(1100)
        card._beauty_refund_principal(500)
        self.assertAlmostEqual(card.beauty_principal, 500)
        self.assertAlmostEqual(card.beauty_bonus, 100)

    def test_overdraw_rejects_the_order(self):
        self._top_up()
        card = self._card()
        payload = self._order_payload(
            self.customer, [(self.service, 1, 1300), self._wallet_line(card, 1300)]
        )
        with self.assertRaisesRegex(UserError, "not enough"), self.env.cr.savepoint():
            self._sync(payload)
        self.assertAlmostEqual(card.points, 1200)
        self.assertFalse(self.env["pos.order"].search([("uuid", "=", payload["uuid"])]))
        self.assertEqual(card.beauty_move_ids.mapped("move_type"), ["topup"])

    @mute_logger("odoo.sql_db")
    def test_balance_never_negative_in_database(self):
        self._top_up()
        card = self._card()
        with self.assertRaises(CheckViolation), self.env.cr.savepoint():
            self.env.cr.execute("UPDATE loyalty_card SET points = -1 WHERE id = %s", [card.id])

    def test_same_order_synced_twice_deducts_once(self):
        self._top_up()
        card = self._card()
        payload = self._order_payload(
            self.customer, [(self.service, 1, 300), self._wallet_line(card, 300)]
        )
        first = self._sync(dict(payload, lines=list(payload["lines"])))
        second = self._sync(dict(payload, lines=list(payload["lines"])))
        self.assertEqual(first, second)
        self.assertAlmostEqual(card.points, 900)
        self.assertEqual(
            len(first.beauty_card_move_ids.filtered(lambda m: m.move_type == "payment")), 1
        )
        # Even when processing is forced again, the line uuid guards the ledger.
        first._beauty_apply_card_moves()
        self.assertAlmostEqual(card.points, 900)

    def test_points_earned_with_tier_multiplier(self):
        self.customer.sudo()._beauty_set_tier(self.vip, "manual", "test")
        order = self._sync(self._order_payload(self.customer, [(self.service, 1, 250)]))
        # The till computed 250 points; the VIP multiplier doubles them on the server.
        result = order.confirm_coupon_programs(
            {"-7": {"program_id": self.points.id, "points": 250, "partner_id": self.customer.id}}
        )
        card = self._card(self.points)
        self.assertAlmostEqual(card.points, 500)
        self.assertIn(-7, [update["old_id"] for update in result["coupon_updates"]])
        # Confirming the same order again adds nothing.
        order.confirm_coupon_programs({str(card.id): {"program_id": self.points.id, "points": 250}})
        self.assertAlmostEqual(card.points, 500)
        self.assertAlmostEqual(self.customer.beauty_points, 500)
        # Spending points is checked when the order is recorded, like stored value; the
        # points of the order are earned there too, from its lines, not from the till's figure.
        spend = self._wallet_line(card, 200)
        spend.update(reward_id=self.points.reward_ids.id, product=self.service, price=-2)
        order = self._sync(self._order_payload(self.customer, [(self.service, 1, 50), spend]))
        self.assertAlmostEqual(card.points, 500 - 200 + 100)
        order.confirm_coupon_programs(
            {str(card.id): {"program_id": self.points.id, "points": 48 - 200}}
        )
        self.assertAlmostEqual(card.points, 400)

    def test_front_desk_sees_balances(self):
        self._top_up()
        customer = self.customer.with_user(self.users["front_desk"])
        self.assertAlmostEqual(customer.beauty_wallet_balance, 1200)
        self.assertTrue(customer.beauty_card_move_ids)
