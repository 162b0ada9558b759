"""The safety gate as the least-privileged users of two stores, through the calls the web
client makes (the booking form's onchange): it runs for what the user may see, inside her
stores; staff below therapist learn one verdict per booking; every verdict is logged."""

from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.beauty_customer_profile.tests.common import GROUP

from .common import TreatmentCase

SLOT = datetime(2026, 3, 2, 10, 0)
SPEC = {
    "partner_id": {"fields": {"display_name": {}}},
    "treatment_ids": {"fields": {"display_name": {}}},
    "gate_verdict": {},
    "gate_state": {},
}


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01 09:00:00")
class TestGateStores(TreatmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.store_b = env["res.company"].create(
            {"name": "Store B", "country_id": env.ref("base.cn").id}
        )
        cls.users_b = {
            role: new_test_user(
                env,
                login=f"beauty_gate_{role}_b",
                groups=f"{GROUP}{role}",
                company_id=cls.store_b.id,
                company_ids=[Command.set(cls.store_b.ids)],
            )
            for role in ("front_desk", "therapist")
        }
        cls.plain_user = new_test_user(env, login="beauty_gate_plain", groups="base.group_user")
        cls.pos_user = new_test_user(
            env, login="beauty_gate_pos", groups="base.group_user,point_of_sale.group_pos_user"
        )
        cls.pregnancy = env.ref("beauty_customer_profile.beauty_contraindication_pregnancy")
        cls.photosensitive = env.ref(
            "beauty_customer_profile.beauty_contraindication_photosensitive"
        )
        # A customer of store A, allergic to fragrance, pregnant and photosensitive.
        cls.patient = cls._customer("甲店客户")
        cls.allergy = env["beauty.allergy"].create(
            {
                "partner_id": cls.patient.id,
                "allergen_id": env.ref("beauty_customer_profile.beauty_allergen_fragrance").id,
            }
        )
        cls.profile = env["beauty.health.profile"].create(
            {
                "partner_id": cls.patient.id,
                "contraindication_ids": [Command.set((cls.pregnancy | cls.photosensitive).ids)],
            }
        )

    def _onchange(self, user, partner, treatments):
        Booking = self.env["beauty.booking"].with_user(user)
        result = Booking.onchange(
            {
                "partner_id": partner.id,
                "treatment_ids": [Command.set(treatments.ids)],
                "therapist_id": self.therapist_a.id,
                "start": SLOT,
            },
            ["partner_id"],
            SPEC,
        )
        return result["value"]

    def _logged(self, user, records):
        return self.env["beauty.access.log"].search(
            [
                ("user_id", "=", user.id),
                ("model", "=", records._name),
                ("res_id", "in", records.ids),
                ("operation", "=", "read"),
            ]
        )

    def test_front_desk_gets_one_verdict_without_treatment_or_rule(self):
        value = self._onchange(self.users["front_desk"], self.patient, self.peel | self.facial)
        self.assertEqual(value["gate_state"], "blocked")
        verdict = value["gate_verdict"]
        self.assertEqual(verdict.count("a health reason"), 1, verdict)
        for detail in ("Acid peel", "Pregnancy", "allerg", "Photosensitivity", "Warning"):
            self.assertNotIn(detail, verdict)

    def test_other_store_front_desk_learns_nothing(self):
        value = self._onchange(self.users_b["front_desk"], self.patient, self.peel)
        self.assertEqual(value["gate_state"], "blocked")
        self.assertNotIn("health", value["gate_verdict"])
        self.assertIn("not in your stores", value["gate_verdict"])

    def test_other_store_therapist_reads_no_allergy_or_contraindication(self):
        therapist_b = self.users_b["therapist"]
        value = self._onchange(therapist_b, self.patient, self.peel)
        for detail in ("allergy", "cosmetic", "Pregnancy", "Photosensitivity", "health"):
            self.assertNotIn(detail, value["gate_verdict"])
        self.assertFalse(self._logged(therapist_b, self.allergy))
        # The same therapist in store A gets the details, and the look is logged.
        therapist_a = self.users["therapist"]
        value = self._onchange(therapist_a, self.patient, self.peel)
        self.assertIn("allergy to a cosmetic ingredient", value["gate_verdict"])
        self.assertIn("Pregnancy", value["gate_verdict"])

    def test_every_verdict_shown_is_logged(self):
        for role in ("front_desk", "therapist"):
            user = self.users[role]
            with self.subTest(role=role):
                self._onchange(user, self.patient, self.peel)
                self.assertTrue(self._logged(user, self.allergy))
                self.assertTrue(self._logged(user, self.profile))
        # Reading a saved booking's verdict is logged as well.
        booking = (
            self.env["beauty.booking"]
            .sudo()
            .create(
                {
                    **self._booking_vals(SLOT, partner=self.patient, treatments=self.facial),
                    "company_id": self.company.id,
                }
            )
        )
        manager = self.users["manager"]
        booking.with_user(manager).read(["gate_verdict"])
        self.assertFalse(self._logged(manager, self.allergy), "no rule asks for allergies")
        self.facial.product_tmpl_id.beauty_rule_ids = [
            Command.create({"rule_type": "allergen", "allergen_kind": "cosmetic", "action": "warn"})
        ]
        booking.invalidate_recordset(["gate_verdict"])
        booking.with_user(manager).read(["gate_verdict"])
        self.assertTrue(self._logged(manager, self.allergy))

    def test_rule_list_is_not_read_below_therapist(self):
        for user in (self.users["front_desk"], self.plain_user, self.pos_user):
            with self.subTest(user=user.login):
                Rule = self.env["beauty.treatment.rule"].with_user(user)
                with self.assertRaises(AccessError):
                    Rule.search_read([], ["contraindication_id", "allergen_kind"])
                with self.assertRaises(AccessError):
                    self.peel.product_tmpl_id.with_user(user).read(["beauty_rule_ids"])
        rules = self.peel.product_tmpl_id.with_user(self.users["therapist"]).beauty_rule_ids
        self.assertIn(self.pregnancy, rules.contraindication_id)

    def test_treatment_record_form_of_another_store(self):
        therapist_b = self.users_b["therapist"]
        value = (
            self.env["beauty.treatment.record"]
            .with_user(therapist_b)
            .onchange(
                {"partner_id": self.patient.id, "treatment_id": self.peel.id},
                ["partner_id"],
                {"partner_id": {}, "treatment_id": {}, "gate_verdict": {}, "gate_state": {}},
            )["value"]
        )
        self.assertEqual(value["gate_state"], "blocked")
        for detail in ("allergy", "cosmetic", "Pregnancy", "Photosensitivity", "health"):
            self.assertNotIn(detail, value["gate_verdict"])
        self.assertFalse(self._logged(therapist_b, self.profile))
