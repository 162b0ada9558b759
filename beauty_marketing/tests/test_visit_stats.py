import importlib.util
import json
from datetime import timedelta
from pathlib import Path

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common import NOW, TODAY
from .test_segments import SegmentCase

STATE_KEY = "beauty_marketing.visit_stats_state"


@tagged("post_install", "-at_install")
class TestVisitStats(SegmentCase):
    """The nightly run recomputes only some customers' visit summaries; whatever happened in
    between, they must equal summaries rebuilt from scratch."""

    def setUp(self):
        super().setUp()
        self.Stats = self.env["beauty.visit.stats"]

    def _stats(self, partner):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT first_day, last_day, frequency, monetary FROM beauty_visit_stats "
            "WHERE partner_id = %s",
            [partner.id],
        )
        row = self.env.cr.fetchone()
        return row and (row[0], row[1], row[2], float(row[3]))

    def _state(self):
        self.env.cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [STATE_KEY])
        return json.loads(self.env.cr.fetchone()[0])

    def _assert_same_as_rebuilt(self):
        """The table holds exactly what a rebuild for the last update's day would write."""
        self.env.flush_all()
        state = self._state()
        rebuilt = self.Stats._beauty_stats_query(
            fields.Date.to_date(state["today"]), state["zones"]
        )
        cr = self.env.cr
        cr.execute(SQL("SELECT * FROM (%s) r ORDER BY 1", rebuilt))
        expected = [(*row[:4], float(row[4])) for row in cr.fetchall()]
        cr.execute(
            "SELECT partner_id, first_day, last_day, frequency, monetary "
            "FROM beauty_visit_stats ORDER BY partner_id"
        )
        actual = [(*row[:4], float(row[4])) for row in cr.fetchall()]
        self.assertEqual(actual, expected)

    def _plant_sentinel(self):
        """A summary that no record explains: an update that keeps it did not rebuild."""
        self.sentinel = self._client("哨兵")
        self.env.flush_all()
        self.env.cr.execute(
            "INSERT INTO beauty_visit_stats (partner_id, frequency, monetary) VALUES (%s, 9, 9)",
            [self.sentinel.id],
        )

    def _rebuilt(self):
        """Whether the last update rebuilt the summaries (the sentinel is gone); removes it."""
        gone = not self._stats(self.sentinel)
        self.env.cr.execute(
            "DELETE FROM beauty_visit_stats WHERE partner_id = %s", [self.sentinel.id]
        )
        return gone

    def _written_long_ago(self):
        """As if every record had been written three days ago (not dirty by its date)."""
        self.env.flush_all()
        for table in ("beauty_treatment_record", "pos_order"):
            self.env.cr.execute(
                SQL("UPDATE %s SET write_date = %s", SQL.identifier(table), NOW - timedelta(3))
            )

    def test_first_run_builds_then_nights_are_incremental(self):
        partner = self._client("增量")
        self._treated(partner, days_ago=360)
        self._paid(partner, days_ago=360, amount=70.0)
        self._treated(partner, days_ago=10)
        self._paid(partner, days_ago=10, amount=200.0)
        self._recompute()
        self.assertEqual(
            self._stats(partner),
            (TODAY - timedelta(360), TODAY - timedelta(10), 2, 270.0),
        )
        self._written_long_ago()
        self._plant_sentinel()
        # Ten days later the day of 360 days ago (a treatment and an order) has left the 12
        # months: found by its date, taken off her summary as one day and its spend.
        later = TODAY + timedelta(days=10)
        self._recompute(later)
        self.assertFalse(self._rebuilt())
        self.assertEqual(self._stats(partner)[2:], (1, 200.0))
        self.assertEqual(self._state()["today"], str(later))
        self._assert_same_as_rebuilt()
        # More than a month ahead: rebuilt.
        self._plant_sentinel()
        self._recompute(later + timedelta(days=40))
        self.assertTrue(self._rebuilt())

    def test_new_and_changed_records_are_picked_up(self):
        old, other = self._client("老顾客"), self._client("对照")
        self._treated(old, days_ago=40)
        cancelled = self._treated(other, days_ago=40)
        self._treated(other, days_ago=60)
        self._recompute()
        self._written_long_ago()
        self._plant_sentinel()
        self._paid(old, days_ago=1, amount=300.0)
        self._paid(other, days_ago=1, amount=-50.0)
        self._recompute(TODAY + timedelta(days=1))
        self.assertEqual(self._stats(old)[1:], (TODAY - timedelta(1), 2, 300.0))
        self.assertEqual(self._stats(other)[1:], (TODAY - timedelta(40), 2, -50.0))
        # A cancelled record is not a visit any more.
        cancelled.action_cancel()
        self._recompute(TODAY + timedelta(days=1))
        self.assertEqual(self._stats(other)[1:], (TODAY - timedelta(60), 1, -50.0))
        self.assertFalse(self._rebuilt())
        self._assert_same_as_rebuilt()

    def test_records_created_since_are_added(self):
        """Rows created after the last update are added to the summary when they come after
        the customer's last visit; otherwise she is recomputed."""
        regular, backdated = self._client("常客"), self._client("补录")
        refunded = self._client("退款后删除")
        self._treated(refunded, days_ago=30)
        for partner in (regular, backdated):
            self._treated(partner, days_ago=30)
            self._treated(partner, days_ago=10)
        self._recompute()
        # As if that update had run two hours ago, on records written three days ago.
        self._written_long_ago()
        self.env.cr.execute(
            "UPDATE beauty_treatment_record SET create_date = write_date; "
            "UPDATE pos_order SET create_date = write_date"
        )
        state = dict(self._state(), synced=(NOW - timedelta(hours=2)).isoformat())
        self.env.cr.execute(
            "UPDATE ir_config_parameter SET value = %s WHERE key = %s",
            [json.dumps(state), STATE_KEY],
        )
        # A first day no record explains: kept by an addition, gone with a recompute.
        marker = TODAY - timedelta(days=900)
        self.env.cr.execute(
            "UPDATE beauty_visit_stats SET first_day = %s WHERE partner_id IN %s",
            [marker, (regular.id, backdated.id)],
        )
        self._treated(regular, days_ago=2)
        self._paid(regular, days_ago=2, amount=150.0)
        self._paid(regular, days_ago=1, amount=-20.0)
        self._treated(backdated, days_ago=20)
        # A refund created today, then her summary recomputed at once (a record of hers
        # deleted): the night must not add the refund a second time.
        self._paid(refunded, days_ago=1, amount=-40.0)
        mistake = self.env["beauty.treatment.record"].create(
            {
                "partner_id": refunded.id,
                "treatment_id": self.facial.id,
                "therapist_id": self.therapist_a.id,
                "date": NOW - timedelta(days=1),
                "company_id": self.company.id,
            }
        )
        mistake.unlink()
        newcomer = self._client("新客")
        self._paid(newcomer, days_ago=1, amount=60.0)
        self._recompute()
        self.assertEqual(self._stats(regular), (marker, TODAY - timedelta(2), 3, 130.0))
        self.assertEqual(
            self._stats(backdated), (TODAY - timedelta(30), TODAY - timedelta(10), 3, 0.0)
        )
        self.assertEqual(self._stats(newcomer), (TODAY - timedelta(1),) * 2 + (1, 60.0))
        self.assertEqual(self._stats(refunded)[2:], (1, -40.0))
        self.env.cr.execute(
            "UPDATE beauty_visit_stats SET first_day = %s WHERE partner_id = %s",
            [TODAY - timedelta(30), regular.id],
        )
        self._assert_same_as_rebuilt()

    def test_deleted_record_and_moved_order_at_once(self):
        first, second = self._client("甲"), self._client("乙")
        record = self._treated(first, days_ago=5)
        self._treated(first, days_ago=50)
        order = self._paid(first, days_ago=20, amount=120.0)
        self._recompute()
        self.assertEqual(self._stats(first)[2:], (3, 120.0))
        record.action_cancel()
        self._written_long_ago()
        # Deleted today: its write date says nothing any more, the deletion says it.
        record.unlink()
        self.assertEqual(self._stats(first)[1:], (TODAY - timedelta(20), 2, 120.0))
        # The order moves to another customer: the first one loses it at once.
        order.partner_id = second
        self.assertEqual(self._stats(first)[1:], (TODAY - timedelta(50), 1, 0.0))
        self._recompute()
        self.assertEqual(self._stats(second)[2:], (1, 120.0))
        self._assert_same_as_rebuilt()

    def test_draft_rows_change_no_summary(self):
        """A draft record deleted or a draft order moved were never counted: no recompute."""
        partner, other = self._client("草稿"), self._client("草稿另一位")
        self._treated(partner, days_ago=5)
        self._recompute()
        draft = self.env["beauty.treatment.record"].create(
            {
                "partner_id": partner.id,
                "treatment_id": self.facial.id,
                "therapist_id": self.therapist_a.id,
                "date": NOW,
                "company_id": self.company.id,
            }
        )
        order = self._paid(partner, days_ago=0, amount=90.0, state="draft")
        order.partner_id = other
        draft.unlink()
        self.env.cr.execute(
            "SELECT refreshed_at FROM beauty_visit_stats WHERE partner_id = %s", [partner.id]
        )
        self.assertEqual(self.env.cr.fetchone(), (None,))

    def test_summaries_stay_in_their_store(self):
        """A manager reads the visit summaries of her own stores' customers only."""
        branch = self.env["res.company"].create({"name": "Other store"})
        here = self._client("本店")
        there = self._client("别店", company_id=branch.id)
        shared = self._client("通用", company_id=False)
        for partner in (here, there, shared):
            self._treated(partner, days_ago=5)
        self._recompute()
        manager = self.users["manager"]
        self.assertNotIn(branch, manager.company_ids)
        seen = self.Stats.with_user(manager).search(
            [("partner_id", "in", (here | there | shared).ids)]
        )
        self.assertEqual(seen.partner_id, here | shared)

    def test_merged_customers(self):
        merged = self._client("合并")
        self._treated(merged, days_ago=3)
        self._paid(merged, days_ago=3, amount=80.0)
        self._recompute()
        segment = merged.beauty_segment_id
        # The customer kept is new: she has no segment yet, and takes over the merged one's.
        kept = self._client("保留")
        self._treated(kept, days_ago=40)
        self._written_long_ago()
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge([kept.id, merged.id], kept)
        self.assertFalse(merged.exists())
        self.assertEqual(self._stats(kept), (TODAY - timedelta(40), TODAY - timedelta(3), 2, 80.0))
        self._recompute()
        self.assertEqual(kept.beauty_segment_id, segment)
        self.assertEqual(segment.partner_id, kept)
        self.assertEqual(kept.beauty_lifecycle, "active")
        self._assert_same_as_rebuilt()

    def test_time_zone_change_and_going_back_rebuild(self):
        partner = self._client("时区")
        # 20:00 UTC: 04:00 the next day in Shanghai, still the same day in Paris.
        self.env["beauty.treatment.record"].create(
            {
                "partner_id": partner.id,
                "treatment_id": self.facial.id,
                "therapist_id": self.therapist_a.id,
                "date": NOW.replace(hour=20) - timedelta(days=7),
                "state": "done",
                "company_id": self.company.id,
            }
        )
        self._recompute()
        self.assertEqual(self._stats(partner)[1], TODAY - timedelta(6))
        self._written_long_ago()
        self._plant_sentinel()
        self.company.partner_id.tz = "Europe/Paris"
        self._recompute()
        self.assertTrue(self._rebuilt())
        self.assertEqual(self._stats(partner)[1], TODAY - timedelta(7))
        self._assert_same_as_rebuilt()
        # Computing an earlier day again rebuilds too (its 12 months are other days).
        self._plant_sentinel()
        self._recompute(TODAY - timedelta(days=3))
        self.assertTrue(self._rebuilt())
        self._assert_same_as_rebuilt()
        # The same day again, nothing written since: an update, not a rebuild.
        self._plant_sentinel()
        self._recompute(TODAY - timedelta(days=3))
        self.assertFalse(self._rebuilt())


