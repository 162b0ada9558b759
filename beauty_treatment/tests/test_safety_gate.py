from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import TreatmentCase

SLOT = datetime(2026, 3, 2, 10, 0)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01 09:00:00")
class TestSafetyGate(TreatmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.pregnancy = env.ref("beauty_customer_profile.beauty_contraindication_pregnancy")
        cls.allergic = cls._customer("过敏客户")
        env["beauty.allergy"].create(
            {
                "partner_id": cls.allergic.id,
                "allergen_id": env.ref("beauty_customer_profile.beauty_allergen_fragrance").id,
            }
        )
        cls.pregnant = cls._customer("孕期客户")
        cls.pregnant_profile = env["beauty.health.profile"].create(
            {
                "partner_id": cls.pregnant.id,
                "pregnancy_status": "pregnant",
                "contraindication_ids": [Command.set(cls.pregnancy.ids)],
            }
        )
        cls.no_photo = cls._customer("无照片同意", consents=("personal", "health"))
        cls.photosensitive = cls._customer("光敏客户")
        env["beauty.health.profile"].create(
            {
                "partner_id": cls.photosensitive.id,
                "contraindication_ids": [
                    Command.set(
                        env.ref(
                            "beauty_customer_profile.beauty_contraindication_photosensitive"
                        ).ids
                    )
                ],
            }
        )

    def _book_peel(self, partner, user, **vals):
        return (
            self.env["beauty.booking"]
            .with_user(user)
            .create({**self._booking_vals(SLOT, partner=partner, treatments=self.peel), **vals})
        )

    def test_clear_customer_books(self):
        booking = self._book_peel(self.customer, self.users["front_desk"])
        self.assertEqual(booking.gate_state, "clear")
        self.assertEqual(booking.gate_verdict, "Clear")

    def test_allergy_blocks_with_its_kind(self):
        with self.assertRaises(ValidationError) as caught:
            self._book_peel(self.allergic, self.users["therapist"])
        self.assertIn("allergy to a cosmetic ingredient in this treatment", str(caught.exception))
        self.assertNotIn("Fragrance", str(caught.exception))
        # The front desk is blocked too, without learning the health reason.
        with self.assertRaises(ValidationError) as caught:
            self._book_peel(self.allergic, self.users["front_desk"])
        self.assertIn("a health reason: ask a therapist or a clinician", str(caught.exception))
        self.assertNotIn("allergy", str(caught.exception))
        self.assertNotIn("Acid peel", str(caught.exception))

    def test_contraindication_blocks(self):
        with self.assertRaises(ValidationError) as caught:
            self._book_peel(self.pregnant, self.users["therapist"])
        self.assertIn("contraindication: Pregnancy or breastfeeding", str(caught.exception))

    def test_missing_consent_blocks(self):
        with self.assertRaises(ValidationError) as caught:
            self._book_peel(self.no_photo, self.users["front_desk"])
        self.assertIn("missing or expired consent: Photos", str(caught.exception))

    def test_withdrawn_consent_blocks(self):
        self.customer.beauty_consent_ids.filtered(lambda c: c.purpose == "photo").action_withdraw()
        with self.assertRaises(ValidationError):
            self._book_peel(self.customer, self.users["front_desk"])

    def test_warning_does_not_block(self):
        booking = self._book_peel(self.photosensitive, self.users["therapist"])
        self.assertEqual(booking.gate_state, "warn")
        self.assertIn("Warning: contraindication: Photosensitivity", booking.gate_verdict)

    def test_clinician_override_is_logged(self):
        clinician = self.users["clinician"]
        booking = self._book_peel(
            self.pregnant, clinician, gate_override_reason="Checked with her obstetrician."
        )
        self.assertEqual(booking.gate_state, "overridden")
        override = booking.sudo().override_ids
        self.assertEqual(len(override), 1)
        self.assertEqual(override.user_id, clinician)
        self.assertEqual(override.reason, "Checked with her obstetrician.")
        self.assertIn("Pregnancy or breastfeeding", override.verdict)
        # The front desk sees that the conflict was overridden, not the clinician's reasoning.
        mine = booking.with_user(self.users["front_desk"])
        self.assertEqual(mine.gate_state, "overridden")
        self.assertIn("Overridden by a clinician", mine.gate_verdict)
        with self.assertRaises(AccessError):
            mine.override_ids.read(["reason"])
        with self.assertRaises(AccessError):
            self.env["beauty.gate.override"].with_user(self.users["front_desk"]).search([])
        # The therapist can read the log on the booking.
        self.assertEqual(
            booking.with_user(self.users["therapist"]).override_ids.reason,
            "Checked with her obstetrician.",
        )

    def test_override_covers_only_the_conflict_it_saw(self):
        booking = self._book_peel(
            self.allergic, self.users["clinician"], gate_override_reason="Patch test negative."
        )
        # A new conflict appears: the old override does not cover it.
        self.env["beauty.health.profile"].create(
            {
                "partner_id": self.allergic.id,
                "contraindication_ids": [Command.set(self.pregnancy.ids)],
            }
        )
        booking.invalidate_recordset(["gate_state"])
        self.assertEqual(booking.gate_state, "blocked")
        with self.assertRaises(ValidationError):
            booking.with_user(self.users["therapist"]).action_start()

    def test_therapist_and_front_desk_cannot_override(self):
        for role in ("therapist", "front_desk"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self._book_peel(self.pregnant, self.users[role], gate_override_reason="Because.")
        # Nor through the logging method reached with superuser rights on the record.
        booking = self._book_peel(
            self.pregnant, self.users["clinician"], gate_override_reason="Checked."
        )
        Override = self.env["beauty.gate.override"].with_user(self.users["therapist"])
        with self.assertRaises(AccessError):
            Override._log_overrides(booking.with_user(self.users["therapist"]).sudo(), "booking_id")
        self.assertEqual(len(booking.sudo().override_ids), 1)

    def test_no_context_key_opens_the_gate(self):
        Booking = self.env["beauty.booking"].with_user(self.users["front_desk"])
        for key in ("beauty_gate_override", "skip_gate", "force", "install_mode"):
            with self.subTest(key=key), self.assertRaises(ValidationError):
                Booking.with_context(**{key: True}).create(
                    self._booking_vals(SLOT, partner=self.pregnant, treatments=self.peel)
                )

    def test_therapist_sees_verdict_not_health_fields(self):
        booking = self._book_peel(
            self.pregnant, self.users["clinician"], gate_override_reason="Ok."
        )
        therapist = self.users["therapist"]
        mine = booking.with_user(therapist)
        self.assertIn("contraindication: Pregnancy or breastfeeding", mine.gate_verdict)
        profile = self.pregnant_profile.with_user(therapist)
        with self.assertRaises(AccessError):
            profile.read(["pregnancy_status"])
        with self.assertRaises(AccessError):
            profile.read(["medication"])
        # The front desk sees a verdict without the health detail, and no health profile.
        front_desk_verdict = booking.with_user(self.users["front_desk"]).gate_verdict
        self.assertIn("a health reason", front_desk_verdict)
        self.assertNotIn("Pregnancy", front_desk_verdict)
        with self.assertRaises(AccessError):
            self.pregnant_profile.with_user(self.users["front_desk"]).read(["contraindication_ids"])

    def test_start_of_service_checks_again(self):
        therapist = self.users["therapist"]
        booking = self._book_peel(self.customer, self.users["front_desk"])
        # The customer reports an allergy when she arrives.
        self.env["beauty.allergy"].create(
            {
                "partner_id": self.customer.id,
                "allergen_id": self.env.ref("beauty_customer_profile.beauty_allergen_fragrance").id,
            }
        )
        booking.action_arrive()
        with self.assertRaises(ValidationError) as caught:
            booking.with_user(therapist).action_start()
        self.assertIn("allergy to a cosmetic ingredient", str(caught.exception))
        self.assertEqual(booking.state, "arrived")
        # The clinician overrides on the booking; the service can start.
        booking.with_user(
            self.users["clinician"]
        ).gate_override_reason = "Fragrance-free serum used."
        booking.with_user(therapist).action_start()
        self.assertEqual(booking.state, "in_service")
        record = booking.sudo().record_ids
        self.assertEqual(record.treatment_id, self.peel)
        self.assertEqual(record.with_user(therapist).gate_state, "overridden")
        self.assertEqual(
            record.with_user(therapist).booking_override_ids.user_id, self.users["clinician"]
        )

    def test_walk_in_record_is_gated(self):
        Record = self.env["beauty.treatment.record"]
        vals = {
            "partner_id": self.allergic.id,
            "treatment_id": self.peel.id,
            "therapist_id": self.therapist_a.id,
        }
        with self.assertRaises(ValidationError):
            Record.with_user(self.users["therapist"]).create(vals)
        record = Record.with_user(self.users["clinician"]).create(
            {**vals, "gate_override_reason": "Patch test negative today."}
        )
        self.assertEqual(record.gate_state, "overridden")
        self.assertEqual(record.override_ids.user_id, self.users["clinician"])

    def test_form_shows_the_verdict_before_saving(self):
        form = Form(self.env["beauty.booking"].with_user(self.users["front_desk"]))
        form.partner_id = self.pregnant
        form.treatment_ids.add(self.peel)
        form.therapist_id = self.therapist_a
        form.start = SLOT
        self.assertEqual(form.gate_state, "blocked")
        self.assertIn("Blocked: a health reason: ask a therapist or a clinician", form.gate_verdict)
        with self.assertRaises(ValidationError):
            form.save()
        form.partner_id = self.customer
        self.assertEqual(form.gate_state, "clear")
        self.assertTrue(form.save())
