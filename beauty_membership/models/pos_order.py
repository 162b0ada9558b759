from odoo import fields, models
from odoo.exceptions import UserError

from .res_partner import PAID_STATES


class PosOrder(models.Model):
    _inherit = "pos.order"

    beauty_card_move_ids = fields.One2many(
        "beauty.card.move", "pos_order_id", string="Balance moves", readonly=True
    )

    def _process_saved_order(self, draft):
        # Runs in the transaction that records the paid order: stored value and points are
        # checked and moved here, under a row lock, so that the order and its deductions
        # are committed together or not at all.
        if not draft and self.state != "cancel":
            self._beauty_apply_card_moves()
        res = super()._process_saved_order(draft)
        if self.state in PAID_STATES and self.partner_id.beauty_is_customer:
            self.partner_id._beauty_tier_upgrade()
        return res

    def _beauty_apply_card_moves(self):
        self.ensure_one()
        lines = self.lines.filtered(lambda line: line.uuid and line.qty > 0)
        done = set(
            self.env["beauty.card.move"]
            .sudo()
            .search([("pos_order_line_uuid", "in", lines.mapped("uuid"))])
            .mapped("pos_order_line_uuid")
        )
        lines = lines.filtered(lambda line: line.uuid not in done)
        spend_lines = lines.filtered(
            lambda line: (
                line.reward_id
                and line.coupon_id
                and line.points_cost > 0
                and line.coupon_id.beauty_program_type in ("ewallet", "loyalty")
            )
        )
        # Lock cards in id order so that two tills never wait on each other crosswise.
        for line in spend_lines.sorted(lambda line: (line.coupon_id.id, line.id)):
            card = line.coupon_id.sudo()
            owners = self.partner_id | self.partner_id.commercial_partner_id
            if card.partner_id and card.partner_id not in owners:
                raise UserError(
                    self.env._(
                        "%(card)s belongs to %(owner)s, not to the customer of this order.",
                        card=card.program_id.name,
                        owner=card.partner_id.name,
                    )
                )
            card._beauty_debit(
                line.points_cost,
                move_type="payment",
                pos_order_id=self.id,
                pos_order_line_uuid=line.uuid,
            )
        self._beauty_apply_topups(lines - spend_lines)

    def _beauty_apply_topups(self, lines):
        programs = self.config_id._get_program_ids().filtered(
            lambda program: program.program_type == "ewallet"
        )
        rules = programs.rule_ids.filtered("product_ids")
        for line in lines:
            line_rules = rules.filtered(lambda rule, line=line: line.product_id in rule.product_ids)
            if not line_rules:
                continue
            if not self.partner_id:
                raise UserError(self.env._("A stored value top-up needs a customer."))
            rule = line_rules[0]
            if rule.reward_point_mode == "unit":
                value = line.qty * rule.reward_point_amount
            elif rule.reward_point_mode == "money":
                value = line.price_subtotal_incl * rule.reward_point_amount
            else:
                value = rule.reward_point_amount
            principal = min(line.price_subtotal_incl, value)
            card = self._beauty_wallet_card(rule.program_id)
            card._beauty_credit(
                principal,
                max(value - principal, 0.0),
                move_type="topup",
                pos_order_id=self.id,
                pos_order_line_uuid=line.uuid,
            )

    def _beauty_wallet_card(self, program):
        Card = self.env["loyalty.card"].sudo()
        partner = self.partner_id
        card = Card.search(
            [("partner_id", "=", partner.id), ("program_id", "=", program.id)], limit=1, order="id"
        )
        return card or Card.with_context(action_no_send_mail=True).create(
            {"program_id": program.id, "partner_id": partner.id, "points": 0}
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

    def confirm_coupon_programs(self, coupon_data):
        """Points and stored value are ours: stored value was topped up and spent when the
        order was recorded; points earned are credited here, times the tier multiplier.
        The core gets the other programs (coupons, gift cards, promotions)."""
        coupon_data = {int(key): vals for key, vals in coupon_data.items()}
        Program = self.env["loyalty.program"].sudo()
        ours = {}
        for key, vals in list(coupon_data.items()):
            program = Program.browse(vals["program_id"]).exists()
            if program.program_type in ("ewallet", "loyalty"):
                ours[key] = (program, coupon_data.pop(key))
        result = super().confirm_coupon_programs(coupon_data)
        updates = result.setdefault("coupon_updates", [])
        for key, (program, vals) in ours.items():
            card = self._beauty_credit_earned(key, program, vals)
            if card:
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
        return result

    def _beauty_credit_earned(self, key, program, vals):
        Card = self.env["loyalty.card"].sudo()
        card = Card.browse(key).exists() if key > 0 else Card
        if not card and self.partner_id:
            card = Card.search(
                [("partner_id", "=", self.partner_id.id), ("program_id", "=", program.id)],
                limit=1,
                order="id",
            )
        if program.program_type == "ewallet" or not self.partner_id:
            return card
        moves = self.sudo().beauty_card_move_ids.filtered(lambda move: move.card_id == card)
        if moves.filtered(lambda move: move.move_type == "earn"):
            return card
        spent = -sum(moves.filtered(lambda move: move.move_type == "payment").mapped("amount"))
        won = max(vals.get("points", 0.0) + spent, 0.0) * self._beauty_points_multiplier()
        if not won:
            return card
        card = card or self._beauty_wallet_card(program)
        card._beauty_credit(won, 0.0, move_type="earn", pos_order_id=self.id)
        return card
