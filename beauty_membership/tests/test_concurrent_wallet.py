import threading

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

TILLS = 5


@tagged("post_install", "-at_install")
class TestConcurrentWallet(BaseCase):
    """Several tills pay with one wallet at the same moment, each in its own transaction
    on its own cursor: the balance never goes negative and exactly the affordable payments
    pass. Data is committed, and removed at the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            program = env["loyalty.program"].create(
                {
                    "name": "Concurrency wallet",
                    "program_type": "ewallet",
                    "trigger": "auto",
                    "applies_on": "future",
                    "rule_ids": [Command.create({"reward_point_mode": "money"})],
                    "reward_ids": [
                        Command.create(
                            {"reward_type": "discount", "discount_mode": "per_point", "discount": 1}
                        )
                    ],
                }
            )
            partner = env["res.partner"].create({"name": "Concurrency customer"})
            card = env["loyalty.card"].create({"program_id": program.id, "partner_id": partner.id})
            card._beauty_credit(80.0, 20.0)
            cls.ids = {
                "program": program.id,
                "partner": partner.id,
                "card": card.id,
                "products": tuple(program.reward_ids.discount_line_product_id.ids),
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
                DELETE FROM beauty_card_move WHERE card_id = %(card)s;
                DELETE FROM loyalty_history WHERE card_id = %(card)s;
                DELETE FROM loyalty_card WHERE id = %(card)s;
                DELETE FROM loyalty_rule WHERE program_id = %(program)s;
                DELETE FROM loyalty_reward WHERE program_id = %(program)s;
                DELETE FROM loyalty_program WHERE id = %(program)s;
                DELETE FROM product_product WHERE id IN %(products)s;
                DELETE FROM res_partner WHERE id = %(partner)s;
                """,
                cls.ids,
            )

    def _pay(self, env, amount, barrier, results):
        """One till: the deduction the order sync makes, retried on a serialization
        failure as Odoo retries an RPC."""
        barrier.wait()
        for _attempt in range(10):
            try:
                env["loyalty.card"].browse(self.ids["card"])._beauty_debit(amount, note="till")
                env.cr.commit()
                results.append(True)
                return
            except SerializationFailure:
                env.cr.rollback()
                env.invalidate_all()
            except UserError:
                env.cr.rollback()
                results.append(False)
                return
        results.append(None)

    @mute_logger("odoo.sql_db")
    def test_tills_pay_at_once(self):
        barrier = threading.Barrier(TILLS)
        results = []
        threads = [
            threading.Thread(target=self._pay, args=(env, 30.0, barrier, results))
            for env in self.envs
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(len(results), TILLS)
        self.assertEqual(results.count(True), 3, "100 pays for three payments of 30")
        self.assertEqual(results.count(False), 2)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            card = env["loyalty.card"].browse(self.ids["card"])
            self.assertAlmostEqual(card.points, 10.0)
            self.assertGreaterEqual(card.beauty_bonus, 0.0)
            payments = card.beauty_move_ids.filtered(lambda m: m.move_type == "payment")
            self.assertEqual(len(payments), 3)
            self.assertAlmostEqual(sum(payments.mapped("amount")), -90.0)
