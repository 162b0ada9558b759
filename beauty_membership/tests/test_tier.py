from datetime import datetime
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MembershipCase

NOW = datetime(2026, 6, 15, 10, 0)


def no_commit(*args, **kwargs):
    return float("inf")


@tagged("post_install", "-at_install")
class TestTier(MembershipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config, cls.cash = cls._open_till()

    def _spend(self, partner, amount, when):
        return self._sync(self._order_payload(partner, [(self.service, 1, amount)], date=when))

    @freeze_time(NOW)
    def test_rolling_window(self):
        """Spend and visits count paid orders of the last 12 months; refunds subtract,
        orders 13 months ago do not count, two orders of one day are one visit."""
        customer = self._customer()
        self._spend(customer, 5000, NOW - relativedelta(months=13))
        self._spend(customer, 2000, NOW - relativedelta(months=11))
        self._spend(customer, 800, NOW - relativedelta(days=3))
        self._spend(customer, 200, NOW - relativedelta(days=3, hours=1))
        self._spend(customer, -300, NOW - relativedelta(days=1))
        customer.invalidate_recordset()
        self.assertAlmostEqual(customer.beauty_spend_12m, 2700)
        self.assertEqual(customer.beauty_visits_12m, 2)
        # A year later, everything has left the window.
        stats = customer._beauty_member_stats(NOW + relativedelta(months=13))
        self.assertFalse(stats)

    @freeze_time(NOW)
    def test_upgrade_when_threshold_crossed(self):
        customer = self._customer()
        self._spend(customer, 1000, NOW - relativedelta(days=10))
        self.assertEqual(customer.beauty_tier_id, self.regular)
        self._spend(customer, 2500, NOW - relativedelta(days=1))
        self.assertEqual(customer.beauty_tier_id, self.silver)
        self._spend(customer, 30000, NOW)
        self.assertEqual(customer.beauty_tier_id, self.vip)
        self.assertEqual(customer.beauty_tier_since, NOW.date())
        # The tier's pricelist comes with it.
        self.assertEqual(customer.property_product_pricelist, self.pricelist_vip)
        history = customer.beauty_tier_history_ids.sorted("id")
        self.assertEqual(history.mapped("reason"), ["upgrade"] * 3)
        self.assertEqual(history.mapped("new_tier_id"), self.regular + self.silver + self.vip)
        self.assertEqual(history[-1].old_tier_id, self.silver)

    def test_visits_threshold(self):
        customer = self._customer()
        with freeze_time(NOW):
            for day in range(20):
                self._spend(customer, 10, NOW - relativedelta(days=day))
        with freeze_time(NOW):
            customer._beauty_tier_upgrade()
        self.assertEqual(customer.beauty_tier_id, self.gold)

    def test_monthly_downgrade_with_grace(self):
        customer = self._customer()
        with freeze_time(NOW):
            self._spend(customer, 3500, NOW)
        self.assertEqual(customer.beauty_tier_id, self.silver)
        cron = type(self.env["ir.cron"])
        with patch.object(cron, "_commit_progress", no_commit):
            # Eleven months on the spend still counts: nothing happens.
            with freeze_time(NOW + relativedelta(months=11)):
                self.env["res.partner"]._cron_beauty_tier_review()
            self.assertEqual(customer.beauty_tier_id, self.silver)
            self.assertFalse(customer.beauty_downgrade_due)
            # Thirteen months on, she no longer qualifies: the grace period starts.
            later = NOW + relativedelta(months=13)
            with freeze_time(later):
                self.env["res.partner"]._cron_beauty_tier_review()
            self.assertEqual(customer.beauty_tier_id, self.silver)
            self.assertEqual(customer.beauty_downgrade_due, later.date() + relativedelta(days=30))
            # Same month again: already reviewed, nothing changes.
            with freeze_time(later + relativedelta(days=10)):
                self.env["res.partner"]._cron_beauty_tier_review()
            self.assertEqual(customer.beauty_tier_id, self.silver)
            # The next monthly run after the grace period moves her down.
            with freeze_time(later + relativedelta(months=1, days=5)):
                self.env["res.partner"]._cron_beauty_tier_review()
        self.assertEqual(customer.beauty_tier_id, self.regular)
        self.assertFalse(customer.beauty_downgrade_due)
        last = customer.beauty_tier_history_ids.sorted("id")[-1]
        self.assertEqual(last.reason, "downgrade")
        self.assertEqual(last.old_tier_id, self.silver)

    def test_grace_period_cancelled_when_qualifying_again(self):
        customer = self._customer()
        with freeze_time(NOW):
            self._spend(customer, 3500, NOW)
        cron = type(self.env["ir.cron"])
        later = NOW + relativedelta(months=13)
        with patch.object(cron, "_commit_progress", no_commit):
            with freeze_time(later):
                self.env["res.partner"]._cron_beauty_tier_review()
                self.assertTrue(customer.beauty_downgrade_due)
                self._spend(customer, 3000, later)
            with freeze_time(later + relativedelta(months=1, days=5)):
                self.env["res.partner"]._cron_beauty_tier_review()
        self.assertEqual(customer.beauty_tier_id, self.silver)
        self.assertFalse(customer.beauty_downgrade_due)

    def test_manager_override_logged(self):
        customer = self._customer()
        manager, front_desk = self.users["manager"], self.users["front_desk"]
        wizard = (
            self.env["beauty.tier.override"]
            .with_user(manager)
            .create({"partner_id": customer.id, "tier_id": self.gold.id, "reason": "Founder"})
        )
        wizard.action_confirm()
        self.assertEqual(customer.beauty_tier_id, self.gold)
        entry = customer.beauty_tier_history_ids
        self.assertEqual(
            (entry.reason, entry.note, entry.user_id, entry.new_tier_id),
            ("manual", "Founder", manager, self.gold),
        )
        with self.assertRaises(AccessError):
            customer.with_user(front_desk).write({"beauty_tier_id": self.vip.id})
        with self.assertRaises(AccessError):
            self.env["beauty.tier.override"].with_user(front_desk).create(
                {"partner_id": customer.id, "tier_id": self.vip.id, "reason": "Friend"}
            )
        # The front desk still sees tier and history.
        self.assertEqual(customer.with_user(front_desk).beauty_tier_id, self.gold)
        self.assertTrue(customer.with_user(front_desk).beauty_tier_history_ids)
