import json
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.beauty_treatment.models.beauty_package_pos_order import PAID_STATES

# Kept in ir_config_parameter (read and written in SQL by this model only): when the
# summaries were last brought up to date, for which 12 months, in which time zones, and
# when they were last rebuilt. Deleting the parameter makes the next night rebuild them.
STATE_KEY = "beauty_marketing.visit_stats_state"
# Rows written by a transaction still open at the last update carry a write date before
# it (Odoo stamps the start of the transaction): what was written since one hour before it
# is looked at again. The weekly rebuild catches anything older.
DIRTY_MARGIN = timedelta(hours=1)
REBUILD_EVERY = timedelta(days=7)
# Further ahead than this from the last update, the summaries are rebuilt.
MAX_STEP = timedelta(days=31)
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

    refreshed_at = fields.Datetime(
        string="Recomputed on",
        readonly=True,
        help="When a change of her records recomputed it between two nights.",
    )

    _partner_unique = models.Constraint("UNIQUE(partner_id)", "A customer has one visit summary.")

    # -- the summary of some customers -------------------------------------------------------
    @api.model
    def _beauty_local_day(self, column, company_column, zones):
        """SQL of the store's local day of the UTC timestamp ``column``, for the stores
        ``zones`` ({time zone: [company ids]}); NULL for a row of another company."""
        branches = [
            SQL(
                "WHEN %s IN %s THEN (%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date",
                company_column,
                tuple(company_ids),
                column,
                tz,
            )
            for tz, company_ids in sorted(zones.items())
        ]
        return SQL("CASE %s END", SQL(" ").join(branches)) if branches else SQL("NULL::date")

    @api.model
    def _beauty_visits(self, zones, record_cond=None, order_cond=None):
        """SQL of the rows (partner_id, day, amount, is_visit) of the finished treatment
        records (aliased ``r``) and paid POS orders (``o``) meeting the extra conditions."""
        return SQL(
            """
            SELECT r.partner_id, %(record_day)s AS day, NULL::numeric AS amount,
                   TRUE AS is_visit
              FROM beauty_treatment_record r
             WHERE r.state = 'done' AND %(record_cond)s
         UNION ALL
            SELECT o.partner_id, %(order_day)s, o.amount_total, o.amount_total > 0
              FROM pos_order o
             WHERE o.partner_id IS NOT NULL AND o.state IN %(paid)s AND %(order_cond)s
            """,
            record_day=self._beauty_local_day(SQL("r.date"), SQL("r.company_id"), zones),
            order_day=self._beauty_local_day(SQL("o.date_order"), SQL("o.company_id"), zones),
            paid=PAID_STATES,
            record_cond=record_cond or SQL("TRUE"),
            order_cond=order_cond or SQL("TRUE"),
        )

    @api.model
    def _beauty_visits_between(self, zones, first, last, created_by=None):
        """The visit rows whose local day is after ``first`` and up to ``last`` (found by
        their UTC date first, through its index), created by ``created_by`` if given."""
        low = fields.Datetime.to_datetime(first) - ZONE_MARGIN
        high = fields.Datetime.to_datetime(last) + 2 * ZONE_MARGIN
        record_cond = SQL("r.date >= %s AND r.date < %s", low, high)
        order_cond = SQL("o.date_order >= %s AND o.date_order < %s", low, high)
        if created_by:
            record_cond = SQL("%s AND r.create_date <= %s", record_cond, created_by)
            order_cond = SQL("%s AND o.create_date <= %s", order_cond, created_by)
        rows = self._beauty_visits(zones, record_cond, order_cond)
        return SQL("SELECT * FROM (%s) v WHERE day > %s AND day <= %s", rows, first, last)

    @api.model
    def _beauty_stats_query(self, today, zones, only=None):
        """SQL of (partner_id, first_day, last_day, frequency, monetary) up to ``today``,
        of every customer or of those in the table ``only``.

        The days visited in the last 12 months are counted exactly, without a grouping per
        day, as the bits set in a bit string of one bit per day of the period.
        """
        start = today - relativedelta(months=12)
        if only:
            # Customer by customer through the indexes on partner_id: a few thousand
            # customers a night, whose rows are the only ones converted to local days.
            visits = self._beauty_visits(
                zones, SQL("r.partner_id = x.id"), SQL("o.partner_id = x.id")
            )
            source = SQL("%s x CROSS JOIN LATERAL (%s) v", only, visits)
        else:
            source = SQL("(%s) v", self._beauty_visits(zones))
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
    def _beauty_refresh(self, partner_ids=None, dirty=None, state=None, before=None):
        """Recompute the summaries of the customers ``partner_ids``, or of those that the SQL
        query ``dirty`` (of customer ids) returns, for the 12 months of the last update.

        ``before``: statements run once the customers are in the temporary table
        ``beauty_visit_dirty`` and before their summaries are recomputed.
        """
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
                %(before)s;
                DELETE FROM beauty_visit_stats s USING %(table)s x WHERE s.partner_id = x.id;
                INSERT INTO beauty_visit_stats
                       (partner_id, first_day, last_day, frequency, monetary, refreshed_at)
                SELECT *, %(now)s FROM (%(stats)s) n;
                DROP TABLE %(table)s;
                """,
                table=table,
                dirty=dirty,
                before=before or SQL("SELECT 1"),
                now=cr.now(),
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
    def _beauty_update(self, today, last_today, state, zones):
        """Bring the summaries from ``last_today`` to ``today`` without a rebuild.

        - rows created since the last update are added to their customer's summary when
          they can be (the customer has a summary and they are later than her last visit);
        - visits leaving the 12 months are taken off their customer's summary;
        - the customers with rows written since the last update that existed before it
          (changed), with rows dated ahead then and now in the past, with new rows that
          cannot be added, or recomputed since the last update (a record deleted or moved),
          are recomputed from all their rows.
        Adding and taking off are exact because those customers' other rows did not change.
        """
        synced = datetime.fromisoformat(state["synced"])
        since = synced - DIRTY_MARGIN
        start, last_start = (day - relativedelta(months=12) for day in (today, last_today))
        new = SQL.identifier("beauty_visit_new")
        dirty = SQL.identifier(DIRTY_TABLE)
        self.env.cr.execute(
            SQL(
                """
                DROP TABLE IF EXISTS %(new)s;
                CREATE TEMP TABLE %(new)s ON COMMIT DROP AS %(rows)s;
                ANALYZE %(new)s;
                """,
                new=new,
                rows=self._beauty_visits(
                    zones,
                    SQL("r.write_date > %(t)s AND r.create_date > %(t)s", t=synced),
                    SQL("o.write_date > %(t)s AND o.create_date > %(t)s", t=synced),
                ),
            )
        )
        parts = [
            SQL(
                "SELECT partner_id FROM %s WHERE write_date >= %s AND create_date <= %s",
                SQL.identifier(table),
                since,
                synced,
            )
            for table in ("beauty_treatment_record", "pos_order")
        ]
        parts.append(
            SQL(
                """
                SELECT n.partner_id
                  FROM %(new)s n
             LEFT JOIN beauty_visit_stats s ON s.partner_id = n.partner_id
                 WHERE s.id IS NULL OR n.day > %(today)s
                    OR (n.is_visit AND n.day <= s.last_day)
                """,
                new=new,
                today=today,
            )
        )
        # Recomputed since the last update (a record deleted or moved, a merge): her new
        # rows may be in her summary already.
        parts.append(
            SQL("SELECT partner_id FROM beauty_visit_stats WHERE refreshed_at > %s", synced)
        )
        if today > last_today:
            entering = self._beauty_visits_between(zones, last_today, today)
            parts.append(SQL("SELECT partner_id FROM (%s) e", entering))
        steps = [
            SQL(
                """
                UPDATE beauty_visit_stats s
                   SET first_day = LEAST(s.first_day, a.first_day),
                       last_day = GREATEST(s.last_day, a.last_day),
                       frequency = s.frequency + a.days,
                       monetary = s.monetary + a.amount
                  FROM (SELECT partner_id,
                               MIN(day) FILTER (WHERE is_visit) AS first_day,
                               MAX(day) FILTER (WHERE is_visit) AS last_day,
                               COUNT(DISTINCT day) FILTER (WHERE is_visit AND day > %(start)s)
                                   AS days,
                               COALESCE(SUM(amount) FILTER (WHERE day > %(start)s), 0)
                                   AS amount
                          FROM %(new)s n
                         WHERE NOT EXISTS (SELECT 1 FROM %(dirty)s x WHERE x.id = n.partner_id)
                      GROUP BY partner_id) a
                 WHERE s.partner_id = a.partner_id
                """,
                new=new,
                dirty=dirty,
                start=start,
            )
        ]
        if start > last_start:
            leaving = self._beauty_visits_between(zones, last_start, start, created_by=synced)
            steps.append(
                SQL(
                    """
                    UPDATE beauty_visit_stats s
                       SET frequency = s.frequency - l.days, monetary = s.monetary - l.amount
                      FROM (SELECT partner_id,
                                   COUNT(DISTINCT day) FILTER (WHERE is_visit) AS days,
                                   COALESCE(SUM(amount), 0) AS amount
                              FROM (%(leaving)s) v
                             WHERE NOT EXISTS (SELECT 1 FROM %(dirty)s x
                                                WHERE x.id = v.partner_id)
                          GROUP BY partner_id) l
                     WHERE s.partner_id = l.partner_id
                    """,
                    leaving=leaving,
                    dirty=dirty,
                )
            )
        self._beauty_refresh(
            dirty=SQL(" UNION ALL ").join(parts),
            state={"today": fields.Date.to_string(today), "zones": zones},
            before=SQL("; ").join(steps),
        )
        self.env.cr.execute(SQL("DROP TABLE %s", new))

    # -- the nightly update ------------------------------------------------------------------
    @api.model
    def _beauty_sync(self, today, rebuild=False):
        """Bring the summaries up to date for the 12 months up to ``today``.

        Rebuilds them all when asked, on the first run, weekly, when a store's time zone
        changed, or when ``today`` is before the day of the last update or more than a month
        after it. Otherwise recomputes the customers with a treatment record or POS order
        written since the last update or dated ahead then and now in the past, and takes the
        visits that left the 12 months off the others' summaries.
        """
        cr = self.env.cr
        now = cr.now()
        zones = self._beauty_zones()
        state = self._beauty_state()
        rebuilt = state.get("rebuilt") and datetime.fromisoformat(state["rebuilt"])
        last_today = fields.Date.to_date(state.get("today"))
        if (
            rebuild
            or not state.get("synced")
            or not rebuilt
            or now - rebuilt >= REBUILD_EVERY
            or state.get("zones") != zones
            or not last_today
            or not last_today <= today <= last_today + MAX_STEP
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
            self._beauty_update(today, last_today, state, zones)
        value = json.dumps(
            {
                # to the microsecond, as the creation dates it is compared with
                "synced": now.isoformat(),
                "rebuilt": rebuilt.isoformat(),
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
