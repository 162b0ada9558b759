from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_round

BALANCE_FIELDS = [
    "beauty_points",
    "beauty_wallet_balance",
    "beauty_wallet_principal",
    "beauty_wallet_bonus",
]


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    beauty_program_type = fields.Selection(
        related="program_id.program_type", store=True, index=True, string="Program kind"
    )
    beauty_bonus = fields.Float(
        string="Bonus balance",
        default=0.0,
        readonly=True,
        copy=False,
        help="Part of the stored value that was given as a top-up bonus. It is spent along "
        "with the principal and is never paid back.",
    )
    beauty_principal = fields.Float(
        string="Principal balance",
        compute="_compute_beauty_principal",
        help="Part of the stored value the customer paid for: what a refund pays back.",
    )
    beauty_move_ids = fields.One2many(
        "beauty.card.move", "card_id", string="Balance moves", readonly=True
    )

    _beauty_bonus_positive = models.Constraint(
        "CHECK(beauty_bonus >= 0)", "A bonus balance cannot be negative."
    )
    _beauty_points_positive = models.Constraint(
        "CHECK(points >= 0 OR beauty_program_type IS NULL "
        "OR beauty_program_type NOT IN ('ewallet', 'loyalty'))",
        "A stored value or points balance cannot be negative.",
    )

    def _compute_beauty_principal(self):
        for card in self:
            card.beauty_principal = card.points - card.beauty_bonus

    # -- balance changes, each under a row lock in the caller's transaction ------------------
    def _beauty_lock(self):
        """Lock the card row until the end of the transaction; return (points, bonus) as
        they are once the lock is held."""
        self.ensure_one()
        self.flush_recordset(["points", "beauty_bonus"])
        [(points, bonus)] = self.env.execute_query(
            SQL(
                "SELECT COALESCE(points, 0), COALESCE(beauty_bonus, 0) FROM loyalty_card "
                "WHERE id = %s FOR UPDATE",
                self.id,
            )
        )
        return points, bonus

    def _beauty_store(self, points, bonus):
        self.env.execute_query(
            SQL(
                "UPDATE loyalty_card SET points = %s, beauty_bonus = %s WHERE id = %s",
                points,
                bonus,
                self.id,
            )
        )
        self.invalidate_recordset(["points", "beauty_bonus"])
        self.modified(["points", "beauty_bonus"])
        self.partner_id.invalidate_recordset(BALANCE_FIELDS)

    def _beauty_debit(self, amount, move_type="payment", description=None, **move_vals):
        """Take ``amount`` off the card, checked and applied under the row lock. Stored value
        is spent from principal and bonus in proportion. Raises UserError, changing nothing,
        when the balance does not cover it."""
        self.ensure_one()
        points, bonus = self._beauty_lock()
        if float_compare(points, amount, precision_digits=2) < 0:
            raise UserError(
                self.env._(
                    "%(card)s of %(customer)s holds %(balance).2f, not enough for %(amount).2f. "
                    "Nothing was deducted; the order was not recorded.",
                    card=self.program_id.name,
                    customer=self.partner_id.name or "-",
                    balance=points,
                    amount=amount,
                )
            )
        bonus_part = 0.0
        if self.beauty_program_type == "ewallet" and points > 0:
            bonus_part = min(bonus, float_round(amount * bonus / points, precision_digits=2))
        self._beauty_store(
            max(float_round(points - amount, precision_digits=4), 0.0),
            max(float_round(bonus - bonus_part, precision_digits=4), 0.0),
        )
        return self._beauty_log(
            move_type,
            -amount,
            -(amount - bonus_part) if self.beauty_program_type == "ewallet" else 0.0,
            -bonus_part,
            description,
            **move_vals,
        )

    def _beauty_credit(self, principal, bonus=0.0, move_type="topup", description=None, **vals):
        self.ensure_one()
        points, current_bonus = self._beauty_lock()
        self._beauty_store(points + principal + bonus, current_bonus + bonus)
        return self._beauty_log(move_type, principal + bonus, principal, bonus, description, **vals)

    def _beauty_log(self, move_type, amount, principal, bonus, description, **move_vals):
        move = (
            self.env["beauty.card.move"]
            .sudo()
            .create(
                {
                    "card_id": self.id,
                    "move_type": move_type,
                    "amount": amount,
                    "principal": principal if self.beauty_program_type == "ewallet" else 0.0,
                    "bonus": bonus,
                    **move_vals,
                }
            )
        )
        order = move.pos_order_id
        self.env["loyalty.history"].sudo().create(
            {
                "card_id": self.id,
                "description": description or move._description_for_history(),
                "issued": max(amount, 0.0),
                "used": max(-amount, 0.0),
                "order_model": order and order._name,
                "order_id": order.id,
            }
        )
        return move

    def _beauty_refund_principal(self, amount, note=False):
        """Pay ``amount`` of principal back to the customer. Bonus never goes back: the
        share of bonus that came with the refunded principal is forfeited."""
        self.ensure_one()
        if self.beauty_program_type != "ewallet":
            raise UserError(self.env._("Only stored value can be refunded."))
        points, bonus = self._beauty_lock()
        principal = points - bonus
        if amount <= 0 or float_compare(amount, principal, precision_digits=2) > 0:
            raise UserError(
                self.env._(
                    "A refund is between 0 and the principal balance (%(principal).2f).",
                    principal=principal,
                )
            )
        forfeit = bonus if float_compare(amount, principal, precision_digits=2) == 0 else 0.0
        if not forfeit and principal > 0:
            forfeit = float_round(bonus * amount / principal, precision_digits=2)
        self._beauty_store(
            max(float_round(points - amount - forfeit, precision_digits=4), 0.0),
            max(float_round(bonus - forfeit, precision_digits=4), 0.0),
        )
        moves = self._beauty_log("refund", -amount, -amount, 0.0, None, note=note)
        if forfeit:
            moves |= self._beauty_log("forfeit", -forfeit, 0.0, -forfeit, None, note=note)
        return moves

    def action_beauty_refund(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refund stored value"),
            "res_model": "beauty.wallet.refund",
            "view_mode": "form",
            "target": "new",
            "context": {"default_card_id": self.id},
        }
