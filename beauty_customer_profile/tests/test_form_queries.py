from odoo.tests import tagged

from ..models.beauty_access_log import LOGGED_KEY
from .common import BeautyCase

FORM_SPEC = {
    "display_name": {},
    "beauty_customer_number": {},
    "beauty_completeness": {},
    "beauty_missing_info": {},
    "beauty_health_alert": {},
    "beauty_missing_consent": {},
    "beauty_referred_count": {},
    "beauty_consultant_id": {"fields": {"display_name": {}}},
    "beauty_consent_ids": {
        "fields": {"purpose": {}, "version_id": {"fields": {"display_name": {}}}, "state": {}}
    },
    "beauty_skin_concern_ids": {"fields": {"concern_type": {}, "severity": {}}},
    "beauty_skin_assessment_ids": {
        "fields": {
            "date": {},
            "assessor_id": {"fields": {"display_name": {}}},
            "skin_type": {},
            "hydration": {},
            "oiliness": {},
            "photo_count": {},
        }
    },
    "beauty_allergy_ids": {
        "fields": {"allergen_id": {"fields": {"display_name": {}}}, "severity": {}}
    },
}


@tagged("post_install", "-at_install")
class TestFormQueries(BeautyCase):
    def _open(self, partner):
        # Each opening is a new request: caches are cold and the access log is written.
        self.env.invalidate_all()
        self.env.cr.cache.pop(LOGGED_KEY, None)
        return partner.with_user(self.users["therapist"]).web_read(FORM_SPEC)

    def _assess(self, partner, count):
        assessors = [self.users["therapist"], self.users["clinician"], self.users["manager"]]
        self.env["beauty.skin.assessment"].create(
            [
                {
                    "partner_id": partner.id,
                    "skin_type": "dry",
                    "hydration": index % 100,
                    "assessor_id": assessors[index % 3].id,
                }
                for index in range(count)
            ]
        )

    def test_form_cost_does_not_grow_with_assessments(self):
        one = self._customer("一次评估")
        self._assess(one, 1)
        hundred = self._customer("一百次评估")
        self._assess(hundred, 100)
        self._open(one)  # warm the registry caches (views, access rules)
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self._open(one)
        queries_for_one = self.env.cr.sql_log_count - before
        with self.assertQueryCount(queries_for_one):
            result = self._open(hundred)
        self.assertEqual(len(result[0]["beauty_skin_assessment_ids"]), 100)
