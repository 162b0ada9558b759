import base64
import io

from PIL import Image

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import BeautyCase


def _png():
    stream = io.BytesIO()
    Image.new("RGB", (4, 4), "pink").save(stream, "PNG")
    return base64.b64encode(stream.getvalue())


PIXEL = _png()


@tagged("post_install", "-at_install")
class TestConsentGate(BeautyCase):
    def test_health_needs_health_consent(self):
        customer = self._customer("没有健康同意", consents=("personal",))
        clinician = self.users["clinician"]
        with self.assertRaisesRegex(ValidationError, "Sensitive health data"):
            self.env["beauty.health.profile"].with_user(clinician).create(
                {"partner_id": customer.id, "medication": "Aspirin"}
            )
        with self.assertRaises(ValidationError):
            self.env["beauty.allergy"].with_user(clinician).create(
                {
                    "partner_id": customer.id,
                    "allergen_id": self.env.ref("beauty_customer_profile.beauty_allergen_latex").id,
                }
            )
        self.assertFalse(
            self.env["beauty.health.profile"].search([("partner_id", "=", customer.id)])
        )
        self.env["beauty.consent"].create({"partner_id": customer.id, "purpose": "health"})
        profile = (
            self.env["beauty.health.profile"]
            .with_user(clinician)
            .create({"partner_id": customer.id, "medication": "Aspirin"})
        )
        self.assertEqual(profile.sudo().medication, "Aspirin")

    def test_photo_needs_photo_consent(self):
        customer = self._customer("没有照片同意", consents=("personal", "health"))
        therapist = self.users["therapist"]
        assessment = (
            self.env["beauty.skin.assessment"]
            .with_user(therapist)
            .create({"partner_id": customer.id, "skin_type": "dry"})
        )
        with self.assertRaisesRegex(ValidationError, "Photos"):
            self.env["beauty.skin.photo"].with_user(therapist).create(
                {"assessment_id": assessment.id, "image_1920": PIXEL}
            )
        self.env["beauty.consent"].create({"partner_id": customer.id, "purpose": "photo"})
        photo = (
            self.env["beauty.skin.photo"]
            .with_user(therapist)
            .create({"assessment_id": assessment.id, "image_1920": PIXEL})
        )
        self.assertEqual(photo.partner_id, customer, "the photo belongs to the assessed customer")

    def test_withdrawal_stops_processing(self):
        customer = self._customer("撤回同意")
        records = self._sensitive_records(customer)
        consent = customer.beauty_consent_ids.filtered(lambda c: c.purpose == "health")
        consent.with_user(self.users["front_desk"]).action_withdraw(reason="Moved away")
        self.assertEqual(consent.state, "withdrawn")
        with self.assertRaises(ValidationError):
            records["beauty.health.profile"].with_user(self.users["clinician"]).write(
                {"medication": "New medication"}
            )
        # Skin data is covered by the personal-data consent, still valid.
        records["beauty.skin.profile"].with_user(self.users["therapist"]).write(
            {"skin_type": "oily"}
        )
        # A withdrawn consent is never edited back into a valid one.
        with self.assertRaises(UserError):
            consent.write({"date_granted": consent.date_granted, "signature": PIXEL})
        # Deleting what was recorded stays possible for the clinician.
        records["beauty.health.profile"].with_user(self.users["clinician"]).unlink()

    def test_expired_consent(self):
        customer = self._customer("过期同意", consents=("personal",))
        version = self.env.ref("beauty_customer_profile.beauty_consent_version_health_v1")
        self.assertEqual(version.validity_months, 24)
        consent = self.env["beauty.consent"].create(
            {"partner_id": customer.id, "purpose": "health", "date_granted": "2020-01-01"}
        )
        self.assertEqual(str(consent.date_expiry), "2022-01-01")
        self.assertEqual(consent.state, "expired")
        self.assertIn(consent, self.env["beauty.consent"].search([("state", "in", ["expired"])]))
        self.assertNotIn(consent, self.env["beauty.consent"].search([("state", "in", ["valid"])]))
        with self.assertRaises(ValidationError):
            self.env["beauty.health.profile"].create({"partner_id": customer.id})

    def test_consent_rules(self):
        customer = self._customer("同意规则", consents=())
        with self.assertRaises(ValidationError):
            self.env["beauty.consent"].create(
                {"partner_id": customer.id, "purpose": "health", "date_granted": "2999-01-01"}
            )
        consent = self.env["beauty.consent"].create({"partner_id": customer.id, "purpose": "photo"})
        self.assertEqual(consent.version_id.purpose, "photo", "current text version is chosen")
        self.assertTrue(customer.beauty_missing_consent)
        self.assertIn(
            customer, self.env["res.partner"].search([("beauty_missing_consent", "=", True)])
        )
        self.env["beauty.consent"].create({"partner_id": customer.id, "purpose": "personal"})
        customer.invalidate_recordset()
        self.assertFalse(customer.beauty_missing_consent)
        self.assertNotIn(
            customer, self.env["res.partner"].search([("beauty_missing_consent", "=", True)])
        )
