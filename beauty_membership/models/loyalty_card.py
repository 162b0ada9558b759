from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, float_is_zero, float_round

# Program kinds whose balances are ours: every change goes through the guarded methods
# below, each writing its beauty.card.move in the same transaction.
OUR_TYPES = ("ewallet", "loyalty")
MANAGER = "beauty_customer_profile.beauty_customer_profile_group_manager"

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
    # Front desk only: a plain Point of Sale user opens core's card form without the ledger.
    beauty_move_ids = fields.One2many(
        "beauty.card.move",
        "card_id",
        string="Balance moves",
        readonly=True,
        groups="beauty_customer_profile.beauty_customer_profile_group_front_desk",
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

    # -- no balance changes behind the ledger's back ------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        cards = super().create(vals_list)
        for card in cards.sudo():
            if card.beauty_program_type not in OUR_TYPES:
                continue
            if float_is_zero(card.points, precision_digits=4) and not card.beauty_bonus:
                continue
            if not self.env.su:
                raise UserError(card._beauty_guard_message())
            # Code running as superuser (data files, core's own flows) opens the balance with
            # a ledger line, so that the balance still equals the sum of its ledger.
            card._beauty_log(
                "adjustment",
                card.points,
                card.points - card.beauty_bonus,
                card.beauty_bonus,
                self.env._("Opening balance"),
            )
        return cards

    def write(self, vals):
        guarded = {"points", "beauty_bonus", "program_id", "partner_id"} & vals.keys()
        if not guarded:
            return super().write(vals)
        before = {
            card: (card.points, card.beauty_bonus, card.beauty_program_type) for card in self.sudo()
        }
        if not self.env.su:
            new_program = self.env["loyalty.program"].sudo().browse(vals.get("program_id"))
            for card in self.sudo():
                ours = card.beauty_program_type in OUR_TYPES or (
                    "program_id" in vals and new_program.program_type in OUR_TYPES
                )
                if ours and card._beauty_write_changes(vals):
                    raise UserError(card._beauty_guard_message())
        res = super().write(vals)
        if self.env.su and {"points", "beauty_bonus"} & guarded:
            for card, (points, bonus, kind) in before.items():
                if kind not in OUR_TYPES:
                    continue
                delta, delta_bonus = card.points - points, card.beauty_bonus - bonus
                if float_is_zero(delta, precision_digits=4) and float_is_zero(
                    delta_bonus, precision_digits=4
                ):
                    continue
                card._beauty_log(
                    "adjustment",
                    delta,
                    delta - delta_bonus,
                    delta_bonus,
                    self.env._("Balance set by the system"),
                )
        return res

    def _beauty_write_changes(self, vals):
        """Whether ``vals`` would change this card's balance, kind or (set) owner."""
        self.ensure_one()
        if "points" in vals and float_compare(
            vals["points"] or 0.0, self.points, precision_digits=4
        ):
            return True
        if "beauty_bonus" in vals and float_compare(
            vals["beauty_bonus"] or 0.0, self.beauty_bonus, precision_digits=4
        ):
            return True
        if "program_id" in vals and (vals["program_id"] or False) != self.program_id.id:
            return True
        return bool(
            "partner_id" in vals
            and self.partner_id
            and (vals["partner_id"] or False) != self.partner_id.id
        )

    def _beauty_guard_message(self):
        return self.env._(
            "The balance, program and owner of %(card)s (%(program)s) change only through "
            "sales, payments and refunds at the till, or a manager's balance correction, "
            "which each write a line in the balance history. Nothing was changed.",
            card=self.code or self.id,
            program=self.program_id.name,
        )

    @api.private
    def _beauty_adjust(self, delta, note):
        """A manager's correction of the balance by ``delta``: an increase of stored value is
        bonus (a gift is never paid back), a decrease is spent like a payment."""
        self.ensure_one()
        if float_is_zero(delta, precision_digits=4):
            raise UserError(self.env._("The new balance is the current balance."))
        if delta > 0:
            if self.beauty_program_type == "ewallet":
                return self._beauty_credit(0.0, delta, move_type="adjustment", note=note)
            return self._beauty_credit(delta, 0.0, move_type="adjustment", note=note)
        return self._beauty_debit(-delta, move_type="adjustment", note=note)

    # -- balance changes, each under a row lock in the caller's transaction ------------------
    def _beauty_lock(self):
        """Lock the card row until the end of the transaction; return (points, bonus) as
        they are once the lock is held. NO KEY UPDATE: a POS line or a ledger line pointing
        at the card takes a KEY SHARE lock on it, which this mode does not wait for (FOR
        UPDATE did, and two tills paying from one wallet deadlocked)."""
        self.ensure_one()
        self.flush_recordset(["points", "beauty_bonus"])
        [(points, bonus)] = self.env.execute_query(
            SQL(
                "SELECT COALESCE(points, 0), COALESCE(beauty_bonus, 0) FROM loyalty_card "
                "WHERE id = %s FOR NO KEY UPDATE",
                self.id,
            )
        )
        return points, bonus

    @api.model
    def _beauty_lock_cards(self, card_ids):
        """Lock several cards at once, always in id order: two tills touching the same
        cards then never wait on each other crosswise."""
        if card_ids:
            self.env.execute_query(
                SQL(
                    "SELECT id FROM loyalty_card WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
                    sorted(set(card_ids)),
                )
            )

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
        if float_compare(amount, 0.0, precision_digits=4) <= 0:
            raise UserError(self.env._("A balance is only ever debited by a positive amount."))
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
        if principal < 0 or bonus < 0 or float_is_zero(principal + bonus, precision_digits=4):
            raise UserError(self.env._("A balance is only ever credited by a positive amount."))
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
                    "company_id": (
                        self.env["pos.order"].browse(move_vals.get("pos_order_id")).company_id
                        or self.company_id
                        or self.partner_id.company_id
                    ).id,
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
        self.check_access("read")
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a manager can refund stored value."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refund stored value"),
            "res_model": "beauty.wallet.refund",
            "view_mode": "form",
            "target": "new",
            "context": {"default_card_id": self.id},
        }
