"""Consents are append-only: granted, then withdrawn through the action; after creation only
a manager's logged correction changes one. Written as the front desk calls it over RPC
(``readonly`` in the form holds nothing there)."""

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BeautyCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestConsentAppendOnly(BeautyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("同意只增")
        cls.other = cls._customer("另一位顾客")
        cls.health = cls.customer.beauty_consent_ids.filtered(lambda c: c.purpose == "health")

    def test_front_desk_cannot_rewrite_a_consent(self):
        front_desk = self.users["front_desk"]
        mine = self.health.with_user(front_desk)
        forged = {
            "date_expiry": "2099-01-01",
            "recorded_by_id": self.users["manager"].id,
            "partner_id": self.other.id,
            "withdrawal_reason": "typo",
            "date_withdrawn": "2026-03-01",
            "channel": "paper",
        }
        for fname, value in forged.items():
            with self.subTest(field=fname), self.assertRaises(UserError):
                mine.write({fname: value})
        mine.action_withdraw(reason="Moved away")
        self.assertEqual(self.health.state, "withdrawn")
        # A withdrawal is never undone by hand.
        for vals in ({"date_withdrawn": False}, {"withdrawal_reason": False}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                mine.write(vals)
        self.assertEqual(self.health.state, "withdrawn")
        self.assertEqual(self.health.withdrawal_reason, "Moved away")

    def test_front_desk_creates_in_her_own_name(self):
        front_desk = self.users["front_desk"]
        consent = (
            self.env["beauty.consent"]
            .with_user(front_desk)
            .create(
                {
                    "partner_id": self.other.id,
                    "purpose": "marketing_sms",
                    "recorded_by_id": self.users["manager"].id,
                    "date_expiry": "2099-01-01",
                }
            )
        )
        self.assertEqual(consent.recorded_by_id, front_desk)
        self.assertNotEqual(str(consent.date_expiry), "2099-01-01")
        with self.assertRaises(UserError):
            self.env["beauty.consent"].with_user(front_desk).create(
                {"partner_id": self.other.id, "purpose": "photo", "date_withdrawn": "2026-03-01"}
            )

    def test_manager_correction_is_logged(self):
        manager = self.users["manager"]
        self.health.with_user(manager).write({"channel": "paper"})
        self.assertEqual(self.health.channel, "paper")
        self.assertTrue(
            self.env["beauty.access.log"].search(
                [
                    ("user_id", "=", manager.id),
                    ("model", "=", "beauty.consent"),
                    ("res_id", "=", self.health.id),
                    ("operation", "=", "write"),
                ]
            )
        )
        self.assertIn("Consent corrected by", self.customer.message_ids[:1].body)
        # Not even a manager moves a consent to another customer or forges its recorder.
        for vals in (
            {"partner_id": self.other.id},
            {"recorded_by_id": self.users["front_desk"].id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self.health.with_user(manager).write(vals)

    def test_form_is_read_only_for_front_desk_only(self):
        view = self.env.ref("beauty_customer_profile.beauty_consent_view_form")
        arches = {
            role: self.env["beauty.consent"]
            .with_user(self.users[role])
            .get_view(view.id, "form")["arch"]
            for role in ("front_desk", "manager")
        }
        self.assertIn('<field name="channel" readonly="id"', arches["front_desk"])
        self.assertNotIn('<field name="channel" readonly="id"', arches["manager"])
        self.assertIn('<field name="channel"', arches["manager"])
