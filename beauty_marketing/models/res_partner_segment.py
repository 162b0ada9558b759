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
        cr.execute("SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true)")
        cr.execute(self._beauty_segment_query(today, main.id))
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
    def _beauty_segment_query(self, today, main_company_id):
        """CREATE TEMP TABLE of the customers whose segment changes, with old and new values."""
        return SQL(
            """
            CREATE TEMP TABLE %(table)s AS
            WITH store_tz AS (
                SELECT c.id AS company_id, COALESCE(NULLIF(cp.tz, ''), %(tz)s) AS tz
                  FROM res_company c
                  JOIN res_partner cp ON cp.id = c.partner_id
            ), visit_day AS (
                SELECT partner_id, day, SUM(amount) AS amount, BOOL_OR(is_visit) AS is_visit
                  FROM (
                        SELECT r.partner_id,
                               (r.date AT TIME ZONE 'UTC' AT TIME ZONE t.tz)::date AS day,
                               0.0 AS amount,
                               TRUE AS is_visit
                          FROM beauty_treatment_record r
                          JOIN store_tz t ON t.company_id = r.company_id
                         WHERE r.state = 'done'
                     UNION ALL
                        SELECT o.partner_id,
                               (o.date_order AT TIME ZONE 'UTC' AT TIME ZONE t.tz)::date,
                               o.amount_total,
                               o.amount_total > 0
                          FROM pos_order o
                          JOIN store_tz t ON t.company_id = o.company_id
                         WHERE o.partner_id IS NOT NULL
                           AND o.state IN %(paid)s
                       ) v
                 WHERE day <= %(today)s
              GROUP BY partner_id, day
            ), visits AS (
                SELECT partner_id,
                       MIN(day) FILTER (WHERE is_visit) AS first_day,
                       MAX(day) FILTER (WHERE is_visit) AS last_day,
                       COUNT(*) FILTER (WHERE is_visit AND day > %(start)s) AS frequency,
                       COALESCE(SUM(amount) FILTER (WHERE day > %(start)s), 0) AS monetary
                  FROM visit_day
              GROUP BY partner_id
            ), customer AS (
                SELECT p.id,
                       COALESCE(p.company_id, %(main)s) AS company_id,
                       COALESCE(p.beauty_archive_date, p.create_date::date) AS since,
                       v.first_day,
                       v.last_day,
                       COALESCE(v.frequency, 0) AS frequency,
                       COALESCE(v.monetary, 0) AS monetary
                  FROM res_partner p
             LEFT JOIN visits v ON v.partner_id = p.id
                 WHERE p.beauty_is_customer
            ), scored AS (
                SELECT c.*,
                       CASE WHEN c.last_day IS NOT NULL THEN CEIL(5 * CUME_DIST() OVER (
                           PARTITION BY c.company_id, c.last_day IS NULL ORDER BY c.last_day
                       )) END AS r,
                       CASE WHEN c.frequency > 0 THEN CEIL(5 * CUME_DIST() OVER (
                           PARTITION BY c.company_id, c.frequency > 0 ORDER BY c.frequency
                       )) END AS f,
                       CASE WHEN c.monetary > 0 THEN CEIL(5 * CUME_DIST() OVER (
                           PARTITION BY c.company_id, c.monetary > 0 ORDER BY c.monetary
                       )) END AS m
                  FROM customer c
            ), segment AS (
                SELECT s.id,
                       s.company_id,
                       s.r::int::varchar AS recency,
                       CASE WHEN s.last_day IS NOT NULL THEN COALESCE(s.f, 1) END::int::varchar
                           AS frequency,
                       CASE WHEN s.last_day IS NOT NULL THEN COALESCE(s.m, 1) END::int::varchar
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
                       END AS value_class
                  FROM scored s
                  JOIN res_company co ON co.id = s.company_id
            )
            SELECT n.*, p.beauty_lifecycle AS old_lifecycle
              FROM segment n
              JOIN res_partner p ON p.id = n.id
             WHERE (p.beauty_recency_score, p.beauty_frequency_score, p.beauty_monetary_score,
                    p.beauty_lifecycle, p.beauty_value_class, p.beauty_segment_company_id)
                   IS DISTINCT FROM
                   (n.recency, n.frequency, n.monetary, n.lifecycle, n.value_class,
                    n.company_id)
            """,
            table=SQL.identifier(TEMP_TABLE),
            tz=self.env.user.tz or "UTC",
            paid=PAID_STATES,
            today=today,
            start=today - relativedelta(months=12),
            main=main_company_id,
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
