import json
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .res_partner_segment import PAID_STATES

# Kept in ir_config_parameter (read and written in SQL by this model only): when the
# summaries were last brought up to date, for which 12 months, in which time zones, and
# when they were last rebuilt. Deleting the parameter makes the next night rebuild them.
STATE_KEY = "beauty_marketing.visit_stats_state"
# Rows written by a transaction still open at the last update carry a write date before
# it (Odoo stamps the start of the transaction): what was written since one hour before it
# is looked at again. The weekly rebuild catches anything older.
DIRTY_MARGIN = timedelta(hours=1)
REBUILD_EVERY = timedelta(days=7)
# Time zones are at most 14 hours from UTC: a local day lies within a day of its UTC date.
ZONE_MARGIN = timedelta(days=1)
DIRTY_TABLE = "beauty_visit_dirty"


class BeautyVisitStats(models.Model):
    """A customer's visits summed up for the nightly segments: her first and last day of
    visit, the days she came and her net spend over the last 12 months.

    A visit is a day (in the store's time zone) with a finished treatment record or a paid
    POS order of a positive amount; spend is the net amount of the paid POS orders (refunds
    count negative). The summaries are kept in SQL, so that a night does not add up a
    million visits again: each night recomputes only the customers whose records were
    written since the previous one or who have a visit leaving the 12 months; a record
    deleted or moved to another customer, and a merge of customers, recompute theirs at
    once; everything is rebuilt weekly, when a store's time zone changes, and when the
    computation goes back in time.
    """

    _name = "beauty.visit.stats"
    _description = "Customer visit summary"
    _log_access = False
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", readonly=True
    )
    first_day = fields.Date(string="First visit", readonly=True)
    last_day = fields.Date(string="Last visit", readonly=True)
    frequency = fields.Integer(
        string="Visit days", readonly=True, help="Days she came in the last 12 months."
    )
    monetary = fields.Float(
        string="Net spend",
        digits=False,
        readonly=True,
        help="Paid POS orders of the last 12 months, net of refunds.",
    )

    _partner_unique = models.Constraint("UNIQUE(partner_id)", "A customer has one visit summary.")

    # -- the summary of some customers -------------------------------------------------------
    @api.model
    def _beauty_stats_query(self, today, zones, only=None):
        """SQL of (partner_id, first_day, last_day, frequency, monetary) up to ``today``,
        of every customer or of those in the table ``only``.

        The days visited in the last 12 months are counted exactly, without a grouping per
        day, as the bits set in a bit string of one bit per day of the period.
        """
        Partner = self.env["res.partner"]
        start = today - relativedelta(months=12)
        visits = SQL(
            """
            SELECT r.partner_id, %(record_day)s AS day, NULL::numeric AS amount,
                   TRUE AS is_visit
              FROM beauty_treatment_record r
             WHERE r.state = 'done' %(record_only)s
         UNION ALL
            SELECT o.partner_id, %(order_day)s, o.amount_total, o.amount_total > 0
              FROM pos_order o
             WHERE o.partner_id IS NOT NULL AND o.state IN %(paid)s %(order_only)s
            """,
            record_day=Partner._beauty_local_day(SQL("r.date"), SQL("r.company_id"), zones),
            order_day=Partner._beauty_local_day(SQL("o.date_order"), SQL("o.company_id"), zones),
            paid=PAID_STATES,
            record_only=SQL("AND r.partner_id = x.id") if only else SQL(""),
            order_only=SQL("AND o.partner_id = x.id") if only else SQL(""),
        )
        if only:
            # Customer by customer through the indexes on partner_id: a few thousand
            # customers a night, whose rows are the only ones converted to local days.
            source = SQL("%s x CROSS JOIN LATERAL (%s) v", only, visits)
        else:
            source = SQL("(%s) v", visits)
        return SQL(
            """
            SELECT partner_id,
                   MIN(day) FILTER (WHERE is_visit) AS first_day,
                   MAX(day) FILTER (WHERE is_visit) AS last_day,
                   COALESCE(BIT_COUNT(BIT_OR(SET_BIT(%(zeros)s::varbit, %(today)s - day, 1))
                                      FILTER (WHERE is_visit AND day > %(start)s)), 0)
                       AS frequency,
                   COALESCE(SUM(amount) FILTER (WHERE day > %(start)s), 0) AS monetary
              FROM %(source)s
             WHERE day <= %(today)s
          GROUP BY partner_id
            """,
            zeros="0" * (today - start).days,
            today=today,
            start=start,
            source=source,
        )

    @api.model
    def _beauty_refresh(self, partner_ids=None, dirty=None, state=None):
        """Recompute the summaries of the customers ``partner_ids``, or of those that the SQL
        query ``dirty`` (of customer ids) returns, for the 12 months of the last update."""
        cr = self.env.cr
        if dirty is None:
            partner_ids = sorted({pid for pid in partner_ids or () if pid})
            if not partner_ids:
                return
            self.env.flush_all()
            dirty = SQL("SELECT UNNEST(%s::int[])", partner_ids)
        state = state if state is not None else self._beauty_state()
        if not state.get("today"):
            return  # never computed: the next night builds them all
        today = fields.Date.to_date(state["today"])
        table = SQL.identifier(DIRTY_TABLE)
        cr.execute(SQL("DROP TABLE IF EXISTS %s", table))
        cr.execute(
            SQL(
                """
                CREATE TEMP TABLE %(table)s (id int PRIMARY KEY) ON COMMIT DROP;
                INSERT INTO %(table)s SELECT DISTINCT id FROM (%(dirty)s) d(id)
                 WHERE id IS NOT NULL;
                ANALYZE %(table)s;
                DELETE FROM beauty_visit_stats s USING %(table)s x WHERE s.partner_id = x.id;
                INSERT INTO beauty_visit_stats
                       (partner_id, first_day, last_day, frequency, monetary)
                %(stats)s;
                DROP TABLE %(table)s;
                """,
                table=table,
                dirty=dirty,
                stats=self._beauty_stats_query(today, state["zones"], only=table),
            )
        )
        self.invalidate_model()

    @api.model
    def _beauty_state(self):
        self.env.cr.execute(SQL("SELECT value FROM ir_config_parameter WHERE key = %s", STATE_KEY))
        row = self.env.cr.fetchone()
        return json.loads(row[0]) if row else {}

    @api.model
    def _beauty_zones(self):
        """{time zone: [company ids]} of the stores (the user's zone, else UTC, for a store
        without one)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT json_object_agg(tz, ids)
                  FROM (SELECT COALESCE(NULLIF(cp.tz, ''), %s) AS tz,
                               ARRAY_AGG(c.id ORDER BY c.id) AS ids
                          FROM res_company c
                          JOIN res_partner cp ON cp.id = c.partner_id
                      GROUP BY 1) z
                """,
                self.env.user.tz or "UTC",
            )
        )
        return self.env.cr.fetchone()[0] or {}

    # -- the nightly update ------------------------------------------------------------------
    @api.model
    def _beauty_sync(self, today, rebuild=False):
        """Bring the summaries up to date for the 12 months up to ``today``.

        Rebuilds them all when asked, on the first run, weekly, when a store's time zone
        changed, or when ``today`` is before the day of the last update; otherwise
        recomputes the customers with a treatment record or POS order written since the last
        update, or dated between the last update's days and this one's (a visit leaving the
        12 months, or a visit dated ahead that is now in the past).
        """
        cr = self.env.cr
        now = cr.now()
        zones = self._beauty_zones()
        state = self._beauty_state()
        rebuilt = fields.Datetime.to_datetime(state.get("rebuilt"))
        last_today = fields.Date.to_date(state.get("today"))
        if (
            rebuild
            or not state.get("synced")
            or not rebuilt
            or now - rebuilt >= REBUILD_EVERY
            or state.get("zones") != zones
            or not last_today
            or today < last_today
        ):
            cr.execute(SQL("TRUNCATE beauty_visit_stats"))
            cr.execute(
                SQL(
                    "INSERT INTO beauty_visit_stats "
                    "(partner_id, first_day, last_day, frequency, monetary) %s",
                    self._beauty_stats_query(today, zones),
                )
            )
            rebuilt = now
        else:
            since = fields.Datetime.to_datetime(state["synced"]) - DIRTY_MARGIN
            start, last_start = (day - relativedelta(months=12) for day in (today, last_today))
            Partner = self.env["res.partner"]
            record_day = Partner._beauty_local_day(SQL("date"), SQL("company_id"), zones)
            order_day = Partner._beauty_local_day(SQL("date_order"), SQL("company_id"), zones)
            parts = [
                SQL("SELECT partner_id FROM beauty_treatment_record WHERE write_date >= %s", since),
                SQL("SELECT partner_id FROM pos_order WHERE write_date >= %s", since),
            ]
            # Visits whose local day leaves the 12 months, or was ahead of the last update
            # and is now in the past (the UTC range first, for the index on the date).
            for low, high in ((last_start, start), (last_today, today)):
                if high <= low:
                    continue
                bounds = (
                    fields.Datetime.to_datetime(low) - ZONE_MARGIN,
                    fields.Datetime.to_datetime(high) + 2 * ZONE_MARGIN,
                )
                for table, column, day in (
                    ("beauty_treatment_record", "date", record_day),
                    ("pos_order", "date_order", order_day),
                ):
                    parts.append(
                        SQL(
                            """
                            SELECT partner_id FROM %(table)s
                             WHERE %(column)s >= %(low)s AND %(column)s < %(high)s
                               AND %(day)s > %(first)s AND %(day)s <= %(last)s
                            """,
                            table=SQL.identifier(table),
                            column=SQL.identifier(column),
                            low=bounds[0],
                            high=bounds[1],
                            day=day,
                            first=low,
                            last=high,
                        )
                    )
            state = {"today": fields.Date.to_string(today), "zones": zones}
            self._beauty_refresh(dirty=SQL(" UNION ALL ").join(parts), state=state)
        value = json.dumps(
            {
                "synced": fields.Datetime.to_string(now),
                "rebuilt": fields.Datetime.to_string(rebuilt),
                "today": fields.Date.to_string(today),
                "zones": zones,
            }
        )
        cr.execute(
            SQL(
                """
                INSERT INTO ir_config_parameter (key, value, create_uid, create_date,
                                                 write_uid, write_date)
                VALUES (%(key)s, %(value)s, %(uid)s, %(now)s, %(uid)s, %(now)s)
                ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value,
                                                write_uid = EXCLUDED.write_uid,
                                                write_date = EXCLUDED.write_date
                """,
                key=STATE_KEY,
                value=value,
                uid=self.env.uid,
                now=now,
            )
        )
        self.invalidate_model()
