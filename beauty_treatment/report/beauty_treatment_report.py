from odoo import fields, models, tools
from odoo.tools import SQL

# A service counts as rebooked when the customer holds a later booking starting within this
# many days after it.
REBOOKING_DAYS = 60


class BeautyTreatmentReport(models.Model):
    """One line per finished treatment: popularity and therapist performance."""

    _name = "beauty.treatment.report"
    _description = "Treatment and therapist analysis"
    _auto = False
    _order = "date desc"

    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", string="Store", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    treatment_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    therapist_id = fields.Many2one("hr.employee", readonly=True)
    service_count = fields.Integer(string="Services", readonly=True)
    revenue = fields.Float(readonly=True)
    commission = fields.Float(readonly=True)
    rating = fields.Float(string="Average rating", readonly=True, aggregator="avg")
    rated_count = fields.Integer(string="Rated services", readonly=True)
    rebooked_count = fields.Integer(
        string="Rebooked",
        readonly=True,
        help="Services followed by a booking of the same customer within %s days." % REBOOKING_DAYS,
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT r.id AS id,
                           r.date AS date,
                           r.company_id AS company_id,
                           r.partner_id AS partner_id,
                           r.treatment_id AS treatment_id,
                           t.categ_id AS categ_id,
                           r.therapist_id AS therapist_id,
                           1 AS service_count,
                           COALESCE(r.price, 0) AS revenue,
                           COALESCE((SELECT SUM(c.amount) FROM beauty_commission_line c
                                      WHERE c.record_id = r.id), 0) AS commission,
                           NULLIF(r.rating_value, 0) AS rating,
                           CASE WHEN r.rating_value > 0 THEN 1 ELSE 0 END AS rated_count,
                           CASE WHEN EXISTS (
                               SELECT 1 FROM beauty_booking b
                                WHERE b.partner_id = r.partner_id
                                  AND b.state NOT IN ('cancelled', 'no_show')
                                  AND b.start > r.date
                                  AND b.start <= r.date + %(days)s * interval '1 day'
                           ) THEN 1 ELSE 0 END AS rebooked_count
                      FROM beauty_treatment_record r
                      JOIN product_product p ON p.id = r.treatment_id
                      JOIN product_template t ON t.id = p.product_tmpl_id
                     WHERE r.state = 'done'
                )
                """,
                table=SQL.identifier(self._table),
                days=REBOOKING_DAYS,
            )
        )
