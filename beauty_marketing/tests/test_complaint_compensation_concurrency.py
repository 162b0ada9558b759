from odoo import SUPERUSER_ID
from odoo.fields import Command
from odoo.tests import BaseCase, tagged

from odoo.addons.beauty_customer_profile.tests.common import ConcurrentTillsMixin

MANAGER = "beauty_customer_profile.beauty_customer_profile_group_manager"


@tagged("post_install", "-at_install")
class TestComplaintCompensationConcurrency(ConcurrentTillsMixin, BaseCase):
    """Two managers (or one double click) compensate the same complaint at the same moment,
    each in its own transaction: the free session is added once, with one ledger line."""

    @classmethod
    def _till_fixtures(cls, env):
        env.ref(MANAGER).write({"user_ids": [Command.link(SUPERUSER_ID)]})
        partner = env["res.partner"].create({"name": "Compensation concurrency customer"})
        product = env["product.product"].create(
            {"name": "Compensation concurrency facial", "type": "service"}
        )
        card = env["beauty.package.card"].create(
            {
                "partner_id": partner.id,
                "line_ids": [
                    Command.create({"product_id": product.id, "total": 5, "remaining": 5})
                ],
            }
        )
        complaint = env["beauty.complaint"].create(
            {
                "name": "Redness after the peel",
                "partner_id": partner.id,
                "compensation_line_id": card.line_ids.id,
                "compensation_sessions": 1,
            }
        )
        return {
            "partner": partner.id,
            "product": product.id,
            "template": product.product_tmpl_id.id,
            "card": card.id,
            "line": card.line_ids.id,
            "complaint": complaint.id,
        }

    @classmethod
    def _till_cleanup(cls, env):
        env.cr.execute(
            """
            DELETE FROM mail_message WHERE model = 'beauty.complaint' AND res_id = %(complaint)s;
            DELETE FROM mail_followers WHERE res_model = 'beauty.complaint'
                                         AND res_id = %(complaint)s;
            DELETE FROM beauty_complaint WHERE id = %(complaint)s;
            DELETE FROM beauty_package_card_move WHERE card_id = %(card)s;
            DELETE FROM beauty_package_card_line WHERE card_id = %(card)s;
            DELETE FROM mail_message WHERE model = 'beauty.package.card' AND res_id = %(card)s;
            DELETE FROM mail_followers WHERE res_model = 'beauty.package.card'
                                         AND res_id = %(card)s;
            DELETE FROM beauty_package_card WHERE id = %(card)s;
            DELETE FROM product_product WHERE id = %(product)s;
            DELETE FROM product_template WHERE id = %(template)s;
            DELETE FROM res_partner WHERE id = %(partner)s;
            """,
            cls.ids,
        )
        env.ref(MANAGER).write({"user_ids": [Command.unlink(SUPERUSER_ID)]})

    def _compensate(self, env, _till, _number):
        env["beauty.complaint"].browse(self.ids["complaint"]).action_add_free_sessions()

    def test_two_managers_compensate_once(self):
        results = self.run_tills(self._compensate)
        self.assertEqual(sorted(results), [False, True])
        self.assertIn("already added", self.till_errors[0])
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT remaining, total FROM beauty_package_card_line WHERE id = %s",
                [self.ids["line"]],
            )
            self.assertEqual(cr.fetchone(), (6, 6))
            cr.execute(
                "SELECT count(*) FROM beauty_package_card_move WHERE card_id = %s "
                "AND kind = 'adjust'",
                [self.ids["card"]],
            )
            self.assertEqual(cr.fetchone()[0], 1)
