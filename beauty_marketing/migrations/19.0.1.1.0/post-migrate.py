"""Segments move from columns of res_partner to beauty_customer_segment.

The values computed by the previous version are copied, with the day they last changed, so
that the next night logs lifecycle moves against them as before; the old columns are then
dropped.
"""

OLD_COLUMNS = (
    "beauty_recency_score",
    "beauty_frequency_score",
    "beauty_monetary_score",
    "beauty_lifecycle",
    "beauty_value_class",
    "beauty_segment_company_id",
    "beauty_segment_date",
)


def migrate(cr, version):
    cr.execute(
        """
        SELECT COUNT(*) FROM information_schema.columns
         WHERE table_name = 'res_partner' AND column_name IN %s
        """,
        [OLD_COLUMNS],
    )
    if cr.fetchone()[0] != len(OLD_COLUMNS):
        return
    cr.execute(
        """
        WITH ins AS (
            INSERT INTO beauty_customer_segment
                   (partner_id, company_id, recency_score, frequency_score, monetary_score,
                    lifecycle, value_class, date)
            SELECT p.id, p.beauty_segment_company_id, p.beauty_recency_score,
                   p.beauty_frequency_score, p.beauty_monetary_score, p.beauty_lifecycle,
                   p.beauty_value_class, COALESCE(p.beauty_segment_date, CURRENT_DATE)
              FROM res_partner p
             WHERE p.beauty_lifecycle IS NOT NULL
               AND p.beauty_value_class IS NOT NULL
               AND p.beauty_segment_company_id IS NOT NULL
                ON CONFLICT (partner_id) DO NOTHING
         RETURNING id, partner_id
        )
        UPDATE res_partner p SET beauty_segment_id = ins.id FROM ins WHERE p.id = ins.partner_id
        """
    )
    cr.execute("ALTER TABLE res_partner " + ", ".join(f"DROP COLUMN {col}" for col in OLD_COLUMNS))
