from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .beauty_package_card import check_guarded_write


class BeautyPackageCardLine(models.Model):
    _name = "beauty.package.card.line"
    _description = "Package card line"
    _order = "card_id, id"

    card_id = fields.Many2one(
        "beauty.package.card", required=True, ondelete="cascade", index=True, readonly=True
    )
    partner_id = fields.Many2one(related="card_id.partner_id", string="Owner")
    company_id = fields.Many2one(related="card_id.company_id", store=True, string="Store")
    product_id = fields.Many2one(
        "product.product", string="Treatment or product", required=True, readonly=True
    )
    total = fields.Integer(required=True, readonly=True)
    used = fields.Integer(readonly=True, default=0)
    remaining = fields.Integer(readonly=True, default=0)
    unit_value = fields.Float(string="Value per session", digits="Product Price", readonly=True)
    move_ids = fields.One2many("beauty.package.card.move", "card_line_id", string="History")

    _remaining_not_negative = models.Constraint(
        "CHECK (remaining >= 0)", "A package card line can never go below zero sessions."
    )
    _used_within_total = models.Constraint(
        "CHECK (used >= 0 AND used <= total)", "A card line cannot use more sessions than it holds."
    )

    _beauty_guarded_fields = frozenset(
        {"card_id", "product_id", "total", "used", "remaining", "unit_value", "move_ids"}
    )

    @api.depends("card_id.number", "product_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.card_id.number} - {line.product_id.display_name}"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Sessions are put on a package card by selling its package or by the "
                    "card's actions, not added by hand."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        check_guarded_write(self, vals)
        return super().write(vals)

    # -- business methods -----------------------------------------------------------------
    def _lock(self):
        """Row-lock the lines until the end of the transaction, in id order. The caller
        has locked their cards first (``beauty.package.card._lock``): every path takes the
        card, then its lines. FOR NO KEY UPDATE does not wait on the key-share locks that
        inserting a ledger move (its foreign key to the line) takes."""
        if self:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM beauty_package_card_line WHERE id IN %s ORDER BY id "
                    "FOR NO KEY UPDATE",
                    tuple(self.ids),
                )
            )
            self.invalidate_recordset(["remaining", "used", "total"])

    def _redeem(self, quantity=1, **move_vals):
        """Take ``quantity`` sessions off the line and log the use, in the caller's
        transaction. The check and the deduction are one guarded UPDATE: two tills
        redeeming the last session at the same moment cannot both succeed."""
        self.ensure_one()
        card = self.card_id.sudo()
        if quantity <= 0 or quantity != int(quantity):
            raise UserError(self.env._("Sessions are redeemed in whole numbers."))
        if card.state != "active":
            raise UserError(
                self.env._(
                    "Card %(card)s is %(state)s: no session of %(treatment)s can be used.",
                    card=card.number,
                    state=dict(card._fields["state"]._description_selection(self.env))[card.state],
                    treatment=self.product_id.display_name,
                )
            )
        if card.expiry_date and card.expiry_date < fields.Date.context_today(self):
            raise UserError(
                self.env._(
                    "Card %(card)s expired on %(date)s.", card=card.number, date=card.expiry_date
                )
            )
        quantity = int(quantity)
        # Lock the card row first: a freeze, refund or cancel in another transaction waits
        # for this redemption, or makes it fail and be retried (and then refused), so the
        # card's state cannot change under a redemption. Every redemption takes the card
        # lock before the line lock, so two tills never deadlock.
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM beauty_package_card WHERE id = %s AND state = 'active' "
                "FOR NO KEY UPDATE",
                card.id,
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE beauty_package_card_line line "
                "SET remaining = line.remaining - %s, used = line.used + %s "
                "FROM beauty_package_card card "
                "WHERE line.id = %s AND line.remaining >= %s "
                "AND card.id = line.card_id AND card.state = 'active' "
                "RETURNING line.remaining",
                quantity,
                quantity,
                self.id,
                quantity,
            )
        )
        row = self.env.cr.fetchone()
        self.invalidate_recordset(["remaining", "used"])
        card.invalidate_recordset(["remaining_total"])
        if not row:
            raise UserError(
                self.env._(
                    "Card %(card)s has no session of %(treatment)s left.",
                    card=card.number,
                    treatment=self.product_id.display_name,
                )
            )
        move = (
            self.env["beauty.package.card.move"]
            .sudo()
            .create({"card_line_id": self.id, "quantity": -quantity, "kind": "redeem", **move_vals})
        )
        if not row[0] and not self._card_has_sessions_left(card):
            card.state = "used_up"
        return move

    @api.model
    def _card_has_sessions_left(self, card):
        """Whether any line of ``card`` has a session left, read with a row lock on the
        lines (the card row is locked already): a line another till changed since this
        transaction began makes it fail and be retried, instead of closing the card as used
        up on an old snapshot."""
        self.env.cr.execute(
            SQL(
                "SELECT remaining FROM beauty_package_card_line WHERE card_id = %s ORDER BY id "
                "FOR NO KEY UPDATE",
                card.id,
            )
        )
        return any(remaining for (remaining,) in self.env.cr.fetchall())

    def _restore(self, quantity, redeem_move, partner, kind="refund_pos", **move_vals):
        """Give back ``quantity`` sessions of the redemption ``redeem_move`` (a POS refund
        for ``partner``): only on the line it was taken from, never more than it took less
        what was given back already, and only to an open card of that customer. Card, then
        line, are locked first: two tills refunding the same redemption are serialized and
        the second sees what the first gave back."""
        self.ensure_one()
        if quantity <= 0 or quantity != int(quantity):
            raise UserError(self.env._("Sessions are given back in whole numbers."))
        quantity = int(quantity)
        card = self.card_id.sudo()
        card._lock()
        self._lock()
        redeem_move = redeem_move.sudo()
        if not redeem_move or redeem_move.kind != "redeem" or redeem_move.card_line_id != self:
            raise UserError(
                self.env._(
                    "Sessions of card %(card)s only come back by refunding the order line that "
                    "redeemed them.",
                    card=card.number,
                )
            )
        if card.state not in ("active", "used_up") or (
            card.expiry_date and card.expiry_date < fields.Date.context_today(self)
        ):
            raise UserError(
                self.env._(
                    "Card %(card)s is %(state)s: its sessions cannot come back. A manager "
                    "decides in the back office.",
                    card=card.number,
                    state=dict(card._fields["state"]._description_selection(self.env))[card.state]
                    if card.state != "active"
                    else self.env._("past its expiry"),
                )
            )
        owners = partner | partner.commercial_partner_id
        if not partner or card.partner_id not in owners:
            raise UserError(
                self.env._(
                    "Card %(card)s belongs to %(owner)s: sessions come back only on a refund "
                    "for this customer.",
                    card=card.number,
                    owner=card.partner_id.display_name,
                )
            )
        Move = self.env["beauty.package.card.move"].sudo()
        given_back = sum(
            Move.search([("refunded_move_id", "=", redeem_move.id)]).mapped("quantity")
        )
        left = -redeem_move.quantity - given_back
        if quantity > left:
            raise UserError(
                self.env._(
                    "Only %(left)s session(s) of this redemption of %(treatment)s on card "
                    "%(card)s can still be given back, not %(count)s.",
                    left=left,
                    treatment=self.product_id.display_name,
                    card=card.number,
                    count=quantity,
                )
            )
        self.env.cr.execute(
            SQL(
                "UPDATE beauty_package_card_line SET remaining = remaining + %s, used = used - %s "
                "WHERE id = %s AND used >= %s RETURNING id",
                quantity,
                quantity,
                self.id,
                quantity,
            )
        )
        row = self.env.cr.fetchone()
        self.invalidate_recordset(["remaining", "used"])
        card.invalidate_recordset(["remaining_total"])
        if not row:
            raise UserError(
                self.env._(
                    "Card %(card)s has not used %(count)s sessions of %(treatment)s.",
                    card=card.number,
                    count=quantity,
                    treatment=self.product_id.display_name,
                )
            )
        if card.state == "used_up":
            card.state = "active"
        move = Move.create(
            {
                "card_line_id": self.id,
                "quantity": quantity,
                "kind": kind,
                "refunded_move_id": redeem_move.id,
                **move_vals,
            }
        )
        record = redeem_move.record_id
        if quantity == left and record.state == "done":
            # The whole redemption is refunded: the treatment did not take place as sold.
            # Its consumables go back to stock (return moves), its commission is removed.
            record.sudo().action_cancel()
            record.sudo().message_post(
                body=self.env._("Cancelled: the session was refunded (%s).", move.reason or "")
            )
        return move

    def _close(self, kind, reason, **move_vals):
        """Take every remaining session off (refund, expiry, cancellation); the lines must
        be locked by the caller."""
        lines = self.filtered("remaining")
        moves = [
            {
                "card_line_id": line.id,
                "quantity": -line.remaining,
                "kind": kind,
                "reason": reason,
                **move_vals,
            }
            for line in lines
        ]
        if lines:
            self.env.cr.execute(
                SQL(
                    "UPDATE beauty_package_card_line SET remaining = 0 WHERE id IN %s",
                    tuple(lines.ids),
                )
            )
            self.invalidate_recordset(["remaining"])
            self.card_id.invalidate_recordset(["remaining_total"])
        self.env["beauty.package.card.move"].sudo().create(moves)

    def _reinstate_closed(self, reason):
        """Bring back the sessions that closing the lines took off (an expired card that a
        manager extends): per line, what was neither used nor is left. The caller locked
        the card and the lines. Returns the ledger moves written."""
        moves = []
        for line in self.sudo():
            back = line.total - line.used - line.remaining
            if back <= 0:
                continue
            self.env.cr.execute(
                SQL(
                    "UPDATE beauty_package_card_line SET remaining = remaining + %s "
                    "WHERE id = %s AND used + remaining + %s <= total",
                    back,
                    line.id,
                    back,
                )
            )
            moves.append(
                {"card_line_id": line.id, "quantity": back, "kind": "adjust", "reason": reason}
            )
        self.invalidate_recordset(["remaining"])
        self.card_id.invalidate_recordset(["remaining_total"])
        return self.env["beauty.package.card.move"].sudo().create(moves)

    def _add_sessions(self, quantity, reason, kind="adjust", **move_vals):
        """Add ``quantity`` sessions to the line (a free session given as compensation),
        in the caller's transaction: one guarded UPDATE on an open card and a ledger move
        valued like the line's other sessions, so the card's history still sums to what is
        left on it."""
        self.ensure_one()
        if quantity <= 0 or quantity != int(quantity):
            raise UserError(self.env._("Sessions are added in whole numbers."))
        if not reason:
            raise UserError(self.env._("Say why sessions are added to the card."))
        quantity = int(quantity)
        card = self.card_id.sudo()
        # Lock the card row before the line, as a redemption does, and give it a new row
        # version: a till redeeming the card's last other session meanwhile is retried
        # after this commits and sees the added session, instead of closing the card as
        # used up on what it read before.
        self.env.cr.execute(
            SQL("UPDATE beauty_package_card SET state = state WHERE id = %s", card.id)
        )
        self.env.cr.execute(
            SQL(
                "UPDATE beauty_package_card_line line "
                "SET remaining = line.remaining + %s, total = line.total + %s "
                "FROM beauty_package_card card "
                "WHERE line.id = %s AND card.id = line.card_id "
                "AND card.state IN ('active', 'frozen', 'used_up') "
                "AND (card.expiry_date IS NULL OR card.expiry_date >= %s) "
                "RETURNING line.id",
                quantity,
                quantity,
                self.id,
                fields.Date.context_today(self),
            )
        )
        row = self.env.cr.fetchone()
        self.invalidate_recordset(["remaining", "total"])
        card.invalidate_recordset(["remaining_total"])
        if not row:
            raise UserError(
                self.env._(
                    "Card %(card)s is closed or expired: no session can be added to it.",
                    card=card.number,
                )
            )
        if card.state == "used_up":
            card.state = "active"
        return (
            self.env["beauty.package.card.move"]
            .sudo()
            .create(
                {
                    "card_line_id": self.id,
                    "quantity": quantity,
                    "kind": kind,
                    "reason": reason,
                    **move_vals,
                }
            )
        )
