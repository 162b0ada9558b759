from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TreatmentCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestCommission(TreatmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["beauty.commission.rule"]
        cls.rule_all = Rule.create({"amount_type": "percentage", "amount": 10, "sequence": 50})
        cls.rule_face = Rule.create(
            {"categ_id": cls.categ_face.id, "amount_type": "percentage", "amount": 12.5}
        )
        cls.rule_facial_fixed = Rule.create(
            {"product_tmpl_id": cls.facial.product_tmpl_id.id, "amount_type": "fixed", "amount": 35}
        )
        cls.rule_facial_junior = Rule.create(
            {
                "product_tmpl_id": cls.facial.product_tmpl_id.id,
                "therapist_level": "junior",
                "amount_type": "fixed",
                "amount": 20,
            }
        )
        cls.massage = cls._treatment(
            "Massage",
            duration=1.0,
            cycle=7,
            price=260.0,
            categ=cls.env["product.category"].create({"name": "Body care"}),
        )

    def _finish(self, treatment, therapist, price=None):
        vals = {
            "partner_id": self.customer.id,
            "treatment_id": treatment.id,
            "therapist_id": therapist.id,
            "line_ids": [Command.clear()],
        }
        if price is not None:
            vals["price"] = price
        record = self.env["beauty.treatment.record"].with_user(self.users["therapist"]).create(vals)
        record.action_done()
        return self.env["beauty.commission.line"].search([("record_id", "=", record.id)])

    def test_fixed_amount_per_treatment(self):
        line = self._finish(self.facial, self.therapist_a)
        self.assertEqual(line.rule_id, self.rule_facial_fixed)
        self.assertEqual(line.amount, 35.0)
        self.assertEqual(line.base_amount, 400.0)
        self.assertEqual(line.employee_id, self.therapist_a)

    def test_level_specific_rule_wins(self):
        line = self._finish(self.facial, self.therapist_b)
        self.assertEqual(line.rule_id, self.rule_facial_junior)
        self.assertEqual(line.amount, 20.0)

    def test_percentage_of_category_including_subcategories(self):
        # The peel sits in a sub-category of face care.
        line = self._finish(self.peel, self.therapist_a, price=0.0)
        self.assertEqual(line.amount, 0.0)
        line = self._finish(self.peel, self.therapist_b, price=699.99)
        self.assertEqual(line.rule_id, self.rule_face)
        self.assertAlmostEqual(line.amount, 87.5, places=2)  # 12.5 % of 699.99, rounded

    def test_catch_all_percentage(self):
        line = self._finish(self.massage, self.therapist_a)
        self.assertEqual(line.rule_id, self.rule_all)
        self.assertEqual(line.amount, 26.0)

    def test_deeper_category_wins(self):
        deep = self.env["beauty.commission.rule"].create(
            {"categ_id": self.categ_face_deep.id, "amount_type": "fixed", "amount": 99}
        )
        line = self._finish(self.peel, self.therapist_a)
        self.assertEqual(line.rule_id, deep)
        self.assertEqual(line.amount, 99.0)

    def test_no_rule_no_line(self):
        (self.rule_all | self.rule_face).active = False
        self.assertFalse(self._finish(self.peel, self.therapist_a))

    def test_only_manager_sees_commission(self):
        line = self._finish(self.facial, self.therapist_a)
        manager = self.users["manager"]
        self.assertEqual(line.with_user(manager).read(["amount"])[0]["amount"], 35.0)
        for role in ("front_desk", "therapist", "clinician"):
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    self.env["beauty.commission.line"].with_user(self.users[role]).search([])
                with self.assertRaises(AccessError):
                    self.env["beauty.commission.rule"].with_user(self.users[role]).search([])
        record = line.record_id.with_user(self.users["therapist"])
        with self.assertRaises(AccessError):
            record.read(["commission_line_ids"])

    def test_report_sums_services_revenue_commission_rating(self):
        self._finish(self.facial, self.therapist_a)
        self._finish(self.massage, self.therapist_a)
        records = self.env["beauty.treatment.record"].search(
            [("therapist_id", "=", self.therapist_a.id)]
        )
        records.sudo().write({"rating": "4"})
        records[:1].sudo().write({"rating": "2"})
        # The customer comes back within the rebooking window: both services count as rebooked.
        self._book(datetime(2026, 3, 9, 10, 0))
        self.env.flush_all()
        Report = self.env["beauty.treatment.report"].with_user(self.users["manager"])
        [(services, revenue, commission, rating, rebooked)] = Report._read_group(
            [("therapist_id", "=", self.therapist_a.id)],
            [],
            [
                "service_count:sum",
                "revenue:sum",
                "commission:sum",
                "rating:avg",
                "rebooked_count:sum",
            ],
        )
        self.assertEqual(services, 2)
        self.assertEqual(revenue, 660.0)
        self.assertEqual(commission, 61.0)
        self.assertEqual(rating, 3.0)
        self.assertEqual(rebooked, 2)
        with self.assertRaises(AccessError):
            self.env["beauty.treatment.report"].with_user(self.users["clinician"]).search([])
