from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.tests import BaseCase, tagged

from odoo.addons.beauty_customer_profile.tests.common import ConcurrentTillsMixin


@tagged("post_install", "-at_install")
class TestConcurrentWallet(ConcurrentTillsMixin, BaseCase):
    """Several tills pay with one wallet at the same moment, each in its own transaction
    on its own cursor: the balance never goes negative and exactly the affordable payments
    pass. Data is committed, and removed at the end."""

    tills = 5

    @classmethod
    def _till_fixtures(cls, env):
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
        return {
            "program": program.id,
            "partner": partner.id,
            "card": card.id,
            "products": tuple(program.reward_ids.discount_line_product_id.ids),
        }

    @classmethod
    def _till_cleanup(cls, env):
        env.cr.execute(
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

    def test_tills_pay_at_once(self):
        def pay(env, _till, _number):
            # The deduction the order sync makes.
            env["loyalty.card"].browse(self.ids["card"])._beauty_debit(30.0, note="till")

        results = self.run_tills(pay, retries=10)
        self.assertEqual(len(results), self.tills)
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

    def test_payment_lock_does_not_wait_for_a_line_pointing_at_the_card(self):
        """A till inserting a POS line or a ledger line that points at the card holds a KEY
        SHARE lock on the card row until it commits; another till paying from the same card
        must not wait for it (FOR UPDATE did, and the two deadlocked on every collision)."""
        first, second = self.till_envs[:2]
        try:
            first.cr.execute(
                "SELECT id FROM loyalty_card WHERE id = %s FOR KEY SHARE", [self.ids["card"]]
            )
            second.cr.execute("SET LOCAL lock_timeout = '2s'")
            card = second["loyalty.card"].browse(self.ids["card"])
            points, _bonus = card._beauty_lock()
            self.assertAlmostEqual(points, 100.0)
        finally:
            first.cr.rollback()
            second.cr.rollback()
