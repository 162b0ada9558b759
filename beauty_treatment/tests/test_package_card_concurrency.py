from odoo.fields import Command
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import BaseCase, tagged
from odoo.tools import mute_logger

from odoo.addons.beauty_customer_profile.tests.common import ConcurrentTillsMixin

from .package_common import pos_order_payload


class CardTillsMixin(ConcurrentTillsMixin):
    """One customer with a 20-facial card line, committed; ``_set_remaining`` puts the
    line back to a number of sessions left with an empty history."""

    @classmethod
    def _till_fixtures(cls, env):
        partner = env["res.partner"].create({"name": "Card concurrency customer"})
        product = env["product.product"].create(
            {"name": "Card concurrency facial", "type": "service", "available_in_pos": True}
        )
        card = env["beauty.package.card"].create(
            {
                "partner_id": partner.id,
                "line_ids": [
                    Command.create({"product_id": product.id, "total": 20, "remaining": 20})
                ],
            }
        )
        return {
            "partner": partner.id,
            "product": product.id,
            "template": product.product_tmpl_id.id,
            "card": card.id,
            "line": card.line_ids.id,
        }

    @classmethod
    def _till_cleanup(cls, env):
        env.cr.execute(
            """
            DELETE FROM beauty_package_card_move WHERE card_id = %(card)s;
            DELETE FROM beauty_package_card_line WHERE card_id = %(card)s;
            DELETE FROM mail_message WHERE model = 'beauty.package.card' AND res_id = %(card)s;
            DELETE FROM beauty_package_card WHERE id = %(card)s;
            DELETE FROM product_product WHERE id = %(product)s;
            DELETE FROM product_template WHERE id = %(template)s;
            DELETE FROM res_partner WHERE id = %(partner)s;
            """,
            cls.ids,
        )

    def _set_remaining(self, remaining):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM beauty_package_card_move WHERE card_id = %s", [self.ids["card"]]
            )
            cr.execute(
                "UPDATE beauty_package_card_line SET total = 20, used = 20 - %s, remaining = %s "
                "WHERE id = %s",
                [remaining, remaining, self.ids["line"]],
            )
            cr.execute(
                "UPDATE beauty_package_card SET state = 'active' WHERE id = %s", [self.ids["card"]]
            )

    def _state(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT remaining, used FROM beauty_package_card_line WHERE id = %s",
                [self.ids["line"]],
            )
            remaining, used = cr.fetchone()
            cr.execute(
                "SELECT count(*), coalesce(sum(quantity), 0) FROM beauty_package_card_move "
                "WHERE card_id = %s AND kind = 'redeem'",
                [self.ids["card"]],
            )
            moves, quantity = cr.fetchone()
        return remaining, used, moves, quantity


@tagged("post_install", "-at_install")
class TestPackageCardConcurrency(CardTillsMixin, BaseCase):
    """Tills redeem sessions of one card line at the same moment, each in its own
    transaction on its own cursor: exactly the sessions left are redeemed and the line
    never goes below zero. Data is committed, and removed at the end."""

    tills = 10

    def _redeem(self, env, _till, _number):
        env["beauty.package.card.line"].browse(self.ids["line"])._redeem(1, reason="till")

    def test_ten_tills_on_the_last_session(self):
        self._set_remaining(1)
        results = self.run_tills(self._redeem)
        self.assertEqual(len(results), self.tills)
        self.assertEqual(results.count(True), 1)
        self.assertEqual(results.count(False), self.tills - 1)
        self.assertEqual(self._state(), (0, 20, 1, -1))

    def test_fifty_redemptions_on_twenty_sessions(self):
        self._set_remaining(20)
        results = self.run_tills(self._redeem, jobs_per_till=5)
        self.assertEqual(len(results), 50)
        self.assertEqual(results.count(True), 20)
        self.assertEqual(results.count(False), 30)
        self.assertEqual(self._state(), (0, 20, 20, -20))


