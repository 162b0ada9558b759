from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon


@tagged("post_install", "-at_install")
class TestCourseCardTour(TestPointOfSaleHttpCommon):
    """At a real till in the browser: a session is redeemed from the customer's course card
    with a therapist, across a reload of the till; the server holds one session less and a
    finished treatment record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The common fixture runs as an accountant; the salon's own records need more.
        env = cls.env(su=True)
        cls.facial = env["product.product"].create(
            {
                "name": "Tour facial",
                "type": "service",
                "list_price": 400,
                "available_in_pos": True,
                "beauty_is_treatment": True,
                "taxes_id": [Command.clear()],
            }
        )
        course = env["product.template"].create(
            {
                "name": "Tour course of ten facials",
                "type": "service",
                "list_price": 3000,
                "beauty_is_package": True,
                "beauty_package_validity_months": 12,
                "beauty_package_line_ids": [
                    Command.create({"product_id": cls.facial.id, "quantity": 10})
                ],
            }
        )
        cls.therapist = env["hr.employee"].create(
            {"name": "Therapist Tour", "beauty_is_therapist": True, "company_id": env.company.id}
        )
        cls.customer = env["res.partner"].create(
            {"name": "Card Customer", "beauty_is_customer": True, "phone": "+86 139 5555 0001"}
        )
        env["beauty.consent"].create({"partner_id": cls.customer.id, "purpose": "health"})
        env["beauty.allergy"].create(
            {
                "partner_id": cls.customer.id,
                "allergen_id": env.ref("beauty_customer_profile.beauty_allergen_fragrance").id,
            }
        )
        cls.card = env["beauty.package.card"]._create_from_template(course, cls.customer, 3000.0)
        cls.card._after_create_log_sale(reason="tour")
        cls.card.line_ids._redeem(5, reason="tour")

    def test_redeem_a_session_at_the_till(self):
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("BeautyCourseCardRedeemTour")
        line = self.card.line_ids
        line.invalidate_recordset()
        self.assertEqual((line.remaining, line.used), (4, 6))
        order = self.env["pos.order"].sudo().search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.lines.beauty_package_card_line_id, line)
        self.assertEqual(order.lines.beauty_therapist_id.id, self.therapist.id)
        move = order.beauty_package_move_ids
        self.assertEqual((move.kind, move.quantity), ("redeem", -1))
        record = move.record_id
        self.assertEqual(record.partner_id, self.customer)
        self.assertEqual(record.treatment_id, self.facial)
        self.assertEqual(record.therapist_id, self.therapist)
        self.assertEqual(record.state, "done")
        self.assertAlmostEqual(record.price, 300.0)
