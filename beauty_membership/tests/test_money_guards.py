"""Every way a wallet or points balance can change, tried as the least-privileged user who
would do it: a plain Point of Sale user (no salon role) at the till, a salon manager in the
back office. After each test every balance is the sum of its ledger."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.service.model import call_kw
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import MembershipCase


class MoneyCase(MembershipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config, cls.cash = cls._open_till()
        cls.customer = cls._customer()
        cls.other_customer = cls._customer("李娜", consents=())
        cls.cashier = new_test_user(
            cls.env,
            login="beauty_test_plain_cashier",
            groups="base.group_user,point_of_sale.group_pos_user",
            name="Plain cashier",
        )
        cls.pos_manager = new_test_user(
            cls.env,
            login="beauty_test_pos_manager",
            groups="base.group_user,point_of_sale.group_pos_manager",
            name="POS manager",
        )

    def tearDown(self):
        # The reconciliation report is empty after every money test.
        self.env.flush_all()
        drifts = self.env["beauty.balance.check"].search([])
        self.assertFalse(
            [(d.card_id.id, d.balance, d.ledger_balance) for d in drifts],
            "a balance differs from the sum of its ledger",
        )
        super().tearDown()

    def _card(self, program=None, partner=None):
        return self.env["loyalty.card"].search(
            [
                ("partner_id", "=", (partner or self.customer).id),
                ("program_id", "=", (program or self.wallet).id),
            ]
        )

    def _sync_as(self, user, payload):
        self.env["pos.order"].with_user(user).sync_from_ui([payload])
        return self.env["pos.order"].search([("uuid", "=", payload["uuid"])])

    def _top_up(self, partner=None):
        return self._sync_as(
            self.cashier,
            self._order_payload(partner or self.customer, [(self.topup_1000, 1, 1000)]),
        )

    def _pay_from_wallet(self, amount, price=None, user=None):
        card = self._card()
        line = self._wallet_line(card, amount)
        if price is not None:
            line["price"] = price
        order = self._sync_as(
            user or self.cashier,
            self._order_payload(self.customer, [(self.service, 1, -line["price"]), line]),
        )
        return order, card


@tagged("post_install", "-at_install")
class TestTillAsPlainCashier(MoneyCase):
    def test_cashier_reads_and_resends_an_order_paid_from_the_wallet(self):
        """A cashier without a salon role re-reads an order (ticket screen, receipt reload,
        re-send): the till reads every field of pos.order; the ledger stays hidden."""
        self._top_up()
        order, card = self._pay_from_wallet(300)
        data = order.with_user(self.cashier).read_pos_data([], self.config)
        self.assertEqual(data["pos.order"][0]["id"], order.id)
        self.assertNotIn("beauty_card_move_ids", data["pos.order"][0])
        data = self.env["pos.order"].with_user(self.cashier).read_pos_data_uuid(order.uuid)
        self.assertEqual(len(data["pos.order"]), 1)
        # Nor does the card or the customer carry the ledger for this cashier.
        self.assertNotIn("beauty_move_ids", card.with_user(self.cashier).fields_get())
        self.assertNotIn("beauty_card_move_ids", self.customer.with_user(self.cashier).fields_get())
        # Front desk sees the order's balance moves.
        front_desk = order.with_user(self.users["front_desk"])
        self.assertIn("payment", front_desk.beauty_card_move_ids.mapped("move_type"))
        self.assertAlmostEqual(card.points, 900)

    def test_reward_amount_is_recomputed(self):
        """A wallet payment line priced -300 with a points cost of 30 takes 300."""
        self._top_up()
        order, card = self._pay_from_wallet(30, price=-300)
        self.assertAlmostEqual(card.points, 900)
        payment = order.beauty_card_move_ids.filtered(lambda m: m.move_type == "payment")
        self.assertAlmostEqual(payment.amount, -300)

    def test_reward_without_points_cost_is_still_paid_for(self):
        self._top_up()
        _order, card = self._pay_from_wallet(0, price=-250)
        self.assertAlmostEqual(card.points, 950)

    def test_reward_of_another_program_is_refused(self):
        self._top_up()
        card = self._card()
        line = self._wallet_line(card, 100)
        line["reward_id"] = self.points.reward_ids.id
        payload = self._order_payload(self.customer, [(self.service, 1, 100), line])
        with self.assertRaisesRegex(UserError, "is not one of"), self.env.cr.savepoint():
            self._sync_as(self.cashier, payload)
        self.assertAlmostEqual(card.points, 1200)

    def test_another_customers_wallet_is_refused(self):
        self._top_up(self.other_customer)
        card = self._card(partner=self.other_customer)
        payload = self._order_payload(
            self.customer, [(self.service, 1, 100), self._wallet_line(card, 100)]
        )
        with self.assertRaisesRegex(UserError, "belongs to"), self.env.cr.savepoint():
            self._sync_as(self.cashier, payload)
        self.assertAlmostEqual(card.points, 1200)

    def test_confirm_takes_the_program_from_the_card(self):
        """The till's confirmation sends an eWallet card with the points program's id and a
        made-up amount: nothing is credited."""
        self._top_up()
        card = self._card()
        order = self._sync_as(
            self.cashier, self._order_payload(self.customer, [(self.service, 1, 100)])
        )
        points_card = self._card(self.points)
        points_before = points_card.points
        order.with_user(self.cashier).confirm_coupon_programs(
            {
                str(card.id): {"program_id": self.points.id, "points": 5000},
                str(points_card.id): {"program_id": self.points.id, "points": 5000},
            }
        )
        self.assertAlmostEqual(card.points, 1200)
        self.assertAlmostEqual(points_card.points, points_before)
        self.assertAlmostEqual(points_before, 100, msg="the order earned its own 100 points")

    def test_confirm_checks_state_and_owner(self):
        self._top_up(self.other_customer)
        other_card = self._card(partner=self.other_customer)
        order = self._sync_as(
            self.cashier, self._order_payload(self.customer, [(self.service, 1, 100)])
        )
        with self.assertRaisesRegex(UserError, "belongs to"), self.env.cr.savepoint():
            order.with_user(self.cashier).confirm_coupon_programs(
                {str(other_card.id): {"program_id": self.wallet.id, "points": 10}}
            )
        draft = self.env["pos.order"].create(
            {
                "session_id": self.config.current_session_id.id,
                "partner_id": self.customer.id,
                "amount_total": 0,
                "amount_tax": 0,
                "amount_paid": 0,
                "amount_return": 0,
            }
        )
        with self.assertRaisesRegex(UserError, "paid order"), self.env.cr.savepoint():
            draft.with_user(self.cashier).confirm_coupon_programs(
                {"-1": {"program_id": self.points.id, "points": 10}}
            )

    def test_points_earned_pay_for_a_reward_in_the_same_order(self):
        """A new member earns 250 points and spends 200 of them in the same order: core checks
        the net change, so must we. The card did not exist before the order."""
        spend = {
            "product": self.service,
            "qty": 1,
            "price": -2,
            "reward_id": self.points.reward_ids.id,
            "is_reward_line": True,
            "points_cost": 200,
            "reward_identifier_code": "same0001",
        }
        order = self._sync_as(
            self.cashier, self._order_payload(self.customer, [(self.service, 1, 250), spend])
        )
        card = self._card(self.points)
        self.assertAlmostEqual(card.points, 50)
        self.assertEqual(
            sorted(order.sudo().beauty_card_move_ids.mapped("move_type")), ["earn", "payment"]
        )

    def test_first_order_earning_what_it_spends_creates_the_card(self):
        spend = {
            "product": self.service,
            "qty": 1,
            "price": -1,
            "reward_id": self.points.reward_ids.id,
            "is_reward_line": True,
            "points_cost": 100,
            "reward_identifier_code": "zero0001",
        }
        order = self._sync_as(
            self.cashier, self._order_payload(self.customer, [(self.service, 1, 100), spend])
        )
        result = order.with_user(self.cashier).confirm_coupon_programs(
            {"-3": {"program_id": self.points.id, "points": 0, "partner_id": self.customer.id}}
        )
        card = self._card(self.points)
        self.assertEqual(len(card), 1)
        self.assertAlmostEqual(card.points, 0)
        self.assertIn(card.id, [update["id"] for update in result["coupon_updates"]])

    def test_usage_of_our_programs_is_reported_to_the_till(self):
        order = self._sync_as(
            self.cashier, self._order_payload(self.customer, [(self.service, 1, 100)])
        )
        result = order.with_user(self.cashier).confirm_coupon_programs(
            {"-1": {"program_id": self.points.id, "points": 100, "partner_id": self.customer.id}}
        )
        self.assertIn(self.points.id, [u["program_id"] for u in result["program_updates"]])

    def test_topup_goes_to_the_program_chosen_at_the_till(self):
        second = self.wallet.copy({"name": "Second stored value"})
        second.rule_ids.write({"product_ids": [Command.set(self.topup_1000.ids)]})
        order = self._top_up()
        self.assertFalse(self._card(), "the till has not named the program yet")
        order.with_user(self.cashier).confirm_coupon_programs(
            {"-1": {"program_id": second.id, "points": 1200, "partner_id": self.customer.id}}
        )
        self.assertFalse(self._card())
        self.assertAlmostEqual(self._card(second).points, 1200)
        # Confirming again credits nothing more.
        order.with_user(self.cashier).confirm_coupon_programs(
            {str(self._card(second).id): {"program_id": second.id, "points": 1200}}
        )
        self.assertAlmostEqual(self._card(second).points, 1200)

    def test_topup_never_named_by_the_till_is_credited_by_the_nightly_check(self):
        second = self.wallet.copy({"name": "Second stored value"})
        second.rule_ids.write({"product_ids": [Command.set(self.topup_1000.ids)]})
        order = self._top_up()
        self.assertFalse(order.sudo().beauty_card_move_ids)
        self.env["pos.order"]._beauty_credit_pending_topups(older_than=timedelta(0))
        cards = self._card() | self._card(second)
        self.assertEqual(len(cards), 1)
        self.assertAlmostEqual(cards.points, 1200)
        # Only once.
        self.env["pos.order"]._beauty_credit_pending_topups(older_than=timedelta(0))
        self.assertAlmostEqual(cards.points, 1200)

    def test_topup_after_the_program_ended_is_credited_without_bonus(self):
        self.wallet.date_to = fields.Date.today() - timedelta(days=1)
        order = self._top_up()
        card = self._card()
        self.assertAlmostEqual(card.points, 1000)
        self.assertAlmostEqual(card.beauty_bonus, 0)
        self.assertIn("no longer applied", order.sudo().beauty_card_move_ids.note)

    def test_refund_to_ewallet_at_the_till_credits_in_the_original_split(self):
        self._top_up()
        order, card = self._pay_from_wallet(600)
        self.assertAlmostEqual(card.beauty_bonus, 100)
        service_line = order.lines.filtered(lambda line: not line.reward_id)
        refund = self._order_payload(
            self.customer,
            [
                {
                    "product": self.service,
                    "qty": -1,
                    "price": 600,
                    "refunded_orderline_id": service_line.id,
                },
                (self.topup_1000, 1, 600),
            ],
        )
        refund_order = self._sync_as(self.cashier, refund)
        self.assertAlmostEqual(card.points, 1200)
        self.assertAlmostEqual(card.beauty_bonus, 200)
        move = refund_order.sudo().beauty_card_move_ids.filtered(lambda m: m.card_id == card)
        self.assertEqual((move.move_type, move.principal, move.bonus), ("return", 500, 100))
        # The 600 points the service earned are taken back too.
        self.assertAlmostEqual(self._card(self.points).points, 0)

    def test_refunding_the_wallet_payment_line_at_the_till_gives_it_back(self):
        """The till refunds the whole order, payment line included, without copying the
        reward fields: the payment goes back to the wallet in its split, not out in cash."""
        self._top_up()
        order, card = self._pay_from_wallet(600)
        service_line = order.lines.filtered(lambda line: not line.reward_id)
        payment_line = order.lines - service_line
        refund = self._order_payload(
            self.customer,
            [
                {
                    "product": self.service,
                    "qty": -1,
                    "price": 600,
                    "refunded_orderline_id": service_line.id,
                },
                {
                    "product": self.wallet_reward_product,
                    "qty": -1,
                    "price": -600,
                    "refunded_orderline_id": payment_line.id,
                },
            ],
            paid=0,
        )
        self._sync_as(self.cashier, refund)
        self.assertAlmostEqual(card.points, 1200)
        self.assertAlmostEqual(card.beauty_bonus, 200)

    def test_refund_to_ewallet_sent_as_a_negative_line_is_still_a_credit(self):
        """However the till signs the refund-to-eWallet line (quantity -1 at a negative price
        is +600 paid into the wallet), it is a credit, never a debit."""
        self._top_up()
        order, card = self._pay_from_wallet(600)
        service_line = order.lines.filtered(lambda line: not line.reward_id)
        refund = self._order_payload(
            self.customer,
            [
                {
                    "product": self.service,
                    "qty": -1,
                    "price": 600,
                    "refunded_orderline_id": service_line.id,
                },
                (self.topup_1000, -1, -600),
            ],
        )
        self._sync_as(self.cashier, refund)
        self.assertAlmostEqual(card.points, 1200)
        self.assertAlmostEqual(card.beauty_bonus, 200)

    def test_points_are_taken_back_when_the_sale_is_refunded(self):
        order = self._sync_as(
            self.cashier, self._order_payload(self.customer, [(self.service, 2, 100)])
        )
        card = self._card(self.points)
        self.assertAlmostEqual(card.points, 200)
        line = order.lines
        refund = self._order_payload(
            self.customer,
            [{"product": self.service, "qty": -1, "price": 100, "refunded_orderline_id": line.id}],
        )
        refund_order = self._sync_as(self.cashier, refund)
        self.assertAlmostEqual(card.points, 100)
        self.assertEqual(refund_order.sudo().beauty_card_move_ids.move_type, "earn_reversal")
        # Re-sending the refund takes nothing more.
        refund_order._beauty_apply_card_moves()
        self.assertAlmostEqual(card.points, 100)

    def test_member_number_search_at_the_till(self):
        number = self.customer.beauty_customer_number
        self.assertTrue(number)
        # As the till calls it over RPC: the first argument is the till, not record ids.
        result = call_kw(
            self.env["res.partner"].with_user(self.cashier),
            "get_new_partner",
            [self.config.id, [("name", "ilike", number + "%")], 0],
            {},
        )
        self.assertIn(self.customer.id, [row["id"] for row in result["res.partner"]])


@tagged("post_install", "-at_install")
class TestBackOfficeMoney(MoneyCase):
    def test_plain_writes_on_balances_are_refused_for_every_role(self):
        self._top_up()
        card = self._card()
        points_card = self.env["loyalty.card"].create(
            {"program_id": self.points.id, "partner_id": self.customer.id}
        )
        manager = self.users["manager"]
        manager.group_ids |= self.env.ref("point_of_sale.group_pos_manager")
        for user in (self.cashier, self.pos_manager, manager):
            for vals in (
                {"points": 5000},
                {"beauty_bonus": 0},
                {"partner_id": self.other_customer.id},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaisesRegex(UserError, "Nothing was changed"),
                    self.env.cr.savepoint(),
                ):
                    card.with_user(user).write(vals)
            with (
                self.subTest(user=user.login, vals="program"),
                self.assertRaisesRegex(UserError, "Nothing was changed"),
                self.env.cr.savepoint(),
            ):
                points_card.with_user(user).write({"program_id": self.wallet.id})
        for user in (self.pos_manager, manager):
            with self.assertRaisesRegex(UserError, "Nothing was changed"), self.env.cr.savepoint():
                self.env["loyalty.card"].with_user(user).create(
                    {"program_id": self.wallet.id, "partner_id": self.customer.id, "points": 99}
                )
        self.assertAlmostEqual(card.points, 1200)
        self.assertAlmostEqual(card.beauty_bonus, 200)
        self.assertEqual(card.partner_id, self.customer)

    def test_superuser_code_changing_a_balance_leaves_a_ledger_line(self):
        """Data files and core flows running as superuser are not refused, but their change is
        written in the ledger, so the balance still equals the sum of its ledger."""
        self._top_up()
        card = self._card()
        card.sudo().write({"points": 1300})
        move = card.beauty_move_ids.filtered(lambda m: m.move_type == "adjustment")
        self.assertEqual((move.amount, move.principal, move.bonus), (100, 100, 0))
        opened = (
            self.env["loyalty.card"]
            .sudo()
            .create(
                {"program_id": self.points.id, "partner_id": self.other_customer.id, "points": 40}
            )
        )
        self.assertEqual(opened.beauty_move_ids.amount, 40)

    def test_core_update_balance_wizard_goes_through_the_ledger(self):
        self._top_up()
        card = self._card()
        wizard = (
            self.env["loyalty.card.update.balance"]
            .with_user(self.cashier)
            .create({"card_id": card.id, "new_balance": 5000, "description": "gift"})
        )
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            wizard.action_update_card_point()
        self.assertAlmostEqual(card.points, 1200)
        manager = self.users["manager"]
        manager.group_ids |= self.env.ref("point_of_sale.group_pos_user")
        wizard = (
            self.env["loyalty.card.update.balance"]
            .with_user(manager)
            .create({"card_id": card.id, "new_balance": 1300, "description": "Goodwill"})
        )
        wizard.action_update_card_point()
        self.assertAlmostEqual(card.points, 1300)
        self.assertAlmostEqual(card.beauty_principal, 1000, msg="a correction is never principal")
        move = card.beauty_move_ids.filtered(lambda m: m.move_type == "adjustment")
        self.assertEqual((move.amount, move.note), (100, "Goodwill"))
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["loyalty.card.update.balance"].with_user(manager).create(
                {"card_id": card.id, "new_balance": -1, "description": "x"}
            ).action_update_card_point()

    def test_back_office_refund_gives_the_wallet_payment_back(self):
        self._top_up()
        order, card = self._pay_from_wallet(600)
        self.assertAlmostEqual(card.points, 600)
        refund = order._refund()
        refund.action_pos_order_paid()
        self.assertEqual(refund.state, "paid")
        self.assertAlmostEqual(card.points, 1200)
        self.assertAlmostEqual(card.beauty_bonus, 200)
        back = refund.beauty_card_move_ids.filtered(lambda m: m.card_id == card)
        self.assertEqual((back.move_type, back.principal, back.bonus), ("payment_return", 500, 100))
        # Once only.
        refund._beauty_apply_card_moves()
        self.assertAlmostEqual(card.points, 1200)

    def test_back_office_refund_of_a_topup_takes_it_back(self):
        order = self._top_up()
        card = self._card()
        refund = order._refund()
        self.env["pos.make.payment"].with_context(
            active_id=refund.id, active_ids=refund.ids
        ).create({"payment_method_id": self.cash.id, "amount": -1000}).check()
        self.assertEqual(refund.state, "paid")
        self.assertAlmostEqual(card.points, 0)
        self.assertAlmostEqual(card.beauty_bonus, 0)

    def test_wallet_refund_needs_a_manager(self):
        self._top_up()
        card = self._card()
        with self.assertRaises(AccessError):
            card.with_user(self.users["front_desk"]).action_beauty_refund()
        action = card.with_user(self.users["manager"]).action_beauty_refund()
        self.assertEqual(action["res_model"], "beauty.wallet.refund")

    def test_refunded_principal_is_not_tier_spend(self):
        self._top_up()
        self.assertAlmostEqual(self.customer.beauty_spend_12m, 1000)
        self._card()._beauty_refund_principal(400, "moving away")
        self.customer.invalidate_recordset(["beauty_spend_12m"])
        self.assertAlmostEqual(self.customer.beauty_spend_12m, 600)

    def test_partner_merge_keeps_principal_and_bonus(self):
        self._top_up()
        self._top_up(self.other_customer)
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((self.customer | self.other_customer).ids, self.customer, extra_checks=False)
        card = self._card()
        self.assertAlmostEqual(card.points, 2400)
        self.assertAlmostEqual(card.beauty_bonus, 400)

    def test_store_rules_on_ledger_and_tier_history(self):
        store_b = self.env["res.company"].create({"name": "Store B"})
        self._top_up()
        self.customer.sudo()._beauty_set_tier(self.gold, "manual", "test")
        front_desk_b = new_test_user(
            self.env,
            login="beauty_test_front_desk_b",
            groups="beauty_customer_profile.beauty_customer_profile_group_front_desk",
            company_id=store_b.id,
            company_ids=[Command.set(store_b.ids)],
        )
        self.assertFalse(self.env["beauty.card.move"].with_user(front_desk_b).search([]))
        self.assertFalse(self.env["beauty.tier.history"].with_user(front_desk_b).search([]))
        self.assertTrue(self.env["beauty.card.move"].with_user(self.users["front_desk"]).search([]))

    def test_reconciliation_reports_a_drift(self):
        self._top_up()
        card = self._card()
        self.env.flush_all()
        self.env.cr.execute("UPDATE loyalty_card SET points = points + 50 WHERE id = %s", [card.id])
        Check = self.env["beauty.balance.check"]
        with mute_logger("odoo.addons.beauty_membership.report.beauty_balance_check"):
            drifts = Check._cron_beauty_reconcile()
        self.assertEqual(drifts.card_id, card)
        self.assertAlmostEqual(drifts.difference, 50)
        self.assertEqual(Check.with_user(self.users["manager"]).search([]).card_id, card)
        with self.assertRaises(AccessError):
            Check.with_user(self.users["front_desk"]).search([])
        # Put it right so that the test's own reconciliation passes.
        self.env.cr.execute("UPDATE loyalty_card SET points = points - 50 WHERE id = %s", [card.id])
        self.env.invalidate_all()