@tagged("post_install", "-at_install")
class TestPackageCardOrderSyncConcurrency(CardTillsMixin, BaseCase):
    """Two tills sync whole paid orders (the RPC a till makes) that each redeem the last
    session of the same card: exactly one order is recorded, the other is refused and
    leaves nothing behind."""

    tills = 2

    @classmethod
    def _till_fixtures(cls, env):
        ids = super()._till_fixtures(env)
        journal = env["account.journal"].create(
            {"name": "Concurrency till cash", "type": "cash", "code": "CCT"}
        )
        cash = env["pos.payment.method"].create(
            {"name": "Concurrency cash", "journal_id": journal.id, "is_cash_count": True}
        )
        config = env["pos.config"].create(
            {"name": "Concurrency till", "payment_method_ids": [Command.set(cash.ids)]}
        )
        config.open_ui()
        return {
            **ids,
            "journal": journal.id,
            "cash": cash.id,
            "config": config.id,
            "session": config.current_session_id.id,
        }

    @classmethod
    def _till_cleanup(cls, env):
        env.cr.execute(
            """
            DELETE FROM beauty_package_card_move WHERE card_id = %(card)s;
            DELETE FROM pos_payment WHERE session_id = %(session)s;
            DELETE FROM pos_order_line WHERE order_id IN
                (SELECT id FROM pos_order WHERE session_id = %(session)s);
            DELETE FROM pos_order WHERE session_id = %(session)s;
            DELETE FROM pos_session WHERE id = %(session)s;
            """,
            cls.ids,
        )
        config = env["pos.config"].browse(cls.ids["config"])
        config.unlink()
        env["pos.payment.method"].browse(cls.ids["cash"]).unlink()
        env["account.journal"].browse(cls.ids["journal"]).unlink()
        return super()._till_cleanup(env)

    def _sync(self, env, till, _number):
        config = env["pos.config"].browse(self.ids["config"])
        line = env["beauty.package.card.line"].browse(self.ids["line"])
        payload = pos_order_payload(
            config,
            env["pos.payment.method"].browse(self.ids["cash"]),
            line.card_id.partner_id,
            [
                {
                    "product": line.product_id,
                    "qty": 1,
                    "price": 0.0,
                    "beauty_package_card_line_id": line.id,
                    "note": f"till {till}",
                }
            ],
            user_id=env.uid,
        )
        env["pos.order"].sync_from_ui([payload])

    def test_two_tills_sync_orders_on_the_last_session(self):
        self._set_remaining(1)
        results = self.run_tills(self._sync)
        self.assertEqual(sorted(results), [False, True])
        self.assertEqual(self._state(), (0, 20, 1, -1))
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*), count(*) FILTER (WHERE state = 'paid') FROM pos_order "
                "WHERE session_id = %s",
                [self.ids["session"]],
            )
            self.assertEqual(cr.fetchone(), (1, 1), "the refused order left nothing behind")
            cr.execute("SELECT state FROM beauty_package_card WHERE id = %s", [self.ids["card"]])
            self.assertEqual(cr.fetchone()[0], "used_up")


@tagged("post_install", "-at_install")
class TestPackageCardAddWhileRedeeming(CardTillsMixin, BaseCase):
    """A manager adds a free session to a used-up line of a card while a till redeems the
    last session of its other line: the till does not close the card as used up on a
    snapshot taken before the session was added."""

    @classmethod
    def _till_fixtures(cls, env):
        ids = super()._till_fixtures(env)
        card = env["beauty.package.card"].browse(ids["card"])
        card.line_ids = [Command.create({"product_id": ids["product"], "total": 1, "remaining": 1})]
        ids["other_line"] = (card.line_ids - card.line_ids.browse(ids["line"])).id
        return ids

    def test_free_session_added_while_the_last_other_session_is_redeemed(self):
        self._set_remaining(0)
        manager_env, till_env = self.till_envs
        till_env.cr.rollback()
        till_env.cr.execute("SELECT 1")  # the till's transaction has begun
        manager_env["beauty.package.card.line"].browse(self.ids["line"])._add_sessions(
            1, reason="complaint"
        )
        manager_env.cr.commit()
        for _attempt in range(5):
            till_env.invalidate_all()
            try:
                with mute_logger("odoo.sql_db"):
                    till_env["beauty.package.card.line"].browse(self.ids["other_line"])._redeem(
                        1, reason="till"
                    )
                till_env.cr.commit()
                break
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                till_env.cr.rollback()
        else:
            self.fail("the till never redeemed")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT card.state, line.remaining FROM beauty_package_card card "
                "JOIN beauty_package_card_line line ON line.card_id = card.id "
                "WHERE card.id = %s ORDER BY line.id",
                [self.ids["card"]],
            )
            self.assertEqual(cr.fetchall(), [("active", 1), ("active", 0)])


