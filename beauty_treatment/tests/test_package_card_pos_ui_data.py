from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .package_common import PackageCase


@tagged("post_install", "-at_install")
class TestPackageCardPosData(PackageCase):
    """What a till loads of package cards and therapists, as a cashier with no salon role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cashier = new_test_user(
            cls.env,
            login="beauty_test_cashier",
            groups="base.group_user,point_of_sale.group_pos_user",
        )

    def _load(self, user=None):
        session = self.config.current_session_id.with_user(user or self.cashier)
        return session.load_data(["beauty.package.card.line", "hr.employee.public"])

    def test_till_loads_active_card_lines_and_therapists(self):
        _order, card = self._sell_card()
        _order, used_up = self._sell_card()
        used_up.line_ids._redeem(10)
        data = self._load()
        [line] = [
            row
            for row in data["beauty.package.card.line"]
            if row["id"] in (card | used_up).line_ids.ids
        ]
        self.assertEqual(line["id"], card.line_ids.id)
        self.assertEqual(
            (line["remaining"], line["total"], line["card_number"], line["card_state"]),
            (10, 10, card.number, "active"),
        )
        self.assertEqual(line["partner_id"], self.customer.id)
        self.assertEqual(line["product_id"], self.facial.id)
        therapists = {row["id"]: row["name"] for row in data["hr.employee.public"]}
        self.assertEqual(therapists[self.therapist_a.id], "Therapist Anna")
        self.assertEqual(set(data["hr.employee.public"][0]), {"id", "name"})
        params = self.config.current_session_id.with_user(self.cashier).load_data_params()
        self.assertIn("beauty_health_alert", params["res.partner"]["fields"])
        self.assertIn("beauty_package_card_line_id", params["pos.order.line"]["fields"])
        self.assertIn("beauty_therapist_id", params["pos.order.line"]["fields"])

    def test_till_loads_the_cards_of_the_customers_it_loads_only(self):
        _order, card = self._sell_card()
        company = self._customer("美丽公司", is_company=True)
        contact = self._customer("王芳", parent_id=company.id)
        _order, company_card = self._sell_card(partner=company)
        other = self._customer("张敏")
        _order, other_card = self._sell_card(partner=other)
        Line = self.env["beauty.package.card.line"].with_user(self.cashier)
        data = {"res.partner": [{"id": self.customer.id}, {"id": contact.id}]}
        loaded = {row["id"] for row in Line._load_pos_data_search_read(data, self.config)}
        self.assertEqual(loaded, set((card | company_card).line_ids.ids))
        # The other customer's card comes when the cashier chooses her.
        result = Line.get_beauty_pos_cards(other.id, self.config.id)
        self.assertEqual(
            [row["id"] for row in result["beauty.package.card.line"]], other_card.line_ids.ids
        )

    def test_cards_of_a_customer_on_demand(self):
        _order, card = self._sell_card()
        other = self._customer("张敏")
        self._sell_card(partner=other)
        card.line_ids._redeem(3)
        Line = self.env["beauty.package.card.line"].with_user(self.cashier)
        result = Line.get_beauty_pos_cards(self.customer.id, self.config.id)
        [row] = result["beauty.package.card.line"]
        self.assertEqual((row["id"], row["remaining"]), (card.line_ids.id, 7))
        with self.assertRaises(AccessError):
            Line.with_user(self.users["therapist"]).get_beauty_pos_cards(
                self.customer.id, self.config.id
            )

    def test_refund_of_an_unused_card_cancels_it(self):
        order, card = self._sell_card()
        refund = self._payload(
            self.customer,
            [
                {
                    "product": self.course.product_variant_id,
                    "qty": -1,
                    "price": 3000.0,
                    "refunded_orderline_id": order.lines.id,
                }
            ],
        )
        self._sync(refund)
        self.assertEqual(card.state, "cancelled")
        self.assertEqual(card.line_ids.remaining, 0)
        self.assertEqual(card.refund_amount, 3000.0)
        closing = card.move_ids.filtered(lambda move: move.kind == "refund")
        self.assertEqual(closing.quantity, -10)
        self.assertEqual(closing.pos_order_id.uuid, refund["uuid"])
        # Pushed again, the refund changes nothing.
        self._sync(refund)
        closing.pos_order_id._process_saved_order(False)
        self.assertEqual(len(card.move_ids.filtered(lambda move: move.kind == "refund")), 1)

    def test_refund_of_part_of_a_card_sale_is_refused_plainly(self):
        order = self._sync(
            self._payload(
                self.customer,
                [{"product": self.course.product_variant_id, "qty": 2, "price": 3000.0}],
            )
        )
        refund = self._payload(
            self.customer,
            [
                {
                    "product": self.course.product_variant_id,
                    "qty": -1,
                    "price": 3000.0,
                    "refunded_orderline_id": order.lines.id,
                }
            ],
        )
        with self.assertRaisesRegex(
            UserError, r"refunded whole: refund the full quantity sold \(2\)"
        ):
            self._sync(refund)

    def test_refund_of_a_used_card_is_refused(self):
        order, card = self._sell_card()
        self._sync(self._redeem_payload(card.line_ids))
        refund = self._payload(
            self.customer,
            [
                {
                    "product": self.course.product_variant_id,
                    "qty": -1,
                    "price": 3000.0,
                    "refunded_orderline_id": order.lines.id,
                }
            ],
        )
        with self.assertRaisesRegex(UserError, "has used sessions"):
            self._sync(refund)
        self.assertEqual(card.state, "active")
        self.assertEqual(card.line_ids.remaining, 9)

    def test_consumption_commission_on_the_card_value(self):
        self.env["beauty.commission.rule"].create(
            {
                "product_tmpl_id": self.facial.product_tmpl_id.id,
                "amount_type": "percentage",
                "amount": 10,
            }
        )
        # 3000 paid for ten facials listed at 400: a session is worth 300.
        _order, card = self._sell_card()
        order = self._sync(self._redeem_payload(card.line_ids, therapist=self.therapist_a))
        record = order.beauty_package_move_ids.record_id
        self.assertEqual(record.price, 300.0)
        commission = self.env["beauty.commission.line"].search([("record_id", "=", record.id)])
        self.assertEqual((commission.base_amount, commission.amount), (300.0, 30.0))

    def _queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_redemption_adds_few_queries_to_the_order_sync(self):
        _order, card = self._sell_card()

        def sync(redeem):
            if redeem:
                payload = self._redeem_payload(card.line_ids)
            else:
                payload = self._payload(
                    self.customer, [{"product": self.facial, "qty": 1, "price": 0.0}]
                )
            return self._queries(lambda: self._sync(payload))

        sync(True), sync(False)  # warm-up
        redeem, plain = sync(True), sync(False)
        self.assertLessEqual(redeem - plain, 8)

    def test_cards_on_demand_in_constant_queries(self):
        Line = self.env["beauty.package.card.line"].with_user(self.cashier)
        other = self._customer("张敏")
        self._sell_card()
        for _card in range(5):
            self._sell_card(partner=other)
        counts = [
            self._queries(
                lambda partner=partner: Line.get_beauty_pos_cards(partner.id, self.config.id)
            )
            for partner in (self.customer, other, self.customer, other)
        ]
        # The first call also flushes what selling the cards left to write.
        self.assertEqual(counts[2], counts[3], counts)
