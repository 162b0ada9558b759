from odoo import fields, models, tools
from odoo.tools import SQL


class BeautyPackageLiability(models.Model):
    """Every change of unused sessions with its value: filtered on a date (up to and
    including it) and summed by store, it is the prepaid liability at that date."""

    _name = "beauty.package.liability"
    _description = "Package card liability"
    _auto = False
    _order = "date desc"
    _depends = {
        "beauty.package.card.move": ["date", "kind", "quantity", "value", "card_line_id"],
        "beauty.package.card.line": ["company_id", "card_id", "product_id"],
        "beauty.package.card": ["partner_id"],
    }

    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", string="Store", readonly=True)
    card_id = fields.Many2one("beauty.package.card", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Owner", readonly=True)
    product_id = fields.Many2one("product.product", string="Treatment or product", readonly=True)
    kind = fields.Selection(
        selection=lambda self: self.env["beauty.package.card.move"]._fields["kind"].selection,
        readonly=True,
    )
    sessions = fields.Integer(string="Unused sessions", readonly=True, aggregator="sum")
    value = fields.Float(
        string="Liability", digits="Product Price", readonly=True, aggregator="sum"
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    SELECT move.id AS id,
                           move.date AS date,
                           line.company_id AS company_id,
                           line.card_id AS card_id,
                           card.partner_id AS partner_id,
                           line.product_id AS product_id,
                           move.kind AS kind,
                           move.quantity AS sessions,
                           move.value AS value
                      FROM beauty_package_card_move move
                      JOIN beauty_package_card_line line ON line.id = move.card_line_id
                      JOIN beauty_package_card card ON card.id = line.card_id
                )
                """,
                SQL.identifier(self._table),
            )
        )
