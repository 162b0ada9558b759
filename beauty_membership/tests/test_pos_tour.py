from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon


@tagged("post_install", "-at_install")
class TestPosWalletTour(TestPointOfSaleHttpCommon):
    """At a real till in the browser: part of an order is paid with stored value, and the
    server holds the new balance, spent from principal and bonus."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The common fixture runs as an accountant; the salon's own records need more.
        env = cls.env(su=True)
        env["loyalty.program"].search([]).write({"active": False})
        cls.serum = env["product.product"].create(
            {
                "name": "Beauty serum",
                "type": "consu",
                "list_price": 300,
                "available_in_pos": True,
                "taxes_id": [Command.clear()],
            }
        )
        payment_product = env["product.product"].create(
            {"name": "Stored value payment", "type": "service", "taxes_id": [Command.clear()]}
        )
        topup = env["product.product"].create(
            {"name": "Top-up 100", "type": "service", "list_price": 100, "available_in_pos": True}
        )
        cls.wallet = env["loyalty.program"].create(
            {
                "name": "Stored value",
                "program_type": "ewallet",
                "trigger": "auto",
                "applies_on": "future",
                "pos_ok": True,
                "rule_ids": [
                    Command.create(
                        {
                            "reward_point_mode": "unit",
                            "reward_point_amount": 120,
                            "product_ids": [Command.set(topup.ids)],
                        }
                    )
                ],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "per_point",
                            "discount": 1,
                            "discount_applicability": "order",
                            "required_points": 1,
                            "discount_line_product_id": payment_product.id,
                        }
                    )
                ],
            }
        )
        gold = env["beauty.member.tier"].create({"name": "Gold", "sequence": 1})
        cls.customer = env["res.partner"].create(
            {"name": "Wallet Customer", "beauty_is_customer": True, "phone": "+86 139 1234 5678"}
        )
        cls.customer._beauty_set_tier(gold, "manual", "tour")
        cls.card = env["loyalty.card"].create(
            {"program_id": cls.wallet.id, "partner_id": cls.customer.id}
        )
        cls.card._beauty_credit(100.0, 20.0)

    def test_pay_part_with_stored_value(self):
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("BeautyWalletPartialPaymentTour")
        self.card.invalidate_recordset()
        self.assertAlmostEqual(self.card.points, 0.0)
        self.assertAlmostEqual(self.card.beauty_bonus, 0.0)
        order = self.env["pos.order"].sudo().search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(order), 1)
        self.assertAlmostEqual(order.amount_total, 180.0)
        payment = order.beauty_card_move_ids
        self.assertEqual(
            (payment.move_type, payment.amount, payment.principal, payment.bonus),
            ("payment", -120.0, -100.0, -20.0),
        )
        self.customer.invalidate_recordset()
        self.assertAlmostEqual(self.customer.beauty_wallet_balance, 0.0)
