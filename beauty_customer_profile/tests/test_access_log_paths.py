"""The access log sees every path to sensitive data, not only reading records: group by,
search conditions (also from the customer), export paths, the skin concern progress,
deleting a customer; and it keeps who looked after that user is gone."""

from odoo.tests import new_test_user, tagged

from ..models.beauty_access_log import LOGGED_KEY
from .common import GROUP, BeautyCase


@tagged("post_install", "-at_install")
class TestAccessLogPaths(BeautyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("路径日志")
        cls.records = cls._sensitive_records(cls.customer)
        cls.allergy = cls.records["beauty.allergy"]
        cls.latex = cls.allergy.allergen_id

    def setUp(self):
        super().setUp()
        # each check is a request of its own
        self.env.cr.cache.pop(LOGGED_KEY, None)

    def _lines(self, user, operation, model):
        return self.env["beauty.access.log"].search(
            [("user_id", "=", user.id), ("operation", "=", operation), ("model", "=", model)]
        )

    def test_group_by_content_is_logged(self):
        therapist = self.users["therapist"]
        groups = (
            self.env["beauty.allergy"]
            .with_user(therapist)
            .formatted_read_group([], ["allergen_id"], ["__count"])
        )
        self.assertIn(self.latex.id, [group["allergen_id"][0] for group in groups])
        lines = self._lines(therapist, "read", "beauty.allergy")
        self.assertIn(self.allergy.id, lines.mapped("res_id"))
        self.assertEqual(set(lines.mapped("customer_ref")) & {self.customer.id}, {self.customer.id})

    def test_counting_by_customer_is_not_a_look_at_content(self):
        therapist = self.users["therapist"]
        self.env["beauty.allergy"].with_user(therapist).formatted_read_group(
            [("partner_id", "=", self.customer.id)], ["partner_id"], ["__count"]
        )
        self.assertFalse(self.env["beauty.access.log"].search([("user_id", "=", therapist.id)]))

    def test_search_on_content_is_logged(self):
        therapist = self.users["therapist"]
        found = (
            self.env["res.partner"]
            .with_user(therapist)
            .search_count([("beauty_allergy_ids.allergen_id", "=", self.latex.id)])
        )
        self.assertGreaterEqual(found, 1)
        lines = self._lines(therapist, "search", "beauty.allergy")
        self.assertIn(self.allergy.id, lines.mapped("res_id"))
        clinician = self.users["clinician"]
        self.env["beauty.health.profile"].with_user(clinician).search_count(
            [("pregnancy_status", "=", "breastfeeding")]
        )
        self.assertEqual(
            self._lines(clinician, "search", "beauty.health.profile").res_id,
            self.records["beauty.health.profile"].id,
        )

    def test_export_paths_from_the_customer_are_logged(self):
        therapist = self.users["therapist"]
        data = self.customer.with_user(therapist).export_data(
            ["name", "beauty_allergy_ids/allergen_id", "beauty_allergy_ids/severity"]
        )["datas"]
        self.assertEqual(data[0][1], "Latex")
        self.assertEqual(self._lines(therapist, "export", "beauty.allergy").res_id, self.allergy.id)
        # a path ending on the sensitive records themselves (their names are exported)
        clinician = self.users["clinician"]
        self.customer.with_user(clinician).export_data(["name", "beauty_allergy_ids"])
        self.assertEqual(self._lines(clinician, "export", "beauty.allergy").res_id, self.allergy.id)

    def test_skin_concern_progress_is_logged(self):
        therapist = self.users["therapist"]
        concern = self.records["beauty.skin.concern"]
        progress = self.env["beauty.skin.concern.progress"].create(
            {"concern_id": concern.id, "severity": "2", "note": "Better"}
        )
        progress.with_user(therapist).read(["note"])
        lines = self._lines(therapist, "read", "beauty.skin.concern.progress")
        self.assertEqual(lines.res_id, progress.id)
        self.assertEqual(lines.customer_ref, self.customer.id)

    def test_deleting_a_customer_is_logged(self):
        manager = self.users["manager"]
        self.customer.with_user(manager).unlink()
        lines = self.env["beauty.access.log"].search(
            [("user_id", "=", manager.id), ("operation", "=", "unlink")]
        )
        self.assertLessEqual(
            {*self.records, "res.partner"},
            set(lines.mapped("model")),
            "every record that went with her, and she, are logged",
        )
        self.assertEqual(set(lines.mapped("customer_ref")), {self.customer.id})

    def test_who_is_kept_after_the_user_is_deleted(self):
        temp = new_test_user(
            self.env, login="beauty_temp_clinician", groups=f"{GROUP}clinician", name="Temp 临时"
        )
        self.records["beauty.health.profile"].with_user(temp).read(["medication"])
        line = self._lines(temp, "read", "beauty.health.profile")
        self.assertTrue(line)
        temp.unlink()
        self.env.invalidate_all()
        self.assertFalse(line.user_id)
        self.assertEqual((line.user_login, line.user_name), ("beauty_temp_clinician", "Temp 临时"))