@tagged("post_install", "-at_install")
class TestPackageCardRefundConcurrency(CardTillsMixin, BaseCase):
    """Two tills refund the same redemption at the same moment, each on its own cursor:
    the session comes back once; and a refund on one card line while another till redeems
    the last session of the other line leaves the card active, never used up with a
    session on it."""

    @classmethod
    def _till_fixtures(cls, env):
        ids = super()._till_fixtures(env)
        card = env["beauty.package.card"].browse(ids["card"])
        card.line_ids = [Command.create({"product_id": ids["product"], "total": 1, "remaining": 1})]
        ids["other_line"] = (card.line_ids - card.line_ids.browse(ids["line"])).id
        return ids

    def _seed(self):
        """Line: 20 sessions, all used, the last one by its own redemption (returned);
        other line: one session left. The history agrees with the lines."""
        self._set_remaining(0)
        with self.registry.cursor() as cr:
            env = self.till_envs[0](cr=cr)
            cr.execute(
                "UPDATE beauty_package_card_line SET total = 1, used = 0, remaining = 1 "
                "WHERE id = %s",
                [self.ids["other_line"]],
            )
            Move = env["beauty.package.card.move"]
            Move.create(
                [
                    {"card_line_id": self.ids["line"], "quantity": 20, "kind": "sale"},
                    {"card_line_id": self.ids["other_line"], "quantity": 1, "kind": "sale"},
                    {"card_line_id": self.ids["line"], "quantity": -19, "kind": "redeem"},
                    {"card_line_id": self.ids["line"], "quantity": -1, "kind": "redeem"},
                ]
            )
            cr.execute(
                "SELECT id FROM beauty_package_card_move WHERE card_line_id = %s "
                "AND kind = 'redeem' AND quantity = -1",
                [self.ids["line"]],
            )
            return cr.fetchone()[0]

    def _restore(self, env, move_id):
        line = env["beauty.package.card.line"].browse(self.ids["line"])
        line._restore(1, env["beauty.package.card.move"].browse(move_id), line.card_id.partner_id)

    def _lines(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT card.state, line.remaining, line.used FROM beauty_package_card card "
                "JOIN beauty_package_card_line line ON line.card_id = card.id "
                "WHERE card.id = %s ORDER BY line.id",
                [self.ids["card"]],
            )
            rows = cr.fetchall()
            cr.execute(
                "SELECT count(*) FROM beauty_package_card_move WHERE card_id = %s "
                "AND kind = 'refund_pos'",
                [self.ids["card"]],
            )
            return rows, cr.fetchone()[0]

    def test_two_tills_refund_the_same_redemption(self):
        move_id = self._seed()
        results = self.run_tills(lambda env, _till, _number: self._restore(env, move_id))
        self.assertEqual(sorted(results), [False, True], self.till_errors)
        self.assertIn("Only 0 session", self.till_errors[0])
        self.assertEqual(self._lines(), ([("active", 1, 19), ("active", 1, 0)], 1))

    def test_refund_while_the_last_session_of_the_other_line_is_redeemed(self):
        move_id = self._seed()
        refund_env, till_env = self.till_envs
        till_env.cr.rollback()
        till_env.cr.execute("SELECT 1")  # the till's transaction has begun
        try:
            self._restore(refund_env, move_id)
            refund_env.cr.commit()
            for _attempt in range(5):
                till_env.invalidate_all()
                try:
                    with mute_logger("odoo.sql_db"):
                        till_env["beauty.package.card.line"].browse(self.ids["other_line"])._redeem(
                            1, reason="till"
                        )
                    till_env.cr.commit()
                    break
                except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                    till_env.cr.rollback()
            else:
                self.fail("the till never redeemed")
        finally:
            refund_env.cr.rollback()
            till_env.cr.rollback()
        self.assertEqual(self._lines(), ([("active", 1, 19), ("active", 0, 1)], 1))
