import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

from .common import GROUP, BeautyCase
from .test_consent_gate import PIXEL


@tagged("post_install", "-at_install")
class TestCustomerRights(BeautyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer(
            "权利测试",
            phone="+86 139 7777 0001",
            email="rights@example.com",
            beauty_gender="female",
            beauty_birthday="1991-04-05",
            beauty_family_notes="Two daughters",
        )
        cls.records = cls._sensitive_records(cls.customer)
        cls.env["beauty.skin.photo"].create({"partner_id": cls.customer.id, "image_1920": PIXEL})
        cls.customer.beauty_consent_ids[:1].signature = PIXEL
        cls.customer.message_post(body="Prefers Tuesday mornings")

    def test_export_holds_everything_and_is_for_managers(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.users["clinician"])._beauty_personal_data_json()
        data = json.loads(
            self.customer.with_user(self.users["manager"])._beauty_personal_data_json()
        )
        self.assertEqual(data["customer"]["phone"], "+86 139 7777 0001")
        self.assertEqual(data["customer"]["beauty_family_notes"], "Two daughters")
        self.assertEqual(data["health_profile"][0]["medication"], "Levothyroxine")
        self.assertEqual(data["allergies"][0]["allergen_id"], "Latex")
        self.assertEqual(len(data["consents"]), 3)
        self.assertEqual(len(data["skin_photos"]), 1)
        self.assertEqual(data["lifestyle"][0]["smoking"], "Daily")
        exported = self.env["beauty.access.log"].search(
            [("user_id", "=", self.users["manager"].id), ("operation", "=", "export")]
        )
        self.assertIn("beauty.health.profile", exported.mapped("model"))
        pdf = self.customer.with_user(self.users["manager"])._beauty_personal_data_pdf()
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 2000)

    def _figures(self):
        partners = self.env["res.partner"].with_context(active_test=False)
        by_group = partners._read_group(
            [("beauty_is_customer", "=", True)],
            ["company_id", "beauty_gender", "beauty_birth_year"],
            ["__count"],
        )
        consents = self.env["beauty.consent"].search_count([])
        return sorted((c.id, g or "", y, n) for c, g, y, n in by_group), consents

    def test_anonymisation_erases_and_keeps_the_figures(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.users["clinician"]).action_beauty_anonymise()
        self.customer.beauty_birth_year = 1991
        figures = self._figures()
        self.customer.with_user(self.users["manager"]).action_beauty_anonymise()
        self.assertEqual(self._figures(), figures, "statistics still add up")
        customer = self.customer.with_context(active_test=False)
        self.assertTrue(customer.beauty_anonymised)
        self.assertFalse(customer.active)
        self.assertFalse(customer.phone or customer.email or customer.beauty_birthday)
        self.assertEqual(customer.beauty_gender, "female")
        for model in self.records:
            self.assertFalse(
                self.env[model].sudo().search_count([("partner_id", "=", customer.id)]), model
            )
        self.assertEqual(len(customer.beauty_consent_ids), 3, "proof of consent is kept")
        self.assertFalse(any(customer.beauty_consent_ids.mapped("signature")))
        self.env.flush_all()
        for secret in (
            "权利测试",
            "7777 0001",
            "rights@example.com",
            "Tuesday mornings",
            "Two daughters",
        ):
            for table, column in [
                ("res_partner", "name"),
                ("res_partner", "phone"),
                ("res_partner", "email"),
                ("res_partner", "complete_name"),
                ("res_partner", "beauty_family_notes"),
                ("mail_message", "body"),
            ]:
                found = self.env.execute_query(
                    SQL(
                        "SELECT 1 FROM %s WHERE %s::text LIKE %s LIMIT 1",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        f"%{secret}%",
                    )
                )
                self.assertFalse(found, f"{secret} still in {table}.{column}")
        log = self.env["beauty.access.log"].search(
            [("customer_ref", "=", customer.id), ("operation", "=", "unlink")]
        )
        self.assertTrue(log, "the erasure itself is logged and outlives the data")


@tagged("post_install", "-at_install")
class TestPersonalDataDownload(HttpCase):
    def test_download_routes(self):
        customer = self.env["res.partner"].create(
            {"name": "Download", "beauty_is_customer": True, "phone": "+86 139 7777 0002"}
        )
        new_test_user(self.env, login="dl_manager", groups=f"{GROUP}manager")
        new_test_user(self.env, login="dl_front", groups=f"{GROUP}front_desk")
        url = f"/beauty/customer/{customer.id}/personal-data"
        self.authenticate("dl_manager", "dl_manager")
        response = self.url_open(f"{url}.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["customer"]["name"], "Download")
        response = self.url_open(f"{url}.pdf")
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.authenticate("dl_front", "dl_front")
        self.assertEqual(self.url_open(f"{url}.json").status_code, 403)