@tagged("post_install", "-at_install")
class TestSegmentMigration(SegmentCase):
    def test_segments_move_out_of_the_customer_table(self):
        """19.0.1.1.0: the values of the former res_partner columns become segment rows."""
        partner = self._client("迁移")
        other = self._client("未计算")
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            "ALTER TABLE res_partner ADD COLUMN beauty_recency_score varchar, "
            "ADD COLUMN beauty_frequency_score varchar, ADD COLUMN beauty_monetary_score varchar, "
            "ADD COLUMN beauty_lifecycle varchar, ADD COLUMN beauty_value_class varchar, "
            "ADD COLUMN beauty_segment_company_id int, ADD COLUMN beauty_segment_date date"
        )
        cr.execute(
            "UPDATE res_partner SET beauty_recency_score = '4', beauty_frequency_score = '3', "
            "beauty_monetary_score = '5', beauty_lifecycle = 'at_risk', "
            "beauty_value_class = 'gold', beauty_segment_company_id = %s, "
            "beauty_segment_date = %s WHERE id = %s",
            [self.company.id, TODAY - timedelta(days=2), partner.id],
        )
        path = Path(__file__).parents[1] / "migrations" / "19.0.1.1.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("segment_migration", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(
            self._segment(partner) + (partner.beauty_segment_date,),
            ("4", "3", "5", "at_risk", "gold", TODAY - timedelta(days=2)),
        )
        self.assertEqual(partner.beauty_segment_company_id, self.company)
        self.assertFalse(other.beauty_segment_id)
        cr.execute(
            "SELECT COUNT(*) FROM information_schema.columns "
            "WHERE table_name = 'res_partner' AND column_name = 'beauty_lifecycle'"
        )
        self.assertEqual(cr.fetchone()[0], 0)
        # The next night computes from there and logs the move from the migrated stage.
        self._treated(partner, days_ago=100)
        self._treated(partner, days_ago=2)
        self._recompute()
        self.assertEqual(partner.beauty_lifecycle, "active")
        move = self.Move.search([("partner_id", "=", partner.id)])
        self.assertEqual((move.from_state, move.to_state), ("at_risk", "active"))
