from odoo import api, fields, models
from odoo.tools import SQL

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
TEMP_TABLE = "beauty_segment_changes"
# The customer's segment link and the fields shown through it.
SEGMENT_FIELDS = (
    "beauty_segment_id",
    "beauty_recency_score",
    "beauty_frequency_score",
    "beauty_monetary_score",
    "beauty_lifecycle",
    "beauty_value_class",
    "beauty_segment_company_id",
    "beauty_segment_date",
)


class ResPartner(models.Model):
    """Customer segments: RFM scores, lifecycle and value class, kept in
    ``beauty.customer.segment`` (one row per customer, shown on her through related fields)
    and recomputed every night by one set-based statement (see ``_beauty_recompute_segments``).

    A visit is a day (in the store's time zone) with a finished treatment record or a paid
    POS order of a positive amount, as for the member tiers; spend is the net amount of the
    paid POS orders (refunds count negative). Frequency and spend cover the last 12 months.
    """

    _inherit = "res.partner"

    beauty_segment_id = fields.Many2one(
        "beauty.customer.segment",
        string="Segment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="Written by the nightly segment computation.",
    )
    beauty_recency_score = fields.Selection(
        related="beauty_segment_id.recency_score", string="Recency score"
    )
    beauty_frequency_score = fields.Selection(
        related="beauty_segment_id.frequency_score", string="Frequency score"
    )
    beauty_monetary_score = fields.Selection(
        related="beauty_segment_id.monetary_score", string="Spend score"
    )
    beauty_lifecycle = fields.Selection(related="beauty_segment_id.lifecycle", string="Lifecycle")
    beauty_value_class = fields.Selection(
        related="beauty_segment_id.value_class", string="Value class"
    )
    beauty_segment_company_id = fields.Many2one(
        related="beauty_segment_id.company_id", string="Segment store"
    )
    beauty_segment_date = fields.Date(related="beauty_segment_id.date", string="Segment changed on")
    # The nightly run looks for segments of partners that are no longer customers: few.
    _beauty_not_customer_index = models.Index("(id) WHERE beauty_is_customer IS NOT TRUE")

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

        The visit summaries are first brought up to date (``beauty.visit.stats``). One
        statement then computes the new values of all customers and keeps only those that
        differ from the stored ones; the changed rows are written, with their moves, in
        batches, with the segment tags (res.partner.category with a ``beauty_segment_key``)
        put on and taken off in the same statements. ``progress(done, remaining=n)`` (the
        cron's ``_commit_progress``) commits each batch and says how much time is left;
        without it nothing is committed.
        Returns the number of customers written.
        """
        today = today or fields.Date.context_today(self)
        cr = self.env.cr
        self.env.flush_all()
        main = self.env.ref("base.main_company", raise_if_not_found=False) or self.env[
            "res.company"
        ].search([], order="id", limit=1)
        # Partners that stopped being customers lose their segment (the customer's link is
        # cleared by its foreign key) and its tags.
        cr.execute(
            SQL(
                """
                WITH gone AS (
                    DELETE FROM beauty_customer_segment s
                     USING res_partner p
                     WHERE p.id = s.partner_id AND p.beauty_is_customer IS NOT TRUE
                 RETURNING s.partner_id
                )
                DELETE FROM res_partner_res_partner_category_rel rel
                 USING gone, res_partner_category c
                 WHERE rel.partner_id = gone.partner_id
                   AND rel.category_id = c.id
                   AND c.beauty_segment_key IS NOT NULL
                """
            )
        )
        # Planned costs run high on these set-based statements, enough for PostgreSQL to
        # compile them (JIT), which takes longer than running them: not in this transaction.
        cr.execute(SQL("SELECT set_config('jit', 'off', true)"))
        # The customers' visit summaries, brought up to date for this day.
        self.env["beauty.visit.stats"]._beauty_sync(today)
        cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(TEMP_TABLE)))
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
        self.invalidate_model([*SEGMENT_FIELDS, "category_id"])
        self.env["beauty.customer.segment"].invalidate_model()
        self.env["res.partner.category"].invalidate_model(["partner_ids"])
        self.env["beauty.lifecycle.move"].invalidate_model()
        if progress:
            progress(0, remaining=0)
        return written

    @api.model
    def _beauty_segment_query(self, today, main_company_id):
        """CREATE TEMP TABLE of the customers whose segment changes, with old and new values.

        It reads the customers' visit summaries (``beauty.visit.stats``). The fifths of a
        store are computed on the distinct values only: a score is a step function of the
        value, so each score gets the highest value that has it in its store (cume_dist as in a window over all customers), and each customer
        is then scored by comparing her values with these four thresholds of her store.
        """
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
            WITH customer AS MATERIALIZED (
                SELECT p.id,
                       COALESCE(p.company_id, %(main)s) AS company_id,
                       COALESCE(p.beauty_archive_date, p.create_date::date) AS since,
                       v.first_day,
                       v.last_day,
                       COALESCE(v.frequency, 0) AS frequency,
                       COALESCE(v.monetary, 0) AS monetary,
                       seg.id AS segment_id,
                       p.beauty_segment_id AS old_segment_id,
                       seg.recency_score AS old_recency,
                       seg.frequency_score AS old_frequency,
                       seg.monetary_score AS old_monetary,
                       seg.lifecycle AS old_lifecycle,
                       seg.value_class AS old_value_class,
                       seg.company_id AS old_company_id
                  FROM res_partner p
             LEFT JOIN beauty_customer_segment seg ON seg.partner_id = p.id
             LEFT JOIN beauty_visit_stats v ON v.partner_id = p.id
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
                       s.segment_id,
                       s.old_segment_id,
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
            SELECT id, segment_id, company_id, recency, frequency, monetary, lifecycle,
                   value_class, old_lifecycle
              FROM segment
             WHERE (old_recency, old_frequency, old_monetary, old_lifecycle, old_value_class,
                    old_company_id)
                   IS DISTINCT FROM
                   (recency, frequency, monetary, lifecycle, value_class, company_id)
                OR old_segment_id IS DISTINCT FROM segment_id
            """,
            table=SQL.identifier(TEMP_TABLE),
            today=today,
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
                UPDATE beauty_customer_segment s
                   SET recency_score = chg.recency,
                       frequency_score = chg.frequency,
                       monetary_score = chg.monetary,
                       lifecycle = chg.lifecycle,
                       value_class = chg.value_class,
                       company_id = chg.company_id,
                       date = %(today)s
                  FROM chg
                 WHERE s.id = chg.segment_id
             RETURNING s.id
            ), ins AS (
                INSERT INTO beauty_customer_segment
                       (partner_id, company_id, recency_score, frequency_score, monetary_score,
                        lifecycle, value_class, date)
                SELECT chg.id, chg.company_id, chg.recency, chg.frequency, chg.monetary,
                       chg.lifecycle, chg.value_class, %(today)s
                  FROM chg
                 WHERE chg.segment_id IS NULL
             RETURNING id, partner_id
            ), link AS (
                UPDATE res_partner p
                   SET beauty_segment_id = ins.id
                  FROM ins
                 WHERE p.id = ins.partner_id
             RETURNING p.id
            ), relink AS (
                -- a segment that came to her with a merge of customers
                UPDATE res_partner p
                   SET beauty_segment_id = chg.segment_id
                  FROM chg
                 WHERE p.id = chg.id
                   AND chg.segment_id IS NOT NULL
                   AND p.beauty_segment_id IS DISTINCT FROM chg.segment_id
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
            SELECT (SELECT COUNT(*) FROM upd) + (SELECT COUNT(*) FROM link),
                   COALESCE((SELECT MAX(id) FROM chg), %(after)s)
            """,
            table=SQL.identifier(TEMP_TABLE),
            after=after_id,
            limit=limit,
            today=today,
            uid=self.env.uid,
        )
