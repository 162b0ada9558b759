from odoo import fields, models, tools
from odoo.tools import SQL


class BeautyLiabilityReport(models.Model):
    """Movements of stored value (principal and bonus) and of points. Summed up to a date,
    by store, they give the liability towards customers at that date."""

    _name = "beauty.liability.report"
    _description = "Stored value and points liability"
    _auto = False
    _order = "date desc"

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", string="Store", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    program_id = fields.Many2one("loyalty.program", readonly=True)
    kind = fields.Selection([("wallet", "Stored value"), ("points", "Points")], readonly=True)
    principal = fields.Float(readonly=True)
    bonus = fields.Float(readonly=True)
    stored_value = fields.Float(string="Stored value", readonly=True)
    points = fields.Float(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    SELECT move.id * 2 AS id,
                           move.date::date AS date,
                           move.company_id,
                           move.partner_id,
                           move.program_id,
                           'wallet' AS kind,
                           move.principal,
                           move.bonus,
                           move.amount AS stored_value,
                           0.0 AS points
                      FROM beauty_card_move move
                     WHERE move.program_type = 'ewallet'
                    UNION ALL
                    SELECT move.id * 2 + 1 AS id,
                           move.date::date AS date,
                           move.company_id,
                           move.partner_id,
                           move.program_id,
                           'points' AS kind,
                           0.0 AS principal,
                           0.0 AS bonus,
                           0.0 AS stored_value,
                           move.amount AS points
                      FROM beauty_card_move move
                     WHERE move.program_type = 'loyalty'
                )
                """,
                SQL.identifier(self._table),
            )
        )
