import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import GROUP, BeautyCase
from .test_consent_gate import PIXEL

SENSITIVE_PARTNER_FIELDS = {
    "beauty_health_profile_ids",
    "beauty_allergy_ids",
    "beauty_past_treatment_ids",
    "beauty_home_product_ids",
    "beauty_skin_profile_ids",
    "beauty_skin_concern_ids",
    "beauty_skin_assessment_ids",
    "beauty_lifestyle_ids",
}


@tagged("post_install", "-at_install")
class TestSensitivePaths(BeautyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("敏感数据")
        cls.records = cls._sensitive_records(cls.customer)

    def _form_fields(self, role):
        views = self.env["res.partner"].with_user(self.users[role]).get_views([(False, "form")])
        return set(views["models"]["res.partner"]["fields"])

    def test_form_sends_each_role_only_its_sections(self):
        front = self._form_fields("front_desk")
        self.assertFalse(front & SENSITIVE_PARTNER_FIELDS)
        self.assertIn("beauty_health_alert", front)
        therapist = self._form_fields("therapist")
        self.assertIn("beauty_allergy_ids", therapist)
        self.assertNotIn("beauty_past_treatment_ids", therapist)
        self.assertIn("beauty_past_treatment_ids", self._form_fields("clinician"))
        # And the form the front desk gets can be read whole.
        fields = self.env["res.partner"]._fields
        spec = {
            name: {"fields": {"display_name": {}}} if fields[name].relational else {}
            for name in front
            if name.startswith("beauty_") or name in ("name", "phone", "email")
        }
        self.customer.with_user(self.users["front_desk"]).web_read(spec)

    def test_therapist_health_form_hides_medical_history(self):
        views = (
            self.env["beauty.health.profile"]
            .with_user(self.users["therapist"])
            .get_views([(False, "form")])
        )
        fields = set(views["models"]["beauty.health.profile"]["fields"])
        self.assertIn("contraindication_ids", fields)
        self.assertFalse(fields & {"medication", "chronic_conditions", "pregnancy_status"})
        profile = self.records["beauty.health.profile"].with_user(self.users["therapist"])
        self.assertNotIn("medication", profile.read()[0])

    def test_no_sensitive_data_in_chatter(self):
        mixin = self.env.registry["beauty.sensitive.mixin"]
        sensitive = [
            model
            for model in self.env.registry.values()
            if issubclass(model, mixin) and not model._abstract
        ]
        self.assertGreaterEqual(len(sensitive), 9)
        for model in sensitive:
            with self.subTest(model=model._name):
                # No chatter on sensitive records: no message, no tracking value, no follower.
                self.assertNotIn("message_ids", model._fields)
        tracked = [
            name
            for name, field in self.env["res.partner"]._fields.items()
            if name.startswith("beauty_") and getattr(field, "tracking", False)
        ]
        self.assertEqual(tracked, [])
        self.customer.write({"beauty_family_notes": "Husband is a surgeon"})
        values = self.env["mail.tracking.value"].search(
            [("mail_message_id.res_id", "=", self.customer.id)]
        )
        self.assertFalse(values.filtered(lambda v: v.field_id.name.startswith("beauty_")))

    def test_photo_attachment_follows_the_photo(self):
        photo = self.env["beauty.skin.photo"].create(
            {"partner_id": self.customer.id, "image_1920": PIXEL}
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "beauty.skin.photo"),
                    ("res_id", "=", photo.id),
                    ("res_field", "=", "image_1920"),
                ]
            )
        )
        self.assertTrue(attachment)
        self.assertFalse(attachment.public)
        with self.assertRaises(AccessError):
            attachment.with_user(self.users["front_desk"]).read(["datas"])
        self.assertTrue(attachment.with_user(self.users["therapist"]).read(["datas"]))

    def test_other_store_is_invisible(self):
        branch = self.env["res.company"].create({"name": "Branch store"})
        far = self._customer("分店顾客", company_id=branch.id)
        self._sensitive_records(far)
        therapist = self.users["therapist"]
        self.assertFalse(
            self.env["beauty.skin.profile"]
            .with_user(therapist)
            .search([("partner_id", "=", far.id)])
        )
        self.assertFalse(self.env["res.partner"].with_user(therapist).search([("id", "=", far.id)]))


@tagged("post_install", "-at_install")
class TestSensitiveRpc(HttpCase):
    def test_front_desk_rpc_cannot_read_health(self):
        user = self.env["res.users"].create(
            {
                "name": "RPC front desk",
                "login": "rpc_front_desk",
                "password": "rpc_front_desk",
                "group_ids": [(6, 0, [self.env.ref(f"{GROUP}front_desk").id])],
            }
        )
        self.assertTrue(user)
        self.authenticate("rpc_front_desk", "rpc_front_desk")
        mixin = self.env.registry["beauty.sensitive.mixin"]
        sensitive = [
            name
            for name, model in self.env.registry.items()
            if not model._abstract and issubclass(model, mixin)
        ]
        calls = [(name, "search_read", [[]], {"limit": 1}) for name in sensitive]
        calls += [
            ("beauty.health.profile", "search_read", [[]], {"fields": ["medication"]}),
            ("res.partner", "search_read", [[]], {"fields": ["beauty_allergy_ids"], "limit": 1}),
            (
                "res.partner",
                "read_group",
                [[], ["beauty_health_alert"], ["beauty_skin_profile_ids"]],
                {},
            ),
            ("res.partner", "search_read", [[]], {"fields": ["beauty_id_number"], "limit": 1}),
        ]
        self.assertGreaterEqual(len(calls), 13)
        for model, method, args, kwargs in calls:
            with self.subTest(model=model, method=method):
                response = self.url_open(
                    f"/web/dataset/call_kw/{model}/{method}",
                    data=json.dumps(
                        {
                            "jsonrpc": "2.0",
                            "method": "call",
                            "params": {
                                "model": model,
                                "method": method,
                                "args": args,
                                "kwargs": kwargs,
                            },
                        }
                    ),
                    headers={"Content-Type": "application/json"},
                )
                error = response.json().get("error")
                self.assertTrue(error, f"{model}.{method} answered without error")
                self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
