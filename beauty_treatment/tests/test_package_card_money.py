"""Every way a course card's sessions or money can change, tried as the least-privileged
user who would do it: a plain Point of Sale cashier at the till, front desk of another
store, a manager over RPC."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .package_common import PackageCase

POS_USER = "base.group_user,point_of_sale.group_pos_user"
GROUP = "beauty_customer_profile.beauty_customer_profile_group_"


@tagged("post_install", "-at_install")
class TestPackageCardMoney(PackageCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cashier = new_test_user(cls.env, login="beauty_money_cashier", groups=POS_USER)
        cls.till_manager = new_test_user(
            cls.env, login="beauty_money_till_manager", groups=f"{POS_USER},{GROUP}manager"
        )
        cls.manager = cls.users["manager"]
        cls.front_desk = cls.users["front_desk"]
        cls.gift_box = cls.env["product.product"].create(
            {"name": "Gift box", "type": "service", "list_price": 250.0, "taxes_id": False}
        )

    def tearDown(self):
        # Whatever a test did through the card's methods, every card agrees with its history.
        self.assertFalse(
            self.env["beauty.package.reconciliation"].search([]).card_line_id,
            "a card line disagrees with its ledger",
        )
        super().tearDown()

    def _sync_as(self, user, payload):
        result = self.env["pos.order"].with_user(user).sync_from_ui([payload])
        return self.env["pos.order"].browse(result["pos.order"][0]["id"])

    def _refund_payload(self, order, qty, partner=None, **extra):
        line = order.lines[0]
        return self._payload(
            partner or order.partner_id,
            [
                {
                    "product": line.product_id,
                    "qty": qty,
                    "price": 0.0,
                    "refunded_orderline_id": line.id,
                    **extra,
                }
            ],
        )

    # -- the till: a cashier with the Point of Sale user group only ------------------------
    def test_cashier_resends_reads_and_refunds_an_existing_order(self):
        _order, card = self._sell_card()
        line = card.line_ids
        payload = self._redeem_payload(line, qty=2)
        order = self._sync_as(self.cashier, payload)
        self.assertEqual(line.remaining, 8)
        # The till lost the answer and sends the order again: it gets it back, read.
        result = self.env["pos.order"].with_user(self.cashier).sync_from_ui([payload])
        self.assertEqual(result["pos.order"][0]["id"], order.id)
        self.assertNotIn("beauty_package_move_ids", result["pos.order"][0])
        [row] = result["pos.order.line"]
        self.assertEqual(row["beauty_package_card_line_id"], line.id)
        # Read cold, as a till's fresh request is: nothing of the ledger in the cache.
        self.env.invalidate_all()
        read = self.env["pos.order"].with_user(self.cashier).read_pos_data_uuid(order.uuid)
        self.assertEqual([row["id"] for row in read["pos.order"]], order.ids)
        # The cashier refunds it from the ticket screen: the sessions come back.
        self._sync_as(self.cashier, self._refund_payload(order, -2))
        self.assertEqual(line.remaining, 10)
        with self.assertRaises(AccessError):
            order.with_user(self.cashier).read(["beauty_package_move_ids"])

    def test_negative_card_line_without_refund_gives_nothing_back(self):
        _order, card = self._sell_card()
        line = card.line_ids
        self._sync_as(self.cashier, self._redeem_payload(line, qty=2))
        with self.assertRaisesRegex(UserError, "negative quantity"), self.env.cr.savepoint():
            self._sync_as(self.cashier, self._redeem_payload(line, qty=-2))
        self.assertEqual((line.remaining, line.used), (8, 2))

    def test_refund_for_another_customer_gives_nothing_back(self):
        _order, card = self._sell_card()
        line = card.line_ids
        order = self._sync_as(self.cashier, self._redeem_payload(line, qty=2))
        stranger = self._customer("陈静")
        with self.assertRaisesRegex(UserError, "belongs to"), self.env.cr.savepoint():
            self._sync_as(self.cashier, self._refund_payload(order, -1, partner=stranger))
        self.assertEqual(line.remaining, 8)

    def test_refunds_are_capped_by_what_the_line_redeemed(self):
        _order, card = self._sell_card()
        line = card.line_ids
        order = self._sync_as(self.cashier, self._redeem_payload(line, qty=2))
        self._sync_as(self.cashier, self._refund_payload(order, -1))
        self.assertEqual(line.remaining, 9)
        with self.assertRaisesRegex(UserError, "Only 1 session"), self.env.cr.savepoint():
            self._sync_as(self.cashier, self._refund_payload(order, -2))
        self._sync_as(self.cashier, self._refund_payload(order, -1))
        self.assertEqual(line.remaining, 10)
        with self.assertRaisesRegex(UserError, "Only 0 session"), self.env.cr.savepoint():
            self._sync_as(self.cashier, self._refund_payload(order, -1))
        self.assertEqual((line.remaining, line.used), (10, 0))
        restores = card.move_ids.filtered(lambda move: move.kind == "refund_pos")
        self.assertEqual(restores.mapped("quantity"), [1, 1])
        self.assertEqual(len(restores.refunded_move_id), 1)

    def test_no_session_comes_back_on_a_closed_card(self):
        for close in ("cancel", "refund", "expire"):
            with freeze_time("2026-03-02"):
                _order, card = self._sell_card()
                order = self._sync_as(self.cashier, self._redeem_payload(card.line_ids))
            day = "2026-03-03"
            if close == "cancel":
                card.with_user(self.manager).action_cancel()
            elif close == "refund":
                card.with_user(self.manager).action_refund()
            else:
                day = "2027-03-05"
                with freeze_time(day):
                    self.env["beauty.package.card"]._expire_batch()
            with (
                self.subTest(close=close),
                freeze_time(day),
                self.assertRaisesRegex(UserError, "cannot come back"),
                self.env.cr.savepoint(),
            ):
                self._sync_as(self.cashier, self._refund_payload(order, -1))
            self.assertEqual(card.line_ids.remaining, 0)

    def test_refunded_session_reverses_its_treatment_record(self):
        self.env["beauty.commission.rule"].create(
            {
                "product_tmpl_id": self.facial.product_tmpl_id.id,
                "amount_type": "percentage",
                "amount": 10,
            }
        )
        _order, card = self._sell_card()
        order = self._sync_as(
            self.cashier, self._redeem_payload(card.line_ids, therapist=self.therapist_a)
        )
        record = card.move_ids.filtered(lambda move: move.kind == "redeem").record_id
        self.assertEqual(record.state, "done")
        Quant = self.env["stock.quant"]
        self.assertEqual(Quant._get_available_quantity(self.mask, self.stock), 99.0)
        Commission = self.env["beauty.commission.line"]
        self.assertEqual(Commission.search_count([("record_id", "=", record.id)]), 1)
        self._sync_as(self.cashier, self._refund_payload(order, -1))
        self.assertEqual(record.state, "cancelled")
        self.assertEqual(Commission.search_count([("record_id", "=", record.id)]), 0)
        self.assertEqual(Quant._get_available_quantity(self.mask, self.stock), 100.0)
        self.assertEqual(card.line_ids.remaining, 10)

    # -- managers over RPC -----------------------------------------------------------------
    def test_balances_cannot_be_written_by_hand(self):
        _order, card = self._sell_card()
        for user in (self.manager, self.front_desk, self.till_manager):
            for vals in (
                {"state": "active"},
                {"price_paid": 99999.0},
                {"expiry_date": "2099-01-01"},
                {"line_ids": [Command.update(card.line_ids.id, {"remaining": 50})]},
            ):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    card.with_user(user).write(vals)
            for vals in ({"remaining": 50}, {"used": 0}, {"unit_value": 1000.0}, {"total": 99}):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    card.line_ids.with_user(user).write(vals)
        with self.assertRaisesRegex(AccessError, "opened by selling"):
            self.env["beauty.package.card"].with_user(self.manager).create(
                {"partner_id": self.customer.id}
            )
        with self.assertRaisesRegex(AccessError, "not added by hand"):
            self.env["beauty.package.card.line"].with_user(self.manager).create(
                {"card_id": card.id, "product_id": self.facial.id, "total": 5, "remaining": 5}
            )
        self.assertEqual((card.line_ids.remaining, card.price_paid), (10, 3000.0))

    # -- stores ----------------------------------------------------------------------------
    def test_front_desk_sees_and_changes_the_cards_of_her_store_only(self):
        _order, card_a = self._sell_card()
        store_b = self.env["res.company"].create({"name": "Store B"})
        card_b = self.env["beauty.package.card"]._create_from_template(
            self.course, self._customer("王芳"), 3000.0, company_id=store_b.id
        )
        card_b._after_create_log_sale(reason="store B")
        Card = self.env["beauty.package.card"].with_user(self.front_desk)
        self.assertEqual(Card.search([("id", "in", (card_a | card_b).ids)]), card_a)
        Line = self.env["beauty.package.card.line"].with_user(self.front_desk)
        self.assertFalse(Line.search([("card_id", "=", card_b.id)]))
        Move = self.env["beauty.package.card.move"].with_user(self.front_desk)
        self.assertFalse(Move.search([("card_id", "=", card_b.id)]))
        with self.assertRaises(AccessError):
            card_b.with_user(self.front_desk).action_freeze()
        with self.assertRaises(AccessError):
            card_b.with_user(self.manager).action_cancel()
        self.assertEqual(card_b.state, "active")
        card_a.with_user(self.front_desk).action_freeze()
        self.assertEqual(card_a.state, "frozen")

    # -- value is what was paid ------------------------------------------------------------
    def test_price_paid_after_order_discounts_and_value_rounded(self):
        self.course.write({"list_price": 1000.0})
        self.course.beauty_package_line_ids.quantity = 3
        discount = self.env["product.product"].create(
            {"name": "Order discount", "type": "service", "taxes_id": False}
        )
        order = self._sync_as(
            self.cashier,
            self._payload(
                self.customer,
                [
                    {"product": self.course.product_variant_id, "qty": 1, "price": 1000.0},
                    {"product": self.gift_box, "qty": 1, "price": 250.0},
                    {"product": discount, "qty": 1, "price": -125.0},
                ],
            ),
        )
        card = self.env["beauty.package.card"].search(
            [("pos_order_line_uuid", "in", order.lines.mapped("uuid"))]
        )
        # 1250 listed, 1125 paid: the card carries 90 % of its price, 300 a session.
        self.assertEqual(card.price_paid, 900.0)
        self.assertEqual(card.line_ids.unit_value, 300.0)
        self.assertEqual(sum(card.move_ids.mapped("value")), 900.0)

    def test_value_per_session_of_an_undiscounted_card_is_rounded(self):
        self.course.write({"list_price": 1000.0})
        self.course.beauty_package_line_ids.quantity = 3
        _order, card = self._sell_card(price=900.0)
        self.assertEqual(card.line_ids.unit_value, 300.0)
        _order, card = self._sell_card(price=1000.0)
        self.assertEqual(card.line_ids.unit_value, 333.33)

    # -- refunds of whole cards ------------------------------------------------------------
    def _card_refund_payload(self, order, price):
        return self._payload(
            self.customer,
            [
                {
                    "product": self.course.product_variant_id,
                    "qty": -1,
                    "price": price,
                    "refunded_orderline_id": order.lines.id,
                }
            ],
        )

    def test_till_refund_of_an_unused_card_needs_a_manager_and_keeps_the_fee(self):
        self.company.beauty_package_refund_fee = 10.0
        order, card = self._sell_card()
        with self.assertRaisesRegex(AccessError, "needs a salon manager"), self.env.cr.savepoint():
            self._sync_as(self.cashier, self._card_refund_payload(order, 3000.0))
        with self.assertRaisesRegex(UserError, "2.700"), self.env.cr.savepoint():
            self._sync_as(self.till_manager, self._card_refund_payload(order, 3000.0))
        self.assertEqual(card.state, "active")
        self._sync_as(self.till_manager, self._card_refund_payload(order, 2700.0))
        self.assertEqual(card.state, "cancelled")
        self.assertEqual((card.refund_amount, card.refund_fee), (2700.0, 300.0))

    def test_free_sessions_do_not_raise_the_cash_refund(self):
        order, card = self._sell_card()
        card.line_ids._add_sessions(2, reason="complaint")
        self.assertEqual(card._refund_figures(), (3000.0, 0.0))
        with self.assertRaisesRegex(UserError, "3.000"), self.env.cr.savepoint():
            self._sync_as(self.till_manager, self._card_refund_payload(order, 3600.0))
        self._sync(self._redeem_payload(card.line_ids, qty=5))
        # 5 of the 10 paid sessions used: half the price, the free ones never paid out.
        self.assertEqual(card._refund_figures(), (1500.0, 0.0))

    # -- expiry ----------------------------------------------------------------------------
    def test_extending_an_expired_card_brings_its_sessions_back(self):
        with freeze_time("2025-01-10"):
            _order, card = self._sell_card()
            self._sync(self._redeem_payload(card.line_ids, qty=4))
        with freeze_time("2026-02-01"):
            self.env["beauty.package.card"]._expire_batch()
            self.assertEqual((card.state, card.line_ids.remaining), ("expired", 0))
            card.with_user(self.manager).action_extend("2026-06-30", "Long illness")
        self.assertEqual(card.state, "active")
        self.assertEqual((card.line_ids.remaining, card.line_ids.used), (6, 4))
        self.assertEqual(card.expiry_date, date(2026, 6, 30))
        back = card.move_ids.filtered(lambda move: move.kind == "adjust" and move.quantity)
        self.assertEqual(back.quantity, 6)

    # -- an order the till accepted always syncs -------------------------------------------
    def test_redemption_whose_record_cannot_be_finished_still_syncs(self):
        template = self.peel.product_tmpl_id
        course = self.env["product.template"].create(
            {
                "name": "Five peels",
                "type": "service",
                "list_price": 2500.0,
                "taxes_id": False,
                "beauty_is_package": True,
                "beauty_package_line_ids": [
                    Command.create({"product_id": self.peel.id, "quantity": 5})
                ],
            }
        )
        self.assertTrue(template.beauty_consumable_ids.product_id.filtered("tracking"))
        sale = self._sync(
            self._payload(
                self.customer, [{"product": course.product_variant_id, "qty": 1, "price": 2500.0}]
            )
        )
        card = self.env["beauty.package.card"].search(
            [("pos_order_line_uuid", "=", sale.lines.uuid)]
        )
        payload = self._redeem_payload(card.line_ids, therapist=self.therapist_a)
        payload["lines"].append(
            Command.create(
                {
                    "product_id": self.gift_box.id,
                    "qty": 1,
                    "price_unit": 50.0,
                    "price_subtotal": 50.0,
                    "price_subtotal_incl": 50.0,
                    "tax_ids": [],
                    "uuid": "cash-line-of-the-peel-order",
                }
            )
        )
        payload["amount_total"] = payload["amount_paid"] = 50.0
        payload["payment_ids"][0][2]["amount"] = 50.0
        with self.assertLogs("odoo.addons.beauty_treatment", level="WARNING") as logs:
            order = self._sync_as(self.cashier, payload)
        self.assertIn("to review", logs.output[0])
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.amount_paid, 50.0)
        self.assertEqual(card.line_ids.remaining, 4)
        move = card.move_ids.filtered(lambda move: move.kind == "redeem")
        self.assertTrue(move.needs_review)
        self.assertIn("lot", move.review_note)
        self.assertEqual(move.record_id.state, "draft")

    # -- reconciliation --------------------------------------------------------------------
    def test_reconciliation_reports_a_drift_seeded_in_sql(self):
        _order, card = self._sell_card()
        self._sync(self._redeem_payload(card.line_ids, qty=2))
        Report = self.env["beauty.package.reconciliation"]
        self.assertFalse(Report.with_user(self.manager).search([]))
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE beauty_package_card_line SET remaining = remaining + 5 WHERE id = %s",
            [card.line_ids.id],
        )
        [drift] = Report.with_user(self.manager).search([])
        self.assertEqual(
            (drift.card_line_id, drift.remaining, drift.ledger_remaining, drift.difference),
            (card.line_ids, 13, 8, 5),
        )
        with self.assertRaises(AccessError):
            Report.with_user(self.front_desk).search([])
        with self.assertLogs("odoo.addons.beauty_treatment", level="WARNING") as logs:
            self.assertEqual(Report._cron_check(), 1)
        self.assertIn("disagree", logs.output[0])
        self.assertIn("Reconciliation", card.message_ids[0].body)
        self.env.cr.execute(
            "UPDATE beauty_package_card_line SET remaining = remaining - 5 WHERE id = %s",
            [card.line_ids.id],
        )
