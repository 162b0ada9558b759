from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .package_common import PackageCase


@tagged("post_install", "-at_install")
class TestPackageCardActions(PackageCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.users["manager"]
        cls.front_desk = cls.users["front_desk"]

    def _card_on(self, day):
        with freeze_time(day):
            return self._sell_card()[1]

    def test_dates_of_a_new_card(self):
        card = self._card_on("2026-03-02")
        self.assertEqual(card.open_date, date(2026, 3, 2))
        self.assertEqual(card.expiry_date, date(2027, 3, 2))
        self.assertEqual(card.completion_date, date(2026, 9, 2))

    def test_freeze_moves_expiry_by_frozen_days(self):
        card = self._card_on("2026-03-02")
        with freeze_time("2026-04-01"):
            card.with_user(self.front_desk).action_freeze()
        self.assertEqual(card.state, "frozen")
        with self.assertRaisesRegex(UserError, "is Frozen"):
            card.line_ids._redeem(1)
        with freeze_time("2026-04-21"):
            card.with_user(self.front_desk).action_unfreeze()
        self.assertEqual(card.state, "active")
        self.assertEqual(card.expiry_date, date(2027, 3, 22))
        self.assertEqual(card.completion_date, date(2026, 9, 22))
        self.assertEqual(card.line_ids.remaining, 10)

    def test_extend_is_for_managers_with_a_reason(self):
        card = self._card_on("2026-03-02")
        with self.assertRaises(AccessError):
            card.with_user(self.front_desk).action_extend("2027-06-30", "Long illness")
        with self.assertRaisesRegex(UserError, "why"):
            card.with_user(self.manager).action_extend("2027-06-30", "")
        with self.assertRaisesRegex(UserError, "later"):
            card.with_user(self.manager).action_extend("2027-01-01", "Too early")
        card.with_user(self.manager).action_extend("2027-06-30", "Long illness")
        self.assertEqual(card.expiry_date, date(2027, 6, 30))
        move = card.move_ids.filtered(lambda m: m.kind == "adjust")
        self.assertIn("Long illness", move.reason)
        self.assertEqual(move.user_id, self.manager)

    def test_transfer_to_a_family_member(self):
        card = self._card_on("2026-03-02")
        daughter = self._customer("李小娜")
        card.with_user(self.front_desk).action_transfer(daughter, "Daughter")
        self.assertEqual(card.partner_id, daughter)
        move = card.move_ids.filtered(lambda m: m.kind == "transfer")
        self.assertIn("李娜", move.reason)
        self.assertIn("李小娜", move.reason)
        # The new owner redeems; the old one no longer can.
        self._sync(self._redeem_payload(card.line_ids, partner=daughter))
        self.assertEqual(card.line_ids.remaining, 9)
        with self.assertRaisesRegex(UserError, "belongs to"), self.env.cr.savepoint():
            self._sync(self._redeem_payload(card.line_ids, partner=self.customer))

    def test_refund_of_the_unused_part_less_fee(self):
        self.company.beauty_package_refund_fee = 10.0
        card = self._card_on("2026-03-02")
        self._sync(self._redeem_payload(card.line_ids, qty=4))
        with self.assertRaises(AccessError):
            card.with_user(self.front_desk).action_refund()
        wizard = (
            self.env["beauty.package.card.wizard"]
            .with_user(self.manager)
            .create({"card_id": card.id, "operation": "refund", "reason": "Moving away"})
        )
        # 3000 paid, 6 of 10 sessions unused: 1800, less 10 % fee.
        self.assertAlmostEqual(wizard.refund_amount, 1620.0)
        self.assertAlmostEqual(wizard.refund_fee, 180.0)
        with freeze_time("2026-05-05"):
            wizard.action_confirm()
        self.assertEqual(card.state, "refunded")
        self.assertAlmostEqual(card.refund_amount, 1620.0)
        self.assertAlmostEqual(card.refund_fee, 180.0)
        self.assertEqual(card.refund_date, date(2026, 5, 5))
        self.assertEqual(card.line_ids.remaining, 0)
        self.assertEqual(card.line_ids.used, 4)
        refund = card.move_ids.filtered(lambda m: m.kind == "refund")
        self.assertEqual(refund.quantity, -6)
        self.assertAlmostEqual(refund.value, -1800.0)
        with self.assertRaisesRegex(UserError, "is Refunded"):
            card.line_ids._redeem(1)

    def test_cron_expires_cards(self):
        old = self._card_on("2025-01-10")
        fresh = self._card_on("2026-03-01")
        with freeze_time("2026-03-02"):
            done, remaining = self.env["beauty.package.card"]._expire_batch(limit=1)
            self.assertEqual((done, remaining), (1, 0))
        self.assertEqual(old.state, "expired")
        self.assertEqual(old.line_ids.remaining, 0)
        self.assertEqual(old.move_ids.filtered(lambda m: m.kind == "expire").quantity, -10)
        self.assertEqual(fresh.state, "active")
        with freeze_time("2026-03-02"), self.assertRaisesRegex(UserError, "Expired"):
            old.line_ids._redeem(1)

    def test_liability_by_store_at_a_date(self):
        card = self._card_on("2026-03-02")
        with freeze_time("2026-03-10"):
            self._sync(self._redeem_payload(card.line_ids, qty=3))
        Liability = self.env["beauty.package.liability"].with_user(self.manager)

        def liability(day):
            groups = Liability._read_group(
                [("date", "<=", day), ("card_id", "=", card.id)],
                ["company_id"],
                ["value:sum", "sessions:sum"],
            )
            return [(company, round(value, 2), sessions) for company, value, sessions in groups]

        self.assertEqual(liability("2026-03-05 00:00:00"), [(self.company, 3000.0, 10)])
        self.assertEqual(liability("2026-03-11 00:00:00"), [(self.company, 2100.0, 7)])
        with self.assertRaises(AccessError):
            self.env["beauty.package.liability"].with_user(self.front_desk).search([])

    def test_access_per_role(self):
        card = self._card_on("2026-03-02")
        move = card.move_ids
        for role in ("front_desk", "therapist", "manager"):
            user = self.users[role]
            self.assertTrue(card.with_user(user).read(["number"]))
            self.assertTrue(move.with_user(user).read(["quantity"]))
            with self.assertRaises(AccessError):
                move.with_user(user).write({"quantity": 5})
            with self.assertRaises(AccessError):
                move.with_user(user).unlink()
            with self.assertRaises(AccessError):
                card.line_ids.with_user(user).unlink()
        with self.assertRaises(AccessError):
            card.with_user(self.front_desk).write({"state": "active"})
        with self.assertRaises(AccessError):
            card.with_user(self.front_desk).action_cancel()
        card.with_user(self.manager).action_cancel()
        self.assertEqual(card.state, "cancelled")
        self.assertEqual(card.line_ids.remaining, 0)
