"""Phone masking holds on the paths around the customer's own read: group by, pattern
searches, reads and exports from other models, the SMS composer, orders of the till."""

from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.beauty_customer_profile.tests.common import GROUP
from odoo.addons.beauty_treatment.tests.common import MONDAY, TreatmentCase

PHONE = "+86 138 2468 1357"
MASKED = "138****1357"


@tagged("post_install", "-at_install")
class TestMaskingPaths(TreatmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.her = cls._customer("遮蔽路径", phone=PHONE)
        cls.therapist = cls.users["therapist"]
        cls.booking = cls.env["beauty.booking"].create(
            {
                "partner_id": cls.her.id,
                "treatment_ids": [Command.set(cls.facial.ids)],
                "therapist_id": cls.therapist_a.id,
                "start": MONDAY + timedelta(hours=9),
            }
        )

    def test_group_by_a_number_is_refused(self):
        Partner = self.env["res.partner"].with_user(self.therapist)
        for spec in ("phone", "phone_sanitized"):
            with self.subTest(spec=spec), self.assertRaises(UserError):
                Partner.formatted_read_group([("id", "=", self.her.id)], [spec], ["__count"])
        with self.assertRaises(UserError):
            self.env["beauty.booking"].with_user(self.therapist).formatted_read_group(
                [("id", "=", self.booking.id)], ["partner_id.phone"], ["__count"]
            )
        # the front desk sees numbers whole, and may group by them
        groups = (
            self.env["res.partner"]
            .with_user(self.users["front_desk"])
            .formatted_read_group([("id", "=", self.her.id)], ["phone"], ["__count"])
        )
        self.assertEqual(groups[0]["phone"], PHONE)

    def test_a_number_cannot_be_guessed_digit_by_digit(self):
        Partner = self.env["res.partner"].with_user(self.therapist)
        for operator, value in (("=like", "+86 138 2468%"), ("ilike", "2468 1357"), ("like", "8")):
            with self.subTest(operator=operator):
                self.assertFalse(
                    Partner.search_count([("id", "=", self.her.id), ("phone", operator, value)])
                )
        Booking = self.env["beauty.booking"].with_user(self.therapist)
        self.assertFalse(
            Booking.search_count(
                [("id", "=", self.booking.id), ("partner_id.phone", "=like", "+86%")]
            )
        )
        # the customer search on "name or phone" still finds her by name; the complete
        # number still finds her
        self.assertEqual(
            Partner.search(["|", ("name", "ilike", "遮蔽"), ("phone", "ilike", "遮蔽")]), self.her
        )
        self.assertEqual(Partner.search([("phone", "=", PHONE)]), self.her)
        front = self.env["res.partner"].with_user(self.users["front_desk"])
        self.assertEqual(front.search([("phone", "=like", "+86 138 2468%")]), self.her)

    def test_reads_and_exports_from_a_booking_are_masked(self):
        booking = self.booking.with_user(self.therapist)
        values = booking.web_read({"partner_id": {"fields": {"phone": {}}}})[0]
        self.assertEqual(values["partner_id"]["phone"], MASKED)
        data = booking.export_data(["name", "partner_id/phone", "partner_id/phone_sanitized"])
        self.assertEqual(data["datas"][0][1:], [MASKED, MASKED])

    def test_sms_composer_shows_the_number_masked_and_sends_to_the_real_one(self):
        Composer = (
            self.env["sms.composer"]
            .with_user(self.therapist)
            .with_context(
                default_res_model="res.partner",
                default_res_id=self.her.id,
                default_composition_mode="comment",
            )
        )
        spec = {
            "res_model": {},
            "res_id": {},
            "composition_mode": {},
            "recipient_single_number_itf": {},
            "recipient_single_number": {},
            "body": {},
        }
        values = Composer.onchange({}, [], spec)["value"]
        self.assertEqual(values["recipient_single_number_itf"], MASKED)
        composer = Composer.create(
            {"body": "Hello", "recipient_single_number_itf": values["recipient_single_number_itf"]}
        )
        self.assertEqual(
            composer.read(["recipient_single_number_itf"])[0]["recipient_single_number_itf"], MASKED
        )
        self.assertEqual(composer.sudo().recipient_single_number_itf, self.her.phone_sanitized)

    def test_till_order_number_is_masked(self):
        cashier_therapist = new_test_user(
            self.env,
            login="beauty_mask_till_therapist",
            groups=f"{GROUP}therapist,point_of_sale.group_pos_user,base.group_allow_export",
        )
        journal = self.env["account.journal"].create(
            {"name": "Mask till cash", "type": "cash", "code": "MSKC"}
        )
        cash = self.env["pos.payment.method"].create(
            {"name": "Mask till cash", "journal_id": journal.id, "is_cash_count": True}
        )
        till = self.env["pos.config"].create(
            {"name": "Mask till", "payment_method_ids": [Command.set(cash.ids)]}
        )
        till.open_ui()
        order = self.env["pos.order"].create(
            {
                "session_id": till.current_session_id.id,
                "partner_id": self.her.id,
                "amount_total": 0.0,
                "amount_tax": 0.0,
                "amount_paid": 0.0,
                "amount_return": 0.0,
            }
        )
        self.assertTrue(order.mobile)
        mine = order.with_user(cashier_therapist)
        self.assertEqual(mine.read(["mobile"])[0]["mobile"], MASKED)
        self.assertEqual(mine.export_data(["mobile"])["datas"][0][0], MASKED)
        with self.assertRaises(UserError):
            mine.formatted_read_group([("id", "=", order.id)], ["mobile"], ["__count"])
        self.assertFalse(mine.search_count([("id", "=", order.id), ("mobile", "=like", "+86%")]))
