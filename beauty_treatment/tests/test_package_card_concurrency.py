import threading
import time

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

TILLS = 10


@tagged("post_install", "-at_install")
class TestPackageCardConcurrency(BaseCase):
    """Tills redeem sessions of one card line at the same moment, each in its own
    transaction on its own cursor: exactly the sessions left are redeemed and the line
    never goes below zero. Data is committed, and removed at the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Card concurrency customer"})
            product = env["product.product"].create(
                {"name": "Card concurrency facial", "type": "service"}
            )
            card = env["beauty.package.card"].create(
                {
                    "partner_id": partner.id,
                    "line_ids": [
                        Command.create({"product_id": product.id, "total": 20, "remaining": 20})
                    ],
                }
            )
            cls.ids = {
                "partner": partner.id,
                "product": product.id,
                "template": product.product_tmpl_id.id,
                "card": card.id,
                "line": card.line_ids.id,
            }
        cls.envs = [
            api.Environment(cls.registry.cursor(), SUPERUSER_ID, {}) for _till in range(TILLS)
        ]
        cls.addClassCleanup(cls._cleanup)

    @classmethod
    def _cleanup(cls):
        for env in cls.envs:
            env.cr.close()
        with cls.registry.cursor() as cr:
            cr.execute(
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

    def _till(self, env, attempts, barrier, results):
        """One till: redeems one session per order, retried on a serialization failure
        as Odoo retries an RPC."""
        barrier.wait()
        for _order in range(attempts):
            for _retry in range(100):
                try:
                    env.invalidate_all()
                    line = env["beauty.package.card.line"].browse(self.ids["line"])
                    line._redeem(1, reason="till")
                    env.cr.commit()
                    results.append(True)
                    break
                except SerializationFailure:
                    env.cr.rollback()
                    time.sleep(0.01)
                except UserError:
                    env.cr.rollback()
                    results.append(False)
                    break
            else:
                env.cr.rollback()
                results.append(None)

    def _run(self, attempts_per_till):
        barrier = threading.Barrier(TILLS)
        results = []
        threads = [
            threading.Thread(target=self._till, args=(env, attempts_per_till, barrier, results))
            for env in self.envs
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return results

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

    @mute_logger("odoo.sql_db")
    def test_ten_tills_on_the_last_session(self):
        self._set_remaining(1)
        results = self._run(1)
        self.assertEqual(len(results), TILLS)
        self.assertEqual(results.count(True), 1)
        self.assertEqual(results.count(False), TILLS - 1)
        self.assertEqual(self._state(), (0, 20, 1, -1))

    @mute_logger("odoo.sql_db")
    def test_fifty_redemptions_on_twenty_sessions(self):
        self._set_remaining(20)
        results = self._run(5)
        self.assertEqual(len(results), 50)
        self.assertEqual(results.count(True), 20)
        self.assertEqual(results.count(False), 30)
        self.assertEqual(self._state(), (0, 20, 20, -20))
