from datetime import datetime

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

# The same paid states as the member tiers of beauty_membership.
PAID_STATES = ("paid", "done", "invoiced")
LIFECYCLES = [
    ("new", "New customer"),
    ("active", "Active customer"),
    ("at_risk", "At risk"),
    ("dormant", "Dormant"),
    ("lost", "Lost"),
]
VALUE_CLASSES = [
    ("vip", "VIP"),
    ("gold", "Gold"),
    ("silver", "Silver"),
    ("regular", "Regular"),
    ("potential", "Potential"),
]
SCORES = [(str(n), str(n)) for n in range(1, 6)]
SEGMENT_COLUMNS = (
    "beauty_recency_score",
    "beauty_frequency_score",
    "beauty_monetary_score",
    "beauty_lifecycle",
    "beauty_value_class",
    "beauty_segment_company_id",
)
TEMP_TABLE = "beauty_segment_changes"


def _fixed_utc_offset(tz):
    """(offset, since) if the time zone ``tz`` has kept the UTC offset ``offset`` since the
    UTC instant ``since`` (None: always) and has no later change scheduled, else None."""
    try:
        zone = pytz.timezone(tz)
    except pytz.UnknownTimeZoneError:
        return None
    if isinstance(zone, pytz.tzinfo.StaticTzInfo) or zone is pytz.utc:
        return zone.utcoffset(datetime(2000, 1, 1)), None
    transitions = getattr(zone, "_utc_transition_times", None)
    infos = getattr(zone, "_transition_info", None)
    if not transitions or not infos or transitions[-1] > datetime.now():
        return None
    return infos[-1][0], transitions[-1]


