import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

_logger = logging.getLogger(__name__)

PAID_STATES = ("paid", "done", "invoiced")
FRONT_DESK = "beauty_customer_profile.beauty_customer_profile_group_front_desk"
MANAGER = "beauty_customer_profile.beauty_customer_profile_group_manager"


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    beauty_package_card_line_id = fields.Many2one(
        "beauty.package.card.line", string="Redeemed from card", index="btree_not_null"
    )
    # The public view of the employee (same ids as hr.employee): a till loads therapists
    # by name without HR rights, and never as employees a cashier could log in as.
    beauty_therapist_id = fields.Many2one(
        "hr.employee.public", string="Therapist", domain=[("beauty_is_therapist", "=", True)]
    )

    @api.model
    def _load_pos_data_fields(self, config):
        return [
            *super()._load_pos_data_fields(config),
            "beauty_package_card_line_id",
            "beauty_therapist_id",
        ]


class PosOrder(models.Model):
    _inherit = "pos.order"

    # The card ledger is front-desk data. A cashier's till reads every field of the orders
    # it re-sends, pays or refunds (read_pos_data): without the group the field is simply
    # not read, instead of failing the whole read. The till knows the card line redeemed
    # from the order line (beauty_package_card_line_id) and the sessions left from the
    # card lines it loads; it needs nothing of the ledger.
    beauty_package_move_ids = fields.One2many(
        "beauty.package.card.move",
        "pos_order_id",
        string="Card history",
        readonly=True,
        groups=FRONT_DESK,
    )

    @api.model
    def _load_pos_data_fields(self, config):
        fields_ = super()._load_pos_data_fields(config)
        if fields_:
            return fields_
        # Point of Sale reads every field of the orders a till syncs, re-sends, pays or
        # refunds. A One2many or Many2many to records the user may not read (the card
        # ledgers are front-desk data) would fail the whole read, and the till could never
        # get its order confirmed: the till reads the fields its user may read.
        # Fields reserved to a salon role (the card and balance ledgers) are never sent to a
        # till, whoever is logged in.
        return [
            name
            for name, field in self._fields.items()
            if not (field.groups and "beauty_customer_profile." in field.groups)
            and self._has_field_access(field, "read")
            and not (field.type in ("one2many", "many2many") and not self._beauty_can_read(field))
        ]

    @api.model
    def _beauty_can_read(self, field):
        return self.env[field.comodel_name].has_access("read")

    def _process_saved_order(self, draft):
        # Sessions are redeemed or given back in the transaction that records the paid order
        # (before the core marks it paid): the order and its card moves commit together.
        if not draft and self.state != "cancel":
            self._beauty_apply_package_moves()
            self._beauty_cancel_refunded_cards()
        res = super()._process_saved_order(draft)
        if self.state in PAID_STATES:
            self._beauty_open_package_cards()
        return res

    def _beauty_apply_package_moves(self):
        self.ensure_one()
        lines = self.lines.filtered(
            lambda line: (
                line.uuid
                and (
                    line.beauty_package_card_line_id
                    or line.refunded_orderline_id.beauty_package_card_line_id
                )
            )
        )
        if not lines:
            return
        # Narrow superuser access: the cashier redeems without rights on the card's ledger.
        Move = self.env["beauty.package.card.move"].sudo()
        done = set(
            Move.search([("pos_order_line_uuid", "in", lines.mapped("uuid"))]).mapped(
                "pos_order_line_uuid"
            )
        )
        lines = lines.filtered(lambda line: line.uuid not in done)
        refunds = lines.filtered(lambda line: line.qty < 0)
        redeemed = {}
        if refunds:
            redeem_moves = Move.search(
                [
                    ("pos_order_line_uuid", "in", refunds.refunded_orderline_id.mapped("uuid")),
                    ("kind", "=", "redeem"),
                ]
            )
            redeemed = {move.pos_order_line_uuid: move for move in redeem_moves}
        # Always in card line order, so that two tills never wait on each other crosswise.
        for line in lines.sorted(
            lambda line: (
                (
                    line.beauty_package_card_line_id
                    or line.refunded_orderline_id.beauty_package_card_line_id
                ).id,
                line.id,
            )
        ):
            if line.qty > 0:
                self._beauty_redeem_line(line)
            elif line.qty < 0:
                self._beauty_restore_line(line, redeemed.get(line.refunded_orderline_id.uuid))

    def _beauty_restore_line(self, line, redeem_move):
        """A refund line gives sessions back only when it refunds the order line that
        redeemed them (refunded_orderline_id), to that card line, for the card's owner."""
        card_line = line.refunded_orderline_id.beauty_package_card_line_id.sudo()
        if not card_line or (
            line.beauty_package_card_line_id and line.beauty_package_card_line_id != card_line
        ):
            card = (line.beauty_package_card_line_id or card_line).sudo().card_id
            raise UserError(
                self.env._(
                    "Sessions of card %(card)s only come back by refunding the order line that "
                    "redeemed them (ticket screen, Refund): a negative quantity on a card line "
                    "is not a refund.",
                    card=card.number,
                )
            )
        card_line._restore(
            -line.qty,
            redeem_move or self.env["beauty.package.card.move"],
            self.partner_id,
            pos_order_id=self.id,
            pos_order_line_uuid=line.uuid,
            reason=self.env._("Refund on %s", self.name),
        )

    def _beauty_redeem_line(self, line):
        card_line = line.beauty_package_card_line_id.sudo()
        card = card_line.card_id
        owners = self.partner_id | self.partner_id.commercial_partner_id
        if card.partner_id not in owners:
            raise UserError(
                self.env._(
                    "Card %(card)s belongs to %(owner)s, not to the customer of this order.",
                    card=card.number,
                    owner=card.partner_id.display_name,
                )
            )
        if line.product_id != card_line.product_id:
            raise UserError(
                self.env._(
                    "Card %(card)s holds sessions of %(treatment)s, not of %(product)s.",
                    card=card.number,
                    treatment=card_line.product_id.display_name,
                    product=line.product_id.display_name,
                )
            )
        record, problem = self.env["beauty.treatment.record"], False
        if line.beauty_therapist_id and card_line.product_id.beauty_is_treatment:
            record, problem = self._beauty_treatment_record(line, card_line)
        move = card_line._redeem(
            line.qty,
            pos_order_id=self.id,
            pos_order_line_uuid=line.uuid,
            record_id=record.id,
            reason=self.env._("Used on %s", self.name),
        )
        if problem:
            self._beauty_flag_for_review(move, record, problem)
        return move

    def _beauty_treatment_record(self, line, card_line):
        """Create and finish the treatment record of a redeemed session; returns (record,
        problem).

        The till accepted the order (possibly offline) and the customer had the treatment:
        the order, its payments and the redemption are always recorded. What the record
        cannot do at sync time (a lot-tracked consumable without its lot, stock short, the
        safety gate blocking) does not refuse the order: the record stays in progress (or
        is not created when the gate refuses it) and the ledger move is flagged for a
        manager, who finishes or corrects it in the back office.
        """
        # The cashier is not a therapist: the record is created and finished (stock,
        # commission) with superuser rights, as the therapist set on the line.
        Record = self.env["beauty.treatment.record"].sudo()
        vals = {
            "partner_id": self.partner_id.id,
            "treatment_id": card_line.product_id.id,
            "therapist_id": line.beauty_therapist_id.id,  # hr.employee, same id
            "company_id": self.company_id.id,
            "date": self.date_order,
            # Consumption of a prepaid card (耗卡): the service is worth what the
            # customer paid per session, not the list price.
            "price": card_line.card_id.currency_id.round(card_line.unit_value * line.qty),
            "notes": self.env._("Session of card %s", card_line.card_id.number),
        }
        try:
            with self.env.cr.savepoint():
                record = Record.create(vals)
        except (UserError, ValidationError) as error:
            self.env.invalidate_all()
            return Record, str(error)
        try:
            with self.env.cr.savepoint():
                record.action_done()
        except (UserError, ValidationError) as error:
            self.env.invalidate_all()
            return record, str(error)
        return record, False

    def _beauty_flag_for_review(self, move, record, problem):
        note = self.env._(
            "Order %(order)s was recorded and the session redeemed, but its treatment record "
            "could not be finished: %(problem)s",
            order=self.name,
            problem=problem,
        )
        move.sudo().write({"needs_review": True, "review_note": note[:500]})
        _logger.warning("Package card redemption to review (move %s): %s", move.id, problem)
        target = record or move.card_id
        target.sudo().message_post(body=note)

    def _beauty_open_package_cards(self):
        lines = self.lines.filtered(
            lambda line: line.uuid and line.qty > 0 and line.product_id.beauty_is_package
        )
        if not lines:
            return
        Card = self.env["beauty.package.card"].sudo()
        sold = set(
            Card.search([("pos_order_line_uuid", "in", lines.mapped("uuid"))]).mapped(
                "pos_order_line_uuid"
            )
        )
        for line in lines.filtered(lambda line: line.uuid not in sold):
            if not self.partner_id:
                raise UserError(self.env._("A package card is sold to a customer: pick one."))
            if line.qty != int(line.qty):
                raise UserError(self.env._("Package cards are sold in whole numbers."))
            card = Card._create_from_template(
                line.product_id.product_tmpl_id,
                self.partner_id,
                self._beauty_price_paid(line),
                quantity=int(line.qty),
                company_id=self.company_id.id,
                pos_order_line_uuid=line.uuid,
            )
            card._after_create_log_sale(
                reason=self.env._("Sold on %s", self.name),
                pos_order_id=self.id,
                pos_order_line_uuid=line.uuid,
            )

    def _beauty_price_paid(self, line):
        """What the customer paid for ``line``: its amount with taxes less its share of
        the order-level reductions (a global discount, promotion or loyalty reward lines),
        shared in proportion of the amounts, rounded to the currency. Lines paying with
        stored value (eWallet, gift card) are payments, not reductions."""
        lines = self.lines.filtered(lambda ln: not ln.refunded_orderline_id)
        sold = lines.filtered(lambda ln: ln.price_subtotal_incl > 0)
        reductions = lines.filtered(
            lambda ln: ln.price_subtotal_incl < 0 and not self._beauty_is_payment_line(ln)
        )
        base = sum(sold.mapped("price_subtotal_incl"))
        reduction = -sum(reductions.mapped("price_subtotal_incl"))
        amount = line.price_subtotal_incl
        if base and reduction:
            amount -= min(reduction, base) * amount / base
        return self.currency_id.round(max(amount, 0.0))

    @api.model
    def _beauty_is_payment_line(self, line):
        reward = line["reward_id"] if "reward_id" in line._fields else False
        return bool(reward) and reward.program_id.program_type in ("ewallet", "gift_card")

    def _beauty_cancel_refunded_cards(self):
        """A refund of a card sold at the till cancels the card, when none of its sessions
        was used; a partly used card is refunded from the back office (unused part)."""
        self.ensure_one()
        lines = self.lines.filtered(
            lambda line: (
                line.qty < 0
                and line.refunded_orderline_id.uuid
                and line.refunded_orderline_id.product_id.beauty_is_package
            )
        )
        if not lines:
            return
        Card = self.env["beauty.package.card"].sudo()
        cards = Card.search(
            [("pos_order_line_uuid", "in", lines.refunded_orderline_id.mapped("uuid"))]
        )
        by_uuid = {card.pos_order_line_uuid: card for card in cards}
        for line in lines.sorted(
            lambda line: by_uuid.get(line.refunded_orderline_id.uuid, Card).id
        ):
            card = by_uuid.get(line.refunded_orderline_id.uuid)
            if not card:
                continue
            if card.state == "cancelled" and line.uuid in card.move_ids.mapped(
                "pos_order_line_uuid"
            ):
                continue  # the same refund pushed again
            if -line.qty != line.refunded_orderline_id.qty:
                raise UserError(
                    self.env._(
                        "Card %(card)s can only be refunded whole: refund the full quantity sold "
                        "(%(qty)s).",
                        card=card.number,
                        qty=int(line.refunded_orderline_id.qty),
                    )
                )
            # Card row first, then its lines, as a redemption takes them: a till redeeming
            # from the card at the same moment waits instead of deadlocking.
            card._lock()
            if card.state != "active" or any(card.line_ids.mapped("used")):
                raise UserError(
                    self.env._(
                        "Card %(card)s has used sessions or is not active any more: it "
                        "cannot be refunded at the till. A manager refunds the unused part "
                        "from the card in the back office.",
                        card=card.number,
                    )
                )
            # The same rule as the back office: a manager's decision, less the store's fee.
            if not self.env.su and not self.env.user.has_group(MANAGER):
                raise AccessError(
                    self.env._(
                        "Refunding card %(card)s needs a salon manager: log in to the till as "
                        "a manager, or have a manager refund the card in the back office.",
                        card=card.number,
                    )
                )
            refund, fee = card._refund_figures()
            paid_back = self.currency_id.round(-line.price_subtotal_incl)
            if self.currency_id.compare_amounts(paid_back, refund) > 0:
                raise UserError(
                    self.env._(
                        "Card %(card)s can be refunded %(refund)s at most (price paid "
                        "%(paid)s, less the refund fee %(fee)s), not %(amount)s: change the "
                        "refund line's price.",
                        card=card.number,
                        refund=self.currency_id.format(refund),
                        paid=self.currency_id.format(card.price_paid),
                        fee=self.currency_id.format(fee),
                        amount=self.currency_id.format(paid_back),
                    )
                )
            card.line_ids._close(
                "refund",
                self.env._("Refunded on %s", self.name),
                pos_order_id=self.id,
                pos_order_line_uuid=line.uuid,
            )
            card.write(
                {
                    "state": "cancelled",
                    "refund_amount": paid_back,
                    "refund_fee": card.currency_id.round(card.price_paid - paid_back),
                    "refund_date": fields.Date.context_today(self),
                }
            )
