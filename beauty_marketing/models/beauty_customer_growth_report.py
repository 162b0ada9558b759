from odoo import fields, models, tools
from odoo.tools import SQL

from .res_partner_segment import LIFECYCLES, VALUE_CLASSES


class BeautyCustomerGrowthReport(models.Model):
    """One row per customer, dated by the day her archive was opened: grouped by month and
    store it gives the new customers per month; the active measure counts those of them
    who are new or active today, so its total is the store's active base."""

    _name = "beauty.customer.growth.report"
    _description = "Customer growth"
    _auto = False
    _order = "date desc"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", string="Store", readonly=True)
    date = fields.Date(string="Archive opened", readonly=True)
    lifecycle = fields.Selection(LIFECYCLES, readonly=True)
    value_class = fields.Selection(VALUE_CLASSES, string="Value class", readonly=True)
    new_count = fields.Integer(string="New customers", readonly=True, aggregator="sum")
    active_count = fields.Integer(string="Active base", readonly=True, aggregator="sum")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS
                SELECT p.id,
                       p.id AS partner_id,
                       COALESCE(p.company_id, seg.company_id) AS company_id,
                       COALESCE(p.beauty_archive_date, p.create_date::date) AS date,
                       seg.lifecycle,
                       seg.value_class,
                       1 AS new_count,
                       CASE WHEN seg.lifecycle IN ('new', 'active') THEN 1 ELSE 0 END
                           AS active_count
                  FROM res_partner p
             LEFT JOIN beauty_customer_segment seg ON seg.partner_id = p.id
                 WHERE p.beauty_is_customer
                """,
                SQL.identifier(self._table),
            )
        )
