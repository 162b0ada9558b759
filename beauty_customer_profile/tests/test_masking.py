from odoo.tests import tagged

from .common import BeautyCase


@tagged("post_install", "-at_install")
class TestPhoneMasking(BeautyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer(
            "脱敏测试", phone="+86 138 1234 5678", beauty_phone_backup="+86 139 8765 4321"
        )

    def _read(self, role):
        self.env.invalidate_all()
        return self.customer.with_user(self.users[role]).read(["phone", "beauty_phone_backup"])[0]

    def test_display_by_role(self):
        for role in ("front_desk", "manager"):
            with self.subTest(role=role):
                self.assertEqual(self._read(role)["phone"], "+86 138 1234 5678")
        for role in ("therapist", "clinician"):
            with self.subTest(role=role):
                values = self._read(role)
                self.assertEqual(values["phone"], "138****5678")
                self.assertEqual(values["beauty_phone_backup"], "139****4321")
        web = self.customer.with_user(self.users["therapist"]).web_search_read(
            [("id", "=", self.customer.id)], {"phone": {}}
        )
        self.assertEqual(web["records"][0]["phone"], "138****5678")

    def test_exports_are_masked_except_for_managers(self):
        fields = ["name", "phone", "beauty_phone_backup"]
        front = self.customer.with_user(self.users["front_desk"]).export_data(fields)["datas"]
        self.assertEqual(front[0][1:], ["138****5678", "139****4321"])
        manager = self.customer.with_user(self.users["manager"]).export_data(fields)["datas"]
        self.assertEqual(manager[0][1], "+86 138 1234 5678")

    def test_masked_display_does_not_overwrite_the_number(self):
        therapist_view = self.customer.with_user(self.users["therapist"])
        therapist_view.write({"beauty_pref_pressure": "light"})
        self.assertEqual(self.customer.phone, "+86 138 1234 5678")