class ResPartner(models.Model):
    """Customer segments: RFM scores, lifecycle and value class, stored on the customer and
    recomputed every night by one set-based statement (see ``_beauty_recompute_segments``).

    A visit is a day (in the store's time zone) with a finished treatment record or a paid
    POS order of a positive amount, as for the member tiers; spend is the net amount of the
    paid POS orders (refunds count negative). Frequency and spend cover the last 12 months.
    """

    _inherit = "res.partner"

    beauty_recency_score = fields.Selection(
        SCORES,
        string="Recency score",
        readonly=True,
        copy=False,
        help="5 for the customers of the store who came most recently, 1 for the longest "
        "absent (fifths of the store's customers). Empty: never came.",
    )
    beauty_frequency_score = fields.Selection(
        SCORES,
        string="Frequency score",
        readonly=True,
        copy=False,
        help="Visits over the last 12 months, in fifths of the store's customers who came "
        "(5: the most frequent); 1 without a visit in 12 months.",
    )
    beauty_monetary_score = fields.Selection(
        SCORES,
        string="Spend score",
        readonly=True,
        copy=False,
        help="Net POS spend over the last 12 months, in fifths of the store's customers who "
        "spent (5: the highest); 1 without spend in 12 months.",
    )
    beauty_lifecycle = fields.Selection(
        LIFECYCLES,
        string="Lifecycle",
        readonly=True,
        copy=False,
        index=True,
        help="New: first visit within the new-customer period. Then by days since the last "
        "visit (or since the archive was opened, for a customer who never came): active, at "
        "risk, dormant (沉睡), lost. The periods are set per store in the settings.",
    )
    beauty_value_class = fields.Selection(
        VALUE_CLASSES,
        string="Value class",
        readonly=True,
        copy=False,
        index=True,
        help="VIP: top spend and frequency scores (5 and at least 4); gold: spend score 4 or "
        "more; silver: 3; regular: the others who came; potential: never came.",
    )
    beauty_segment_company_id = fields.Many2one(
        "res.company",
        string="Segment store",
        readonly=True,
        copy=False,
        help="The store whose customers she is ranked with and whose periods apply: her own "
        "store, or the main company for a customer shared by all stores.",
    )
    beauty_segment_date = fields.Date(
        string="Segment changed on",
        readonly=True,
        copy=False,
        help="The day the nightly computation last changed one of her segment values.",
    )
    beauty_lifecycle_move_ids = fields.One2many(
        "beauty.lifecycle.move", "partner_id", string="Lifecycle history", readonly=True
    )

    # -- the computation ---------------------------------------------------------------------
    @api.model
    def _cron_beauty_segments(self):
        self._beauty_recompute_segments(progress=self.env["ir.cron"]._commit_progress)

    @api.model
    def _beauty_recompute_segments(self, today=None, batch_size=50000, progress=None):
        """Recompute the segments of every customer and log lifecycle moves.

        One statement computes the new values of all customers and keeps only those that
        differ from the stored ones; the changed rows are then written, with their moves, in
        batches, with the segment tags (res.partner.category with a ``beauty_segment_key``)
        put on and taken off in the same statements. ``progress(done, remaining=n)`` (the cron's ``_commit_progress``) commits
        each batch and says how much time is left; without it nothing is committed.
        Returns the number of customers written.
        """
        today = today or fields.Date.context_today(self)
        cr = self.env.cr
        self.env.flush_all()
        main = self.env.ref("base.main_company", raise_if_not_found=False) or self.env[
            "res.company"
        ].search([], order="id", limit=1)
        # Partners that stopped being customers lose their segment and its tags.
        cr.execute(
            SQL(
                """
                WITH gone AS (
                    UPDATE res_partner SET %s
                     WHERE beauty_is_customer IS NOT TRUE AND beauty_lifecycle IS NOT NULL
                 RETURNING id
                )
                DELETE FROM res_partner_res_partner_category_rel rel
                 USING gone, res_partner_category c
                 WHERE rel.partner_id = gone.id
                   AND rel.category_id = c.id
                   AND c.beauty_segment_key IS NOT NULL
                """,
                SQL(", ").join(SQL("%s = NULL", SQL.identifier(col)) for col in SEGMENT_COLUMNS),
            )
        )
        cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(TEMP_TABLE)))
        # One large aggregate and three window sorts: let them run in memory, and skip JIT
        # compilation, which costs more than it saves here (this transaction only).
        # (and the stores by time zone, in the same query).
        cr.execute(
            SQL(
                """
                SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true),
                       (SELECT json_object_agg(tz, ids)
                          FROM (SELECT COALESCE(NULLIF(cp.tz, ''), %s) AS tz,
                                       ARRAY_AGG(c.id ORDER BY c.id) AS ids
                                  FROM res_company c
                                  JOIN res_partner cp ON cp.id = c.partner_id
                              GROUP BY 1) z)
                """,
                self.env.user.tz or "UTC",
            )
        )
        zones = cr.fetchone()[2] or {}
        cr.execute(self._beauty_segment_query(today, main.id, zones))
        cr.execute(SQL("SELECT COUNT(*) FROM %s", SQL.identifier(TEMP_TABLE)))
        remaining = cr.fetchone()[0]
        written, last_id = 0, 0
        while remaining:
            cr.execute(self._beauty_segment_write_query(today, last_id, batch_size))
            count, last_id = cr.fetchone()
            written += count
            remaining = max(remaining - count, 0)
            if progress and progress(count, remaining=remaining) <= 0:
                break
        cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(TEMP_TABLE)))
        cr.execute(
            SQL(
                "UPDATE res_company SET beauty_segment_computed_on = %s "
                "WHERE beauty_segment_computed_on IS DISTINCT FROM %s",
                today,
                today,
            )
        )
        self.env["res.company"].invalidate_model(["beauty_segment_computed_on"])
        self.invalidate_model([*SEGMENT_COLUMNS, "beauty_segment_date", "category_id"])
        self.env["res.partner.category"].invalidate_model(["partner_ids"])
        self.env["beauty.lifecycle.move"].invalidate_model()
        if progress:
            progress(0, remaining=0)
        return written

    @api.model
    def _beauty_local_day(self, column, company_column, zones):
        """SQL of the store's local day of the UTC timestamp ``column``, for the stores
        ``zones`` ({time zone: [company ids]}); NULL for a row of another company.

        Converting every row with AT TIME ZONE is most of the cost of the computation, so
        a zone whose UTC offset has not changed since some instant (no daylight saving time,
        as in China) adds that fixed offset to the rows after that instant, which is exact;
        older rows, and zones with daylight saving time, are converted row by row.
        """
        branches = []
        for tz, company_ids in sorted(zones.items()):
            exact = SQL("(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", column, tz)
            fixed = _fixed_utc_offset(tz)
            if fixed:
                offset, since = fixed
                day = SQL("(%s + %s)::date", column, offset)
                if since:
                    day = SQL("CASE WHEN %s >= %s THEN %s ELSE %s END", column, since, day, exact)
            else:
                day = exact
            branches.append(SQL("WHEN %s IN %s THEN %s", company_column, tuple(company_ids), day))
        return SQL("CASE %s END", SQL(" ").join(branches)) if branches else SQL("NULL::date")

    @api.model
    def _beauty_segment_query(self, today, main_company_id, zones):
        """CREATE TEMP TABLE of the customers whose segment changes, with old and new values.

        ``zones``: {time zone: [company ids]} of the stores. One pass over the visits
        aggregates them per customer; the days visited in the last 12 months are counted
        exactly, without a grouping per day, as the bits set in a bit string of one bit per
        day of the period. The fifths of a store are computed on the distinct values only:
        a score is a step function of the value, so each score gets the highest value that
        has it in its store (cume_dist as in a window over all customers), and each customer
        is then scored by comparing her values with these four thresholds of her store.
        """
        start = today - relativedelta(months=12)
        scores = []
        for key, column, cond in (
            ("r", "last_day", "last_day IS NOT NULL"),
            ("f", "frequency", "frequency > 0"),
            ("m", "monetary", "monetary > 0"),
        ):
            scores.append(
                SQL(
                    """
                    SELECT company_id, %(key)s AS score,
                           MAX(value) FILTER (WHERE step <= 1) AS t1,
                           MAX(value) FILTER (WHERE step <= 2) AS t2,
                           MAX(value) FILTER (WHERE step <= 3) AS t3,
                           MAX(value) FILTER (WHERE step <= 4) AS t4
                      FROM (
                            SELECT company_id, value, CEIL(5 * (
                                       SUM(n) OVER (PARTITION BY company_id ORDER BY value)
                                       ::float8
                                       / SUM(n) OVER (PARTITION BY company_id)::float8
                                   )) AS step
                              FROM (
                                    SELECT company_id, (%(column)s)::numeric AS value,
                                           COUNT(*) AS n
                                      FROM customer
                                     WHERE %(cond)s
                                  GROUP BY company_id, (%(column)s)
                                   ) h
                           ) s
                  GROUP BY company_id
                    """,
                    key=key,
                    column=SQL(column if key != "r" else "last_day - DATE '2000-01-01'"),
                    cond=SQL(cond),
                )
            )

        def score(key, value):
            return SQL(
                """
                CASE WHEN %(value)s <= %(key)s.t1 THEN 1 WHEN %(value)s <= %(key)s.t2 THEN 2
                     WHEN %(value)s <= %(key)s.t3 THEN 3 WHEN %(value)s <= %(key)s.t4 THEN 4
                     ELSE 5 END
                """,
                key=SQL.identifier(key),
                value=value,
            )

        return SQL(
            """
            CREATE TEMP TABLE %(table)s AS
            WITH visits AS (
                SELECT partner_id,
                       MIN(day) FILTER (WHERE is_visit) AS first_day,
                       MAX(day) FILTER (WHERE is_visit) AS last_day,
                       BIT_COUNT(BIT_OR(SET_BIT(%(zeros)s::varbit, %(today)s - day, 1))
                                 FILTER (WHERE is_visit AND day > %(start)s)) AS frequency,
                       SUM(amount) FILTER (WHERE day > %(start)s) AS monetary
                  FROM (
                        SELECT r.partner_id, %(record_day)s AS day, NULL::numeric AS amount,
                               TRUE AS is_visit
                          FROM beauty_treatment_record r
                         WHERE r.state = 'done'
                     UNION ALL
                        SELECT o.partner_id, %(order_day)s, o.amount_total, o.amount_total > 0
                          FROM pos_order o
                         WHERE o.partner_id IS NOT NULL
                           AND o.state IN %(paid)s
                       ) v
                 WHERE day <= %(today)s
              GROUP BY partner_id
            ), customer AS MATERIALIZED (
                SELECT p.id,
                       COALESCE(p.company_id, %(main)s) AS company_id,
                       COALESCE(p.beauty_archive_date, p.create_date::date) AS since,
                       v.first_day,
                       v.last_day,
                       COALESCE(v.frequency, 0) AS frequency,
                       COALESCE(v.monetary, 0) AS monetary,
                       p.beauty_recency_score AS old_recency,
                       p.beauty_frequency_score AS old_frequency,
                       p.beauty_monetary_score AS old_monetary,
                       p.beauty_lifecycle AS old_lifecycle,
                       p.beauty_value_class AS old_value_class,
                       p.beauty_segment_company_id AS old_company_id
                  FROM res_partner p
             LEFT JOIN visits v ON v.partner_id = p.id
                 WHERE p.beauty_is_customer
            ), threshold AS (
                %(thresholds)s
            ), scored AS (
                SELECT c.*,
                       CASE WHEN c.last_day IS NOT NULL THEN %(r_score)s END AS r,
                       CASE WHEN c.frequency > 0 THEN %(f_score)s END AS f,
                       CASE WHEN c.monetary > 0 THEN %(m_score)s END AS m
                  FROM customer c
             LEFT JOIN threshold r ON r.company_id = c.company_id AND r.score = 'r'
             LEFT JOIN threshold f ON f.company_id = c.company_id AND f.score = 'f'
             LEFT JOIN threshold m ON m.company_id = c.company_id AND m.score = 'm'
            ), segment AS (
                SELECT s.id,
                       s.company_id,
                       s.r::varchar AS recency,
                       CASE WHEN s.last_day IS NOT NULL THEN COALESCE(s.f, 1) END::varchar
                           AS frequency,
                       CASE WHEN s.last_day IS NOT NULL THEN COALESCE(s.m, 1) END::varchar
                           AS monetary,
                       CASE
                           WHEN COALESCE(s.first_day, s.since) >= %(today)s - co.beauty_segment_new_days
                               THEN 'new'
                           WHEN s.last_day >= %(today)s - co.beauty_segment_active_days
                               THEN 'active'
                           WHEN COALESCE(s.last_day, s.since) >= %(today)s - co.beauty_segment_risk_days
                               THEN 'at_risk'
                           WHEN COALESCE(s.last_day, s.since)
                                >= %(today)s - co.beauty_segment_dormant_days
                               THEN 'dormant'
                           ELSE 'lost'
                       END AS lifecycle,
                       CASE
                           WHEN s.last_day IS NULL THEN 'potential'
                           WHEN s.m = 5 AND s.f >= 4 THEN 'vip'
                           WHEN s.m >= 4 THEN 'gold'
                           WHEN s.m >= 3 THEN 'silver'
                           ELSE 'regular'
                       END AS value_class,
                       s.old_recency, s.old_frequency, s.old_monetary, s.old_lifecycle,
                       s.old_value_class, s.old_company_id
                  FROM scored s
                  JOIN res_company co ON co.id = s.company_id
            )
            SELECT id, company_id, recency, frequency, monetary, lifecycle, value_class,
                   old_lifecycle
              FROM segment
             WHERE (old_recency, old_frequency, old_monetary, old_lifecycle, old_value_class,
                    old_company_id)
                   IS DISTINCT FROM
                   (recency, frequency, monetary, lifecycle, value_class, company_id)
            """,
            table=SQL.identifier(TEMP_TABLE),
            record_day=self._beauty_local_day(SQL("r.date"), SQL("r.company_id"), zones),
            order_day=self._beauty_local_day(SQL("o.date_order"), SQL("o.company_id"), zones),
            zeros="0" * (today - start).days,
            paid=PAID_STATES,
            today=today,
            start=start,
            main=main_company_id,
            thresholds=SQL(" UNION ALL ").join(scores),
            r_score=score("r", SQL("(c.last_day - DATE '2000-01-01')")),
            f_score=score("f", SQL("c.frequency")),
            m_score=score("m", SQL("c.monetary")),
        )

    @api.model
    def _beauty_segment_write_query(self, today, after_id, limit):
        """Write the next ``limit`` changed customers after ``after_id`` and log their
        lifecycle moves; returns (rows written, last id)."""
        return SQL(
            """
            WITH chg AS (
                SELECT * FROM %(table)s WHERE id > %(after)s ORDER BY id LIMIT %(limit)s
            ), upd AS (
                UPDATE res_partner p
                   SET beauty_recency_score = chg.recency,
                       beauty_frequency_score = chg.frequency,
                       beauty_monetary_score = chg.monetary,
                       beauty_lifecycle = chg.lifecycle,
                       beauty_value_class = chg.value_class,
                       beauty_segment_company_id = chg.company_id,
                       beauty_segment_date = %(today)s
                  FROM chg
                 WHERE p.id = chg.id
             RETURNING p.id
            ), moves AS (
                INSERT INTO beauty_lifecycle_move
                       (partner_id, company_id, date, from_state, to_state,
                        create_uid, create_date, write_uid, write_date)
                SELECT chg.id, chg.company_id, %(today)s, chg.old_lifecycle, chg.lifecycle,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM chg
                 WHERE chg.old_lifecycle IS NOT NULL
                   AND chg.old_lifecycle <> chg.lifecycle
             RETURNING id
            ), untag AS (
                DELETE FROM res_partner_res_partner_category_rel rel
                 USING chg, res_partner_category c
                 WHERE rel.partner_id = chg.id
                   AND rel.category_id = c.id
                   AND c.beauty_segment_key IS NOT NULL
                   AND c.beauty_segment_key NOT IN ('lifecycle:' || chg.lifecycle,
                                                   'value:' || chg.value_class)
            ), tag AS (
                INSERT INTO res_partner_res_partner_category_rel (category_id, partner_id)
                SELECT c.id, chg.id
                  FROM chg
                  JOIN res_partner_category c
                    ON c.active
                   AND c.beauty_segment_key IN ('lifecycle:' || chg.lifecycle,
                                                'value:' || chg.value_class)
                    ON CONFLICT DO NOTHING
            )
            SELECT (SELECT COUNT(*) FROM upd), COALESCE((SELECT MAX(id) FROM chg), %(after)s)
            """,
            table=SQL.identifier(TEMP_TABLE),
            after=after_id,
            limit=limit,
            today=today,
            uid=self.env.uid,
        )
