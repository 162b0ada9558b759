import logging

from odoo import api, fields, models, tools
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class BeautyBalanceCheck(models.Model):
    """Every stored value or points card whose balance is not the sum of its ledger. Empty
    when all is well: a line here is money or points that changed outside the guarded paths."""

    _name = "beauty.balance.check"
    _description = "Stored value and points reconciliation"
    _auto = False
    _order = "card_id"

    card_id = fields.Many2one("loyalty.card", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    program_id = fields.Many2one("loyalty.program", readonly=True)
    company_id = fields.Many2one("res.company", string="Store", readonly=True)
    program_type = fields.Selection(
        [("ewallet", "Stored value"), ("loyalty", "Points")], string="Kind", readonly=True
    )
    balance = fields.Float(readonly=True)
    ledger_balance = fields.Float(string="Sum of the ledger", readonly=True)
    difference = fields.Float(readonly=True)
    bonus = fields.Float(readonly=True)
    ledger_bonus = fields.Float(string="Bonus in the ledger", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    SELECT card.id AS id,
                           card.id AS card_id,
                           card.partner_id,
                           card.program_id,
                           COALESCE(card.company_id, partner.company_id) AS company_id,
                           card.beauty_program_type AS program_type,
                           COALESCE(card.points, 0) AS balance,
                           COALESCE(ledger.amount, 0) AS ledger_balance,
                           COALESCE(card.points, 0) - COALESCE(ledger.amount, 0) AS difference,
                           COALESCE(card.beauty_bonus, 0) AS bonus,
                           COALESCE(ledger.bonus, 0) AS ledger_bonus
                      FROM loyalty_card card
                 LEFT JOIN res_partner partner ON partner.id = card.partner_id
                 LEFT JOIN (
                               SELECT card_id, SUM(amount) AS amount, SUM(bonus) AS bonus
                                 FROM beauty_card_move
                             GROUP BY card_id
                           ) ledger ON ledger.card_id = card.id
                     WHERE card.beauty_program_type IN ('ewallet', 'loyalty')
                       AND (ABS(COALESCE(card.points, 0) - COALESCE(ledger.amount, 0)) >= 0.005
                            OR (card.beauty_program_type = 'ewallet'
                                AND ABS(COALESCE(card.beauty_bonus, 0)
                                        - COALESCE(ledger.bonus, 0)) >= 0.005))
                )
                """,
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _cron_beauty_reconcile(self):
        """Nightly: credit the top-ups whose till never named the program, then log every
        card whose balance is not the sum of its ledger; the managers' report (Membership
        reports > Balance check) lists the same cards."""
        self.env["pos.order"]._beauty_credit_pending_topups()
        self.env.flush_all()
        drifts = self.sudo().search([])
        for drift in drifts:
            _logger.warning(
                "Balance of loyalty card %s is %.2f (bonus %.2f), its ledger sums to %.2f "
                "(bonus %.2f)",
                drift.card_id.id,
                drift.balance,
                drift.bonus,
                drift.ledger_balance,
                drift.ledger_bonus,
            )
        return drifts
