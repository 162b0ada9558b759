"""Fixtures of the membership tests: tiers, a POS till with an open session, programs for
points and stored value, and a builder for the order payload a till sends."""

import uuid

from odoo import fields
from odoo.fields import Command

from odoo.addons.beauty_customer_profile.tests.common import BeautyCase


class MembershipCase(BeautyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["beauty.member.tier"].search([]).active = False
        env["loyalty.program"].search([]).active = False
        Tier = env["beauty.member.tier"]
        cls.pricelist_vip = env["product.pricelist"].create({"name": "VIP prices"})
        cls.vip = Tier.create(
            {
                "name": "VIP",
                "sequence": 1,
                "min_spend": 30000,
                "points_multiplier": 2,
                "birthday_multiplier": 2,
                "pricelist_id": cls.pricelist_vip.id,
                "grace_days": 30,
            }
        )
        cls.gold = Tier.create(
            {"name": "Gold", "sequence": 2, "min_spend": 10000, "min_visits": 20}
        )
        cls.gold.points_multiplier = 1.5
        cls.silver = Tier.create(
            {"name": "Silver", "sequence": 3, "min_spend": 3000, "min_points": 5000}
        )
        cls.regular = Tier.create({"name": "Regular", "sequence": 4})

        cls.service = env["product.product"].create(
            {"name": "Hydrating facial", "type": "service", "list_price": 100, "taxes_id": False}
        )
        cls.topup_1000 = env["product.product"].create(
            {
                "name": "Top-up 1000 get 1200",
                "type": "service",
                "list_price": 1000,
                "taxes_id": False,
            }
        )
        cls.wallet_reward_product = env["product.product"].create(
            {"name": "Stored value payment", "type": "service", "list_price": 0, "taxes_id": False}
        )
        cls.wallet = env["loyalty.program"].create(
            {
                "name": "Stored value",
                "program_type": "ewallet",
                "trigger": "auto",
                "applies_on": "future",
                "rule_ids": [
                    Command.create(
                        {
                            "reward_point_mode": "unit",
                            "reward_point_amount": 1200,
                            "product_ids": [Command.set(cls.topup_1000.ids)],
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
                            "discount_line_product_id": cls.wallet_reward_product.id,
                        }
                    )
                ],
            }
        )
        cls.points = env["loyalty.program"].create(
            {
                "name": "Member points",
                "program_type": "loyalty",
                "applies_on": "both",
                "trigger": "auto",
                "rule_ids": [
                    Command.create({"reward_point_mode": "money", "reward_point_amount": 1})
                ],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "per_point",
                            "discount": 0.01,
                            "required_points": 100,
                        }
                    )
                ],
            }
        )

    @classmethod
    def _open_till(cls, name="Beauty till"):
        env = cls.env
        journal = env["account.journal"].create(
            {"name": f"{name} cash", "type": "cash", "code": f"B{len(name):02d}{name[-1]}"}
        )
        cash = env["pos.payment.method"].create(
            {"name": f"{name} cash", "journal_id": journal.id, "is_cash_count": True}
        )
        config = env["pos.config"].create(
            {"name": name, "payment_method_ids": [Command.set(cash.ids)]}
        )
        config.open_ui()
        return config, cash

    def _order_payload(self, partner, lines, paid=None, order_uuid=None, date=None):
        """The dict a till sends for a paid order. ``lines`` holds (product, qty, price) or
        dicts of extra line values (reward lines)."""
        line_cmds = []
        total = 0.0
        for line in lines:
            if isinstance(line, dict):
                vals = dict(line)
                product, qty, price = vals.pop("product"), vals.pop("qty"), vals.pop("price")
            else:
                (product, qty, price), vals = line, {}
            subtotal = qty * price
            total += subtotal
            line_cmds.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "qty": qty,
                        "price_unit": price,
                        "price_subtotal": subtotal,
                        "price_subtotal_incl": subtotal,
                        "tax_ids": [],
                        "uuid": vals.pop("uuid", None) or str(uuid.uuid4()),
                        **vals,
                    }
                )
            )
        paid = total if paid is None else paid
        order_uuid = order_uuid or str(uuid.uuid4())
        return {
            "uuid": order_uuid,
            "name": f"Order {order_uuid[:8]}",
            "session_id": self.config.current_session_id.id,
            "partner_id": partner.id if partner else False,
            "date_order": fields.Datetime.to_string(date or fields.Datetime.now()),
            "pricelist_id": self.config.pricelist_id.id,
            "fiscal_position_id": False,
            "amount_total": total,
            "amount_tax": 0.0,
            "amount_paid": paid,
            "amount_return": 0.0,
            "lines": line_cmds,
            "payment_ids": [
                Command.create(
                    {
                        "amount": paid,
                        "payment_method_id": self.cash.id,
                        "name": fields.Datetime.now(),
                    }
                )
            ]
            if paid
            else [],
            "state": "paid",
            "user_id": self.env.uid,
            "last_order_preparation_change": "{}",
        }

    def _sync(self, payload):
        result = self.env["pos.order"].sync_from_ui([payload])
        return self.env["pos.order"].browse(result["pos.order"][0]["id"])

    def _wallet_line(self, card, amount):
        reward = self.wallet.reward_ids
        return {
            "product": self.wallet_reward_product,
            "qty": 1,
            "price": -amount,
            "reward_id": reward.id,
            "coupon_id": card.id,
            "is_reward_line": True,
            "points_cost": amount,
            "reward_identifier_code": str(uuid.uuid4())[:8],
        }
