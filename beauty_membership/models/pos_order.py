import math
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round

from .loyalty_card import OUR_TYPES
from .res_partner import PAID_STATES

FRONT_DESK = "beauty_customer_profile.beauty_customer_profile_group_front_desk"


class PosOrder(models.Model):
    _inherit = "pos.order"

    # Front desk only: a till reads every field of an order it re-sends, pays or refunds, and
    # a cashier without a salon role is given the order without its balance history.
    beauty_card_move_ids = fields.One2many(
        "beauty.card.move",
        "pos_order_id",
        string="Balance moves",
        readonly=True,
        groups=FRONT_DESK,
    )

    def action_pos_order_paid(self):
        # Runs in the transaction that records the paid order, at the till and in the back
        # office alike: stored value and points are checked and moved here, under row locks,
        # so that the order and its balance moves are committed together or not at all.
        if self.state != "cancel":
            self._beauty_apply_card_moves()
        res = super().action_pos_order_paid()
        if self.state in PAID_STATES and self.partner_id.beauty_is_customer:
            self.partner_id._beauty_tier_upgrade()
        return res

    # -- the order's balance moves --------------------------------------------------------------
    def _beauty_apply_card_moves(self, topup_program=None):
        """Apply every balance move of the order that is not applied yet: points earned, points
        and stored value spent, payments given back by a refund, top-ups. Amounts are computed
        here from the order's lines and the programs, never taken from the till's figures."""
        self.ensure_one()
        # Narrow superuser access: the cashier moves balances without rights on the ledger.
        order = self.sudo()
        Move = self.env["beauty.card.move"].sudo()
        lines = order.lines.filtered("uuid")
        done = set(
            Move.search([("pos_order_line_uuid", "in", lines.mapped("uuid"))]).mapped(
                "pos_order_line_uuid"
            )
        )
        reward_lines = lines.filtered(
            lambda line: line.reward_id.program_id.program_type in OUR_TYPES
        )
        spend_groups = [
            group
            for group in order._beauty_reward_groups(
                reward_lines.filtered(lambda line: not line.refunded_orderline_id)
            )
            if not set(group.mapped("uuid")) & done
        ]
        pending = lines.filtered(lambda line: line.uuid not in done)
        # A refund line of a card payment, whether or not the till copied its reward fields.
        returned = pending.filtered(
            lambda line: line.refunded_orderline_id.reward_id.program_id.program_type in OUR_TYPES
        )
        topup_products = order._beauty_topup_products()
        topup_lines = (pending - reward_lines - returned).filtered(
            lambda line: line.product_id in topup_products
        )
        # Every card touched, locked at once in id order (then each is locked again, a no-op).
        cards = self.env["loyalty.card"].sudo()
        for group in spend_groups:
            cards |= group.coupon_id
        cards |= Move.search(
            [("pos_order_line_uuid", "in", returned.refunded_orderline_id.mapped("uuid"))]
        ).card_id
        if order.partner_id:
            cards |= cards.search(
                [
                    ("partner_id", "=", order.partner_id.id),
                    ("beauty_program_type", "in", OUR_TYPES),
                ]
            )
        cards._beauty_lock_cards(cards.ids)

        order._beauty_earn_points()
        order._beauty_take_back_points()
        for group in spend_groups:
            order._beauty_spend(group)
        for line in returned:
            order._beauty_return_payment(line)
        order._beauty_apply_topups(topup_lines, topup_program)

    def _beauty_reward_groups(self, lines):
        """Reward lines grouped as the till made them: one reward may be split over several
        lines (one per tax) sharing a reward code, its points cost on the first."""
        groups = defaultdict(lambda: self.env["pos.order.line"])
        for line in lines.sorted("id"):
            groups[(line.reward_identifier_code or line.uuid, line.reward_id.id)] |= line
        return list(groups.values())

    def _beauty_owners(self):
        return self.partner_id | self.partner_id.commercial_partner_id

    def _beauty_check_owner(self, card):
        if card.partner_id and card.partner_id not in self._beauty_owners():
            raise UserError(
                self.env._(
                    "%(card)s belongs to %(owner)s, not to the customer of this order.",
                    card=card.program_id.name,
                    owner=card.partner_id.name,
                )
            )

    def _beauty_card(self, program):
        """The customer's card of ``program``, created with no balance when she has none."""
        Card = self.env["loyalty.card"].sudo()
        if not self.partner_id:
            raise UserError(
                self.env._("%(program)s needs a customer on the order.", program=program.name)
            )
        card = Card.search(
            [("partner_id", "=", self.partner_id.id), ("program_id", "=", program.id)],
            limit=1,
            order="id",
        )
        return card or Card.with_context(action_no_send_mail=True).create(
            {"program_id": program.id, "partner_id": self.partner_id.id, "points": 0}
        )

    def _beauty_round(self, amount):
        return float_round(amount, precision_digits=2)

    # -- spending ------------------------------------------------------------------------------
    def _beauty_spend(self, group):
        reward = group.reward_id
        card = group.coupon_id
        if len(reward) != 1 or len(card) > 1:
            raise UserError(self.env._("A reward line of this order names several rewards."))
        card = card or self._beauty_card(reward.program_id)
        if reward.program_id != card.program_id:
            raise UserError(
                self.env._(
                    "The reward %(reward)s is not one of %(card)s: nothing was deducted, the "
                    "order was not recorded.",
                    reward=reward.description or reward.program_id.name,
                    card=card.program_id.name,
                )
            )
        self._beauty_check_owner(card)
        cost = self._beauty_reward_cost(reward, card, group)
        if float_is_zero(cost, precision_digits=2):
            return
        card._beauty_debit(
            cost, move_type="payment", pos_order_id=self.id, pos_order_line_uuid=group[0].uuid
        )

    def _beauty_reward_cost(self, reward, card, group):
        """What the reward lines of ``group`` cost, from their price and the program: the till's
        ``points_cost`` is never trusted below that."""
        money = -sum(group.mapped("price_subtotal_incl"))
        claimed = sum(group.mapped("points_cost"))
        if reward.reward_type == "discount" and reward.discount_mode == "per_point":
            if money <= 0:
                return 0.0
            cost = self._beauty_round(money / reward.discount)
            if reward.clear_wallet:
                cost = max(cost, claimed)
            return cost
        if money <= 0 and claimed <= 0:
            return 0.0
        claims = 1
        if reward.reward_type == "product":
            claims = math.ceil(sum(group.mapped("qty")) / (reward.reward_product_qty or 1))
        return max(claimed, reward.required_points * claims)

    def _beauty_return_payment(self, line):
        """A refund line of a reward paid from a card gives back its share of that payment,
        in the payment's principal/bonus split, once."""
        original = line.refunded_orderline_id
        Move = self.env["beauty.card.move"].sudo()
        group = original.order_id.lines.filtered(
            lambda other: (
                other.reward_id == original.reward_id
                and (other.reward_identifier_code or other.uuid)
                == (original.reward_identifier_code or original.uuid)
            )
        )
        payment = Move.search(
            [("pos_order_line_uuid", "in", group.mapped("uuid")), ("move_type", "=", "payment")],
            limit=1,
        )
        group_money = -sum(group.mapped("price_subtotal_incl"))
        refunded = line.price_subtotal_incl
        if not payment or group_money <= 0 or refunded <= 0:
            return
        ratio = min(refunded / group_money, 1.0)
        already = sum(Move.search([("origin_move_id", "=", payment.id)]).mapped("amount"))
        left = -payment.amount - already
        amount = min(self._beauty_round(-payment.amount * ratio), left)
        if float_compare(amount, 0.0, precision_digits=2) <= 0:
            return
        bonus = self._beauty_round(amount * payment.bonus / payment.amount) if payment.bonus else 0
        principal = amount - bonus if payment.card_id.beauty_program_type == "ewallet" else amount
        payment.card_id._beauty_credit(
            principal,
            bonus,
            move_type="payment_return",
            pos_order_id=self.id,
            pos_order_line_uuid=line.uuid,
            origin_move_id=payment.id,
        )

    # -- points earned -------------------------------------------------------------------------
    def _beauty_points_programs(self):
        return self.config_id._get_program_ids().filtered(
            lambda program: program.program_type == "loyalty" and program.trigger == "auto"
        )

    def _beauty_points_for(self, program, lines):
        """Points the rules of ``program`` give for ``lines`` (before the tier multiplier)."""
        total = 0.0
        for rule in program.rule_ids:
            if rule.mode == "with_code":
                continue
            products = lines.product_id.filtered_domain(rule._get_valid_product_domain())
            matching = lines.filtered(lambda line, products=products: line.product_id in products)
            if not matching:
                continue
            qty = sum(matching.mapped("qty"))
            amount_incl = sum(matching.mapped("price_subtotal_incl"))
            basis = (
                amount_incl
                if rule.minimum_amount_tax_mode == "incl"
                else sum(matching.mapped("price_subtotal"))
            )
            if qty < rule.minimum_qty or basis < rule.minimum_amount:
                continue
            if rule.reward_point_mode == "order":
                total += rule.reward_point_amount
            elif rule.reward_point_mode == "unit":
                total += qty * rule.reward_point_amount
            else:
                total += amount_incl * rule.reward_point_amount
        return self._beauty_round(total)

    def _beauty_earning_lines(self, program):
        """Sold lines that earn points: not the refunds, not payments from a card, not this
        program's own rewards, not stored value top-ups (points are earned when the stored
        value is spent on a sale, not a second time when it is bought)."""
        topup_products = self._beauty_topup_products()
        return self.lines.filtered(
            lambda line: (
                line.qty > 0
                and not line.refunded_orderline_id
                and not (not line.reward_id and line.product_id in topup_products)
                and not (
                    line.reward_id
                    and (
                        line.reward_id.program_id == program
                        or line.reward_id.program_id.program_type in ("ewallet", "gift_card")
                    )
                )
            )
        )

    def _beauty_earn_points(self):
        if not self.partner_id:
            return
        Move = self.env["beauty.card.move"].sudo()
        for program in self._beauty_points_programs():
            if Move.search_count(
                [
                    ("pos_order_id", "=", self.id),
                    ("program_id", "=", program.id),
                    ("move_type", "=", "earn"),
                ],
                limit=1,
            ):
                continue
            points = self._beauty_points_for(program, self._beauty_earning_lines(program))
            won = self._beauty_round(points * self._beauty_points_multiplier())
            if won <= 0:
                continue
            self._beauty_card(program)._beauty_credit(
                won, 0.0, move_type="earn", pos_order_id=self.id
            )

    def _beauty_take_back_points(self):
        """Refund lines take back the points their sale earned, in proportion to the money
        refunded, once; what was spent meanwhile cannot be taken back and is noted."""
        refund_lines = self.lines.filtered(
            lambda line: line.qty < 0 and line.refunded_orderline_id and not line.reward_id
        )
        Move = self.env["beauty.card.move"].sudo()
        for origin in refund_lines.refunded_orderline_id.order_id:
            earns = Move.search([("pos_order_id", "=", origin.id), ("move_type", "=", "earn")])
            mine = refund_lines.filtered(
                lambda line, origin=origin: line.refunded_orderline_id.order_id == origin
            )
            for earn in earns:
                if Move.search_count(
                    [("origin_move_id", "=", earn.id), ("pos_order_id", "=", self.id)], limit=1
                ):
                    continue
                sold = sum(
                    origin._beauty_earning_lines(earn.program_id).mapped("price_subtotal_incl")
                )
                refunded = -sum(mine.mapped("price_subtotal_incl"))
                if sold <= 0 or refunded <= 0:
                    continue
                already = -sum(Move.search([("origin_move_id", "=", earn.id)]).mapped("amount"))
                due = min(
                    self._beauty_round(earn.amount * min(refunded / sold, 1.0)),
                    earn.amount - already,
                )
                points, _bonus = earn.card_id._beauty_lock()
                taken = min(due, points)
                if float_compare(taken, 0.0, precision_digits=2) <= 0:
                    continue
                note = False
                if float_compare(taken, due, precision_digits=2) < 0:
                    note = self.env._(
                        "%(due).2f points were due back, %(taken).2f were left on the card.",
                        due=due,
                        taken=taken,
                    )
                earn.card_id._beauty_debit(
                    taken,
                    move_type="earn_reversal",
                    pos_order_id=self.id,
                    origin_move_id=earn.id,
                    note=note,
                )

    # -- top-ups -------------------------------------------------------------------------------
    def _beauty_topup_products(self):
        """Every product sold as a stored value top-up, by any program (archived too)."""
        return (
            self.env["loyalty.program"]
            .sudo()
            .with_context(active_test=False)
            .search([("program_type", "=", "ewallet")])
            .rule_ids.product_ids
        )

    def _beauty_topup_programs(self, product):
        """Stored value programs that sell ``product`` as a top-up, the ones this till applies
        today first (archived and ended programs too: money paid is never lost)."""
        programs = (
            self.env["loyalty.program"]
            .sudo()
            .with_context(active_test=False)
            .search([("program_type", "=", "ewallet"), ("rule_ids.product_ids", "in", product.ids)])
        )
        applying = self.config_id._get_program_ids() & programs
        return applying + (programs - applying)

    def _beauty_apply_topups(self, lines, chosen=None):
        """Credit the top-up lines of the order. When several stored value programs sell the
        product, the till names its choice when it confirms the order's loyalty changes
        (``chosen``); until then the line waits. A program that no longer applies (ended,
        archived, usage limit reached, not on this till) still gets the money paid, as
        principal without bonus, and the ledger line says why."""
        is_refund = bool(self.lines.refunded_orderline_id)
        for line in lines:
            programs = self._beauty_topup_programs(line.product_id)
            applying = programs & self.config_id._get_program_ids()
            paid = line.price_subtotal_incl
            if paid < 0:
                self._beauty_reverse_topup(line)
                continue
            if float_is_zero(paid, precision_digits=2):
                continue
            if chosen:
                if chosen not in programs:
                    continue
                program = chosen
            elif len(applying) > 1:
                continue
            else:
                program = applying or programs[:1]
            card = self._beauty_card(program)
            self._beauty_check_owner(card)
            if is_refund:
                self._beauty_refund_to_wallet(card, line)
                continue
            note = False
            if program in applying:
                rule = program.rule_ids.filtered(
                    lambda rule, line=line: line.product_id in rule.product_ids
                )[:1]
                if rule.reward_point_mode == "unit":
                    value = abs(line.qty) * rule.reward_point_amount
                elif rule.reward_point_mode == "money":
                    value = paid * rule.reward_point_amount
                else:
                    value = rule.reward_point_amount
            else:
                value = paid
                note = self.env._(
                    "The program no longer applied when the order reached the server: the "
                    "money paid is credited, without bonus."
                )
            value = self._beauty_round(value)
            principal = min(paid, value)
            card._beauty_credit(
                principal,
                max(value - principal, 0.0),
                move_type="topup",
                pos_order_id=self.id,
                pos_order_line_uuid=line.uuid,
                note=note,
            )

    @api.model
    def _beauty_credit_pending_topups(self, older_than=timedelta(hours=1), days=30):
        """Top-ups of paid orders whose till never named the program (several programs sell
        the product, and the till's confirmation was lost) are credited to the first program
        that applies, so that money paid is never left uncredited. Run by the nightly check."""
        now = fields.Datetime.now()
        programs = (
            self.env["loyalty.program"]
            .sudo()
            .with_context(active_test=False)
            .search([("program_type", "=", "ewallet")])
        )
        products = programs.rule_ids.product_ids
        if not products:
            return self.browse()
        lines = (
            self.env["pos.order.line"]
            .sudo()
            .search(
                [
                    ("product_id", "in", products.ids),
                    ("reward_id", "=", False),
                    ("price_subtotal_incl", ">", 0),
                    ("order_id.state", "in", PAID_STATES),
                    ("create_date", "<", now - older_than),
                    ("create_date", ">", now - timedelta(days=days)),
                ]
            )
        )
        done = set(
            self.env["beauty.card.move"]
            .sudo()
            .search([("pos_order_line_uuid", "in", lines.mapped("uuid"))])
            .mapped("pos_order_line_uuid")
        )
        pending = lines.filtered(lambda line: line.uuid not in done)
        for line in pending:
            order = line.order_id
            order._beauty_apply_card_moves(
                topup_program=order._beauty_topup_programs(line.product_id)[:1]
            )
        return pending.order_id

    def _beauty_refund_to_wallet(self, card, line):
        """A refund paid into stored value (core's "refund to eWallet"): a credit, split as the
        refunded orders were paid from this card, the rest principal."""
        Move = self.env["beauty.card.move"].sudo()
        origins = self.lines.refunded_orderline_id.order_id
        paid = Move.search(
            [
                ("pos_order_id", "in", origins.ids),
                ("card_id", "=", card.id),
                ("move_type", "=", "payment"),
            ]
        )
        amount = self._beauty_round(line.price_subtotal_incl)
        bonus = 0.0
        if paid and sum(paid.mapped("amount")):
            share = sum(paid.mapped("bonus")) / sum(paid.mapped("amount"))
            bonus = min(self._beauty_round(amount * share), -sum(paid.mapped("bonus")))
        card._beauty_credit(
            amount - bonus,
            bonus,
            move_type="return",
            pos_order_id=self.id,
            pos_order_line_uuid=line.uuid,
        )

    def _beauty_reverse_topup(self, line):
        """A refunded top-up takes back what it credited, in proportion; what was spent since
        cannot be paid back in cash."""
        Move = self.env["beauty.card.move"].sudo()
        topup = Move.search(
            [
                ("pos_order_line_uuid", "=", line.refunded_orderline_id.uuid),
                ("move_type", "=", "topup"),
            ],
            limit=1,
        )
        if not line.refunded_orderline_id or not topup:
            raise UserError(
                self.env._(
                    "A stored value top-up line can only be negative when it refunds a top-up "
                    "of an earlier order."
                )
            )
        ratio = min(abs(line.qty) / (line.refunded_orderline_id.qty or 1.0), 1.0)
        amount = self._beauty_round(topup.amount * ratio)
        self._beauty_check_owner(topup.card_id)
        topup.card_id._beauty_debit(
            amount,
            move_type="topup_reversal",
            pos_order_id=self.id,
            pos_order_line_uuid=line.uuid,
            origin_move_id=topup.id,
        )

    def _beauty_points_multiplier(self):
        self.ensure_one()
        tier = self.partner_id.beauty_tier_id
        if not tier:
            return 1.0
        multiplier = tier.points_multiplier
        birthday = self.partner_id.beauty_birthday
        order_date = fields.Date.context_today(self, self.date_order)
        if birthday and birthday.month == order_date.month:
            multiplier *= tier.birthday_multiplier or 1.0
        return multiplier

    # -- the till's confirmation ---------------------------------------------------------------
    def confirm_coupon_programs(self, coupon_data):
        """Points and stored value are ours and were moved when the order was recorded, from
        the order's own lines: here the till only learns its cards, and names the program of a
        top-up when several sell the product. The program is the card's, never the one the
        till sends; the order must be paid and the card the customer's. The core gets the
        other programs (coupons, gift cards, promotions)."""
        self.ensure_one()
        coupon_data = {int(key): vals for key, vals in coupon_data.items()}
        Card = self.env["loyalty.card"].sudo()
        Program = self.env["loyalty.program"].sudo()
        ours = {}
        for key, vals in list(coupon_data.items()):
            card = Card.browse(key).exists() if key > 0 else Card
            program = card.program_id if card else Program.browse(vals.get("program_id")).exists()
            if program.program_type in OUR_TYPES:
                ours[key] = (card, program)
                coupon_data.pop(key)
        if ours and self.state not in PAID_STATES:
            raise UserError(
                self.env._("Points and stored value are confirmed for a paid order only.")
            )
        result = super().confirm_coupon_programs(coupon_data)
        updates = result.setdefault("coupon_updates", [])
        program_updates = result.setdefault("program_updates", [])
        for key, (card, program) in ours.items():
            if card:
                self._beauty_check_owner(card)
            if program.program_type == "ewallet":
                self._beauty_apply_card_moves(topup_program=program)
            if not card and self.partner_id:
                card = self._beauty_card(program)
            if not card:
                continue
            updates.append(
                {
                    "old_id": key,
                    "id": card.id,
                    "points": card.points,
                    "code": card.code,
                    "program_id": program.id,
                    "partner_id": card.partner_id.id,
                }
            )
        listed = {update["program_id"] for update in program_updates}
        for program in {program for _card, program in ours.values()}:
            if program.id not in listed:
                program_updates.append(
                    {"program_id": program.id, "usages": program.total_order_count}
                )
        return result
