"""Fixtures of the package card tests: a 10-facial course card sold at a POS till with an
open session, and a builder for the paid order a till sends."""

import uuid

from odoo import fields
from odoo.fields import Command

from .common import TreatmentCase


def pos_order_payload(config, cash, partner, lines, order_uuid=None, user_id=False):
    """A paid order as a till of ``config`` sends it, paid in ``cash``; ``lines`` are dicts
    with product, qty, price and extra line values."""
    commands, total = [], 0.0
    for line in lines:
        vals = dict(line)
        product, qty, price = vals.pop("product"), vals.pop("qty"), vals.pop("price")
        total += qty * price
        commands.append(
            Command.create(
                {
                    "product_id": product.id,
                    "qty": qty,
                    "price_unit": price,
                    "price_subtotal": qty * price,
                    "price_subtotal_incl": qty * price,
                    "tax_ids": [],
                    "uuid": vals.pop("uuid", None) or str(uuid.uuid4()),
                    **vals,
                }
            )
        )
    order_uuid = order_uuid or str(uuid.uuid4())
    return {
        "uuid": order_uuid,
        "name": f"Order {order_uuid[:8]}",
        "session_id": config.current_session_id.id,
        "partner_id": partner.id,
        "date_order": fields.Datetime.to_string(fields.Datetime.now()),
        "pricelist_id": config.pricelist_id.id,
        "fiscal_position_id": False,
        "amount_total": total,
        "amount_tax": 0.0,
        "amount_paid": total,
        "amount_return": 0.0,
        "lines": commands,
        "payment_ids": [
            Command.create(
                {"amount": total, "payment_method_id": cash.id, "name": fields.Datetime.now()}
            )
        ],
        "state": "paid",
        "user_id": user_id,
        "last_order_preparation_change": "{}",
    }


class PackageCase(TreatmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls._set_stock(cls.mask, 100.0)
        cls.course = env["product.template"].create(
            {
                "name": "Ten hydrating facials",
                "type": "service",
                "list_price": 3000.0,
                "taxes_id": False,
                "beauty_is_package": True,
                "beauty_package_validity_months": 12,
                "beauty_package_completion_months": 6,
                "beauty_package_line_ids": [
                    Command.create({"product_id": cls.facial.id, "quantity": 10})
                ],
            }
        )
        cls.facial.taxes_id = False
        journal = env["account.journal"].create(
            {"name": "Card till cash", "type": "cash", "code": "PKC"}
        )
        cls.cash = env["pos.payment.method"].create(
            {"name": "Card till cash", "journal_id": journal.id, "is_cash_count": True}
        )
        cls.config = env["pos.config"].create(
            {"name": "Card till", "payment_method_ids": [Command.set(cls.cash.ids)]}
        )
        cls.config.open_ui()

    def _payload(self, partner, lines, order_uuid=None):
        return pos_order_payload(
            self.config, self.cash, partner, lines, order_uuid=order_uuid, user_id=self.env.uid
        )

    def _sync(self, payload):
        result = self.env["pos.order"].sync_from_ui([payload])
        return self.env["pos.order"].browse(result["pos.order"][0]["id"])

    def _sell_card(self, partner=None, price=3000.0):
        partner = partner or self.customer
        order = self._sync(
            self._payload(
                partner, [{"product": self.course.product_variant_id, "qty": 1, "price": price}]
            )
        )
        return order, self.env["beauty.package.card"].search(
            [("pos_order_line_uuid", "=", order.lines.uuid)]
        )

    def _redeem_payload(self, card_line, qty=1, therapist=None, partner=None):
        return self._payload(
            partner or card_line.card_id.partner_id,
            [
                {
                    "product": card_line.product_id,
                    "qty": qty,
                    "price": 0.0,
                    "beauty_package_card_line_id": card_line.id,
                    "beauty_therapist_id": therapist.id if therapist else False,
                }
            ],
        )
