from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.beauty_treatment.tests.common import TreatmentCase

from .common import NOW, TODAY

SEGMENT = (
    "beauty_recency_score",
    "beauty_frequency_score",
    "beauty_monetary_score",
    "beauty_lifecycle",
    "beauty_value_class",
)


class SegmentCase(TreatmentCase):
    """Customers of one store in Shanghai, with treatment records and paid orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(freeze_time(NOW))
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.company.write(
            {
                "beauty_segment_new_days": 30,
                "beauty_segment_active_days": 90,
                "beauty_segment_risk_days": 180,
                "beauty_segment_dormant_days": 365,
            }
        )
        cls.Partner = cls.env["res.partner"]
        cls.Move = cls.env["beauty.lifecycle.move"]
        # Customers made by the shared fixtures or demo data stay out of the rankings.
        cls.Partner.search([("beauty_is_customer", "=", True)]).beauty_is_customer = False
        journal = cls.env["account.journal"].create(
            {"name": "Segment till cash", "type": "cash", "code": "SEGC"}
        )
        cash = cls.env["pos.payment.method"].create(
            {"name": "Segment till cash", "journal_id": journal.id, "is_cash_count": True}
        )
        cls.till = cls.env["pos.config"].create(
            {"name": "Segment till", "payment_method_ids": [Command.set(cash.ids)]}
        )
        cls.till.open_ui()

    @classmethod
    def _client(cls, name, registered_days_ago=400, **vals):
        return cls._customer(
            name, beauty_archive_date=TODAY - timedelta(days=registered_days_ago), **vals
        )

    @classmethod
    def _treated(cls, partner, days_ago):
        """A finished treatment record ``days_ago`` days before today, at noon in Shanghai."""
        return cls.env["beauty.treatment.record"].create(
            {
                "partner_id": partner.id,
                "treatment_id": cls.facial.id,
                "therapist_id": cls.therapist_a.id,
                "date": NOW - timedelta(days=days_ago),
                "line_ids": [],
                "state": "done",
                "company_id": partner.company_id.id or cls.company.id,
            }
        )

    @classmethod
    def _paid(cls, partner, days_ago, amount, state="paid"):
        return cls.env["pos.order"].create(
            {
                "session_id": cls.till.current_session_id.id,
                "partner_id": partner.id,
                "date_order": NOW - timedelta(days=days_ago),
                "amount_total": amount,
                "amount_tax": 0.0,
                "amount_paid": amount,
                "amount_return": 0.0,
                "state": state,
            }
        )

    def _recompute(self, today=TODAY):
        return self.Partner._beauty_recompute_segments(today=today)

    def _segment(self, partner):
        return tuple(partner[fname] for fname in SEGMENT)


@tagged("post_install", "-at_install")
class TestSegments(SegmentCase):
    # -- scores -----------------------------------------------------------------------------
    def test_scores_are_fifths_of_the_store(self):
        customers = [self._client(f"分数{i}") for i in range(10)]
        for rank, partner in enumerate(customers):
            # The higher the rank, the more recent, frequent and generous.
            for visit in range(rank + 1):
                self._treated(partner, days_ago=100 - rank * 5 - visit)
            self._paid(partner, days_ago=200, amount=100.0 * (rank + 1))
        self._recompute()
        scores = [
            (p.beauty_recency_score, p.beauty_frequency_score, p.beauty_monetary_score)
            for p in customers
        ]
        expected = [str(n) for n in (1, 1, 2, 2, 3, 3, 4, 4, 5, 5)]
        self.assertEqual([s[0] for s in scores], expected)
        self.assertEqual([s[2] for s in scores], expected)
        # Paid order days are visits too: frequency counts distinct days, in fifths.
        self.assertEqual([s[1] for s in scores], expected)

    def test_ties_share_a_score_and_no_visit_scores_nothing(self):
        a, b = self._client("并列甲"), self._client("并列乙")
        never = self._client("从未到店")
        old = self._client("一年多前")
        for partner in (a, b):
            self._treated(partner, days_ago=10)
        self._treated(old, days_ago=500)
        self._paid(old, days_ago=500, amount=800.0)
        self._recompute()
        self.assertEqual(a.beauty_recency_score, b.beauty_recency_score)
        self.assertEqual(a.beauty_recency_score, "5")
        self.assertEqual(old.beauty_recency_score, "2")
        # Nothing in the last 12 months: the lowest frequency and spend score.
        self.assertEqual((old.beauty_frequency_score, old.beauty_monetary_score), ("1", "1"))
        self.assertEqual(self._segment(never), (False, False, False, "lost", "potential"))

    def test_refunds_and_unpaid_orders(self):
        partner, other = self._client("退款"), self._client("对照")
        self._paid(partner, days_ago=20, amount=1000.0)
        self._paid(partner, days_ago=19, amount=-900.0)
        self._paid(partner, days_ago=18, amount=5000.0, state="draft")
        self._paid(other, days_ago=20, amount=500.0)
        self._recompute()
        # Net spend 100 < 500; the refund day and the unpaid order are no visits.
        self.assertEqual(partner.beauty_monetary_score, "3")
        self.assertEqual(other.beauty_monetary_score, "5")
        self.assertEqual(partner.beauty_recency_score, other.beauty_recency_score)

    # -- lifecycle ----------------------------------------------------------------------------
    def test_each_lifecycle_state_and_its_boundaries(self):
        cases = {
            "new": (None, 30),
            "active": (100, 90),
            "at_risk": (100, 91),
            "at_risk ": (200, 180),
            "dormant": (200, 181),
            "dormant ": (400, 365),
            "lost": (400, 366),
        }
        partners = {}
        for label, (first, last) in cases.items():
            partner = self._client(f"周期 {label}")
            if first:
                self._treated(partner, days_ago=first)
            self._treated(partner, days_ago=last)
            partners[label.strip(), last] = partner
        not_new = self._client("第一次到店31天前")
        self._treated(not_new, days_ago=31)
        fresh = self._client("新建档", registered_days_ago=5)
        idle = self._client("建档未到店", registered_days_ago=120)
        self._recompute()
        for (state, _last), partner in partners.items():
            with self.subTest(partner=partner.name):
                self.assertEqual(partner.beauty_lifecycle, state)
        self.assertEqual(not_new.beauty_lifecycle, "active")
        self.assertEqual(fresh.beauty_lifecycle, "new")
        # Never came: aged from the day her archive was opened, never "active".
        self.assertEqual(idle.beauty_lifecycle, "at_risk")

    def test_value_classes(self):
        customers = [self._client(f"价值{i}") for i in range(5)]
        for rank, partner in enumerate(customers):
            for visit in range(rank + 1):
                self._paid(partner, days_ago=10 + visit, amount=100.0 * (rank + 1))
        never = self._client("潜力")
        self._recompute()
        self.assertEqual(
            [p.beauty_value_class for p in customers],
            ["regular", "regular", "silver", "gold", "vip"],
        )
        self.assertEqual(never.beauty_value_class, "potential")

    def test_top_spender_who_rarely_comes_is_gold(self):
        rare = self._client("高消费少到店")
        self._paid(rare, days_ago=10, amount=10000.0)
        regulars = [self._client(f"常客{i}") for i in range(4)]
        for rank, partner in enumerate(regulars):
            for visit in range(rank + 2):
                self._paid(partner, days_ago=20 + visit, amount=100.0)
        self._recompute()
        self.assertEqual((rare.beauty_monetary_score, rare.beauty_frequency_score), ("5", "1"))
        self.assertEqual(rare.beauty_value_class, "gold")

    def test_periods_per_store(self):
        branch = self.env["res.company"].create(
            {
                "name": "Branch store",
                "beauty_segment_new_days": 30,
                "beauty_segment_active_days": 45,
            }
        )
        branch.partner_id.tz = "Asia/Shanghai"
        here = self._client("总店客人")
        there = self._client("分店客人", company_id=branch.id)
        # Every customer belongs to a store (a customer without one is refused).
        for partner in (here, there):
            self._treated(partner, days_ago=60)
        self._recompute()
        self.assertEqual(here.beauty_lifecycle, "active")
        self.assertEqual(there.beauty_lifecycle, "at_risk")
        self.assertEqual(there.beauty_segment_company_id, branch)
        # Ranked within her own store: alone there, the best score.
        self.assertEqual(there.beauty_recency_score, "5")
        with self.assertRaises(ValidationError):
            branch.beauty_segment_risk_days = 20

    # -- history and writes ---------------------------------------------------------------
    def test_moves_only_on_change_and_idempotent(self):
        partner = self._client("流失轨迹")
        self._treated(partner, days_ago=80)
        self.assertTrue(self._recompute())
        self.assertEqual(partner.beauty_lifecycle, "active")
        self.assertEqual(partner.beauty_segment_date, TODAY)
        self.assertFalse(self.Move.search([("partner_id", "=", partner.id)]))
        # Same day again: nothing to write, no move.
        self.assertEqual(self._recompute(), 0)
        later = TODAY + timedelta(days=11)
        with freeze_time(NOW + timedelta(days=11)):
            self.assertEqual(self._recompute(later), 1)
            self.assertEqual(self._recompute(later), 0)
        moves = self.Move.search([("partner_id", "=", partner.id)])
        self.assertEqual(len(moves), 1)
        self.assertEqual(
            (moves.from_state, moves.to_state, moves.date, moves.company_id),
            ("active", "at_risk", later, self.company),
        )
        self.assertEqual(partner.beauty_segment_date, later)
        self.assertEqual(self.company.beauty_segment_computed_on, later)

    def test_former_customer_loses_her_segment(self):
        partner = self._client("不再是顾客")
        self._treated(partner, days_ago=100)
        self._treated(partner, days_ago=3)
        self._recompute()
        self.assertEqual(partner.beauty_lifecycle, "active")
        partner.beauty_is_customer = False
        self._recompute()
        self.assertEqual(self._segment(partner), (False,) * 5)

    def test_constant_queries(self):
        def populate(count):
            for i in range(count):
                partner = self._client(f"批量{count}-{i}")
                self._treated(partner, days_ago=10 + i)
                self._paid(partner, days_ago=5 + i, amount=50.0 * (i + 1))
            self.env.flush_all()

        self._recompute()  # warms the caches (the main company's xml id)
        populate(3)
        with self.assertQueryCount(16):
            self._recompute()
        populate(30)
        with self.assertQueryCount(16):
            self._recompute()
        # Nothing changed: the batch loop is skipped.
        with self.assertQueryCount(15):
            self._recompute()

    def test_cron_commits_through_progress(self):
        partner = self._client("定时任务")
        self._treated(partner, days_ago=100)
        self._treated(partner, days_ago=3)
        calls = []

        def progress(done, remaining=None):
            calls.append((done, remaining))
            return float("inf")

        self.Partner._beauty_recompute_segments(today=TODAY, batch_size=1, progress=progress)
        self.assertEqual(partner.beauty_lifecycle, "active")
        self.assertEqual(calls[0], (1, 0))

    # -- access -------------------------------------------------------------------------------
    def test_reports_are_for_managers_and_stores(self):
        partner = self._client("报表")
        self._treated(partner, days_ago=80)
        self._recompute()
        with freeze_time(NOW + timedelta(days=11)):
            self._recompute(TODAY + timedelta(days=11))
        front_desk = self.users["front_desk"]
        manager = self.users["manager"]
        for model in ("beauty.lifecycle.move", "beauty.customer.growth.report"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(front_desk).search([])
        moves = self.Move.with_user(manager).search([("partner_id", "=", partner.id)])
        self.assertEqual(len(moves), 1)
        growth = self.env["beauty.customer.growth.report"].with_user(manager)
        groups = growth._read_group(
            [("partner_id", "=", partner.id)], ["company_id"], ["new_count:sum", "active_count:sum"]
        )
        self.assertEqual(groups, [(self.company, 1, 0)])
        # Another store's manager sees neither.
        branch = self.env["res.company"].create({"name": "Other store"})
        manager.write({"company_ids": [Command.link(branch.id)], "company_id": branch.id})
        self.assertFalse(
            self.Move.with_user(manager).with_context(allowed_company_ids=[branch.id]).search([])
        )
        self.assertFalse(
            self.env["beauty.customer.growth.report"]
            .with_user(manager)
            .with_context(allowed_company_ids=[branch.id])
            .search([])
        )

    def test_front_desk_filters_on_segments(self):
        partner = self._client("前台筛选")
        self._treated(partner, days_ago=200)
        self._recompute()
        Partner = self.Partner.with_user(self.users["front_desk"])
        found = Partner.search(
            [("beauty_lifecycle", "=", "dormant"), ("beauty_value_class", "=", "regular")]
        )
        self.assertEqual(found, partner)
        groups = Partner._read_group(
            [("id", "=", partner.id)], ["beauty_lifecycle", "beauty_recency_score"], ["__count"]
        )
        self.assertEqual(groups, [("dormant", "5", 1)])
        other = self._client("排序")
        self._treated(other, days_ago=5)
        self._recompute()
        self.assertEqual(
            Partner.search([("id", "in", (partner | other).ids)], order="beauty_lifecycle"),
            other | partner,  # "active" before "dormant"
        )
        # The segment rows themselves (and the visit summaries) are for managers.
        for model in ("beauty.customer.segment", "beauty.visit.stats"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.users["front_desk"]).search([])

    # -- tags -----------------------------------------------------------------------------------
    def test_segment_tags_follow_the_segment(self):
        def tag(xmlid):
            return self.env.ref(f"beauty_marketing.res_partner_category_{xmlid}")

        own = self.env["res.partner.category"].create({"name": "Likes mornings"})
        partner = self._client("标签", category_id=[Command.link(own.id)])
        self._treated(partner, days_ago=120)
        self._treated(partner, days_ago=80)
        self._recompute()
        self.assertEqual(partner.category_id, own | tag("lifecycle_active") | tag("value_regular"))
        with freeze_time(NOW + timedelta(days=11)):
            self._recompute(TODAY + timedelta(days=11))
        self.assertEqual(partner.category_id, own | tag("lifecycle_at_risk") | tag("value_regular"))
        # Mass mailing and every other tag-based tool finds her by the tag.
        self.assertIn(
            partner, self.Partner.search([("category_id", "child_of", tag("segment").id)])
        )
        partner.beauty_is_customer = False
        self._recompute(TODAY + timedelta(days=11))
        self.assertEqual(partner.category_id, own)
