from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.beauty_access_log import LOGGED_KEY
from .common import BeautyCase


@tagged("post_install", "-at_install")
class TestAccessLog(BeautyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("访问日志")
        cls.records = cls._sensitive_records(cls.customer)

    def setUp(self):
        super().setUp()
        self.env.cr.cache.pop(LOGGED_KEY, None)

    def _lines(self, user, **domain):
        return self.env["beauty.access.log"].search(
            [("user_id", "=", user.id), *((k, "=", v) for k, v in domain.items())]
        )

    def test_reads_are_logged_once_per_record_and_request(self):
        clinician = self.users["clinician"]
        profile = self.records["beauty.health.profile"].with_user(clinician)
        profile.read(["medication"])
        profile.web_read({"medication": {}, "pregnancy_status": {}})
        self.customer.with_user(clinician).web_read(
            {"beauty_allergy_ids": {"fields": {"allergen_id": {"fields": {"display_name": {}}}}}}
        )
        lines = self._lines(clinician, operation="read")
        self.assertEqual(sorted(lines.mapped("model")), ["beauty.allergy", "beauty.health.profile"])
        self.assertEqual(set(lines.mapped("customer_ref")), {self.customer.id})
        self.assertEqual(set(lines.mapped("channel")), {"server"})

    def test_changes_and_exports_are_logged(self):
        therapist = self.users["therapist"]
        skin = self.records["beauty.skin.profile"].with_user(therapist)
        skin.write({"skin_type": "oily"})
        skin.export_data(["skin_type"])
        operations = set(self._lines(therapist).mapped("operation"))
        self.assertEqual(operations, {"write", "export"})

    def test_internal_superuser_work_is_not_logged(self):
        before = self.env["beauty.access.log"].search_count([])
        self.customer.invalidate_recordset()
        # missing: gender 5, birthday 10, occupation 5, consultant 5, preferences 5
        self.assertEqual(self.customer.beauty_completeness, 70)
        self.records["beauty.skin.profile"].sudo().read(["skin_type"])
        self.assertEqual(self.env["beauty.access.log"].search_count([]), before)

    def test_log_is_append_only_and_for_managers(self):
        self.records["beauty.lifestyle"].with_user(self.users["therapist"]).read(["smoking"])
        line = self._lines(self.users["therapist"])
        self.assertTrue(line)
        with self.assertRaises(AccessError):
            self.env["beauty.access.log"].with_user(self.users["clinician"]).search([])
        manager_view = line.with_user(self.users["manager"])
        self.assertEqual(manager_view.read(["operation"])[0]["operation"], "read")
        with self.assertRaises(UserError):
            line.sudo().write({"operation": "write"})
        with self.assertRaises(UserError):
            line.sudo().unlink()
