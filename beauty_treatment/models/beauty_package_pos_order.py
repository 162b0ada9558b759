from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

PAID_STATES = ("paid", "done", "invoiced")


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

    beauty_package_move_ids = fields.One2many(
        "beauty.package.card.move", "pos_order_id", string="Card history", readonly=True
    )

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
                card_line = (
                    line.refunded_orderline_id.beauty_package_card_line_id
                    or line.beauty_package_card_line_id
                ).sudo()
                card_line._restore(
                    -line.qty,
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
        record = self.env["beauty.treatment.record"]
        if line.beauty_therapist_id and card_line.product_id.beauty_is_treatment:
            record = self._beauty_treatment_record(line, card_line)
        card_line._redeem(
            line.qty,
            pos_order_id=self.id,
            pos_order_line_uuid=line.uuid,
            record_id=record.id,
            reason=self.env._("Used on %s", self.name),
        )

    def _beauty_treatment_record(self, line, card_line):
        # The cashier is not a therapist: the record is created and finished (stock,
        # commission) with superuser rights, as the therapist set on the line.
        record = (
            self.env["beauty.treatment.record"]
            .sudo()
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "treatment_id": card_line.product_id.id,
                    "therapist_id": line.beauty_therapist_id.id,  # hr.employee, same id
                    "company_id": self.company_id.id,
                    "date": self.date_order,
                    # Consumption of a prepaid card (耗卡): the service is worth what the
                    # customer paid per session, not the list price.
                    "price": card_line.unit_value * line.qty,
                    "notes": self.env._("Session of card %s", card_line.card_id.number),
                }
            )
        )
        record.action_done()
        return record

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
                line.price_subtotal_incl,
                quantity=int(line.qty),
                company_id=self.company_id.id,
                pos_order_line_uuid=line.uuid,
            )
            card._after_create_log_sale(
                reason=self.env._("Sold on %s", self.name),
                pos_order_id=self.id,
                pos_order_line_uuid=line.uuid,
            )

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
            self.env.cr.execute(
                SQL("SELECT 1 FROM beauty_package_card WHERE id = %s FOR NO KEY UPDATE", card.id)
            )
            card.invalidate_recordset(["state"])
            card.line_ids._lock()
            if card.state != "active" or any(card.line_ids.mapped("used")):
                raise UserError(
                    self.env._(
                        "Card %(card)s has used sessions or is not active any more: it "
                        "cannot be refunded at the till. A manager refunds the unused part "
                        "from the card in the back office.",
                        card=card.number,
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
                    "refund_amount": -line.price_subtotal_incl,
                    "refund_date": fields.Date.context_today(self),
                }
            )
