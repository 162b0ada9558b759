from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import BeautyCase

REVIEW = "beauty_customer_profile.mail_activity_type_archive_review"
FULL = "beauty_customer_profile.mail_activity_type_archive_full_update"


def _no_commit(self, processed=0, *, remaining=None, deactivate=False):
    """Stand-in for ir.cron._commit_progress inside a test transaction (no COMMIT)."""
    return float("inf")


@tagged("post_install", "-at_install")
class TestArchiveUpkeep(BeautyCase):
    def _activities(self, partners, xmlid):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("activity_type_id", "=", self.env.ref(xmlid).id),
            ]
        )

    def _run_cron(self, batch_size=500):
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", _no_commit):
            self.env["res.partner"]._cron_beauty_schedule_reviews(batch_size=batch_size)

    def test_completeness_says_what_is_missing(self):
        bare = self._customer("空档案", consents=())
        bare.invalidate_recordset()
        self.assertLess(bare.beauty_completeness, 20)
        self.assertIn("health profile", bare.beauty_missing_info)
        self.assertIn("personal data consent", bare.beauty_missing_info)
        full = self._customer(
            "完整档案",
            beauty_gender="female",
            beauty_birthday=date(1990, 1, 1),
            beauty_occupation="教师",
            beauty_consultant_id=self.users["front_desk"].id,
            beauty_pref_pressure="light",
        )
        self._sensitive_records(full)
        full.invalidate_recordset()
        self.assertEqual(full.beauty_completeness, 100)
        self.assertFalse(full.beauty_missing_info)
        # The front desk sees the score, computed without reading the sensitive records.
        self.assertEqual(full.with_user(self.users["front_desk"]).beauty_completeness, 100)

    def test_completeness_batch_queries_are_constant(self):
        customers = self.env["res.partner"]
        for index in range(3):
            customers |= self._customer(f"批量{index}")
        customers.invalidate_recordset()
        with self.assertQueryCount(7):
            customers[:1].mapped("beauty_completeness")
        more = customers
        for index in range(20):
            more |= self._customer(f"更多{index}")
        more.invalidate_recordset()
        with self.assertQueryCount(7):
            more.mapped("beauty_completeness")

    def test_review_cron_is_idempotent_and_batched(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "beauty_customer_profile.review_interval_months", 3
        )
        with freeze_time("2026-01-10"):
            due = self.env["res.partner"]
            for index in range(5):
                due |= self._customer(
                    f"到期{index}", beauty_consultant_id=self.users["therapist"].id
                )
            recent = self._customer("最近复查")
        recent.beauty_last_review_date = date(2026, 3, 1)
        with freeze_time("2026-04-15"):
            self._run_cron(batch_size=2)
            reviews = self._activities(due | recent, REVIEW)
            self.assertEqual(set(reviews.mapped("res_id")), set(due.ids))
            self.assertEqual(set(reviews.mapped("user_id")), {self.users["therapist"]})
            self.assertFalse(self._activities(due, FULL), "the yearly update is not due yet")
            # A second run, or a restart after a crash, schedules nothing twice.
            self._run_cron(batch_size=2)
            self._run_cron()
            self.assertEqual(self._activities(due | recent, REVIEW), reviews)

    def test_done_review_dates_the_archive_and_next_one_follows(self):
        with freeze_time("2025-01-10"):
            customer = self._customer("年度更新")
        with freeze_time("2026-02-01"):
            self._run_cron()
            review = self._activities(customer, REVIEW)
            full = self._activities(customer, FULL)
            self.assertEqual(len(review), 1)
            self.assertEqual(len(full), 1)
            full.with_user(self.users["manager"]).action_feedback(feedback="Done with her")
            self.assertEqual(customer.beauty_last_full_update_date, date(2026, 2, 1))
            self.assertEqual(customer.beauty_last_review_date, date(2026, 2, 1))
            customer.with_user(self.users["front_desk"]).action_beauty_mark_reviewed()
            self.assertFalse(self._activities(customer, REVIEW).filtered("active"))
        with freeze_time("2026-03-01"):
            self._run_cron()
            self.assertFalse(self._activities(customer, REVIEW).filtered("active"))
        with freeze_time("2026-08-02"):
            self._run_cron()
            self.assertEqual(len(self._activities(customer, REVIEW).filtered("active")), 1)

    def test_review_interval_setting(self):
        settings = self.env["res.config.settings"]
        with self.assertRaises(ValidationError):
            settings.create({"beauty_review_interval_months": 12})
        settings.create({"beauty_review_interval_months": 4}).execute()
        self.assertEqual(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("beauty_customer_profile.review_interval_months"),
            "4",
        )
