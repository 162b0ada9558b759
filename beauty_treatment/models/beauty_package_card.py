import secrets

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command, Domain
from odoo.tools import SQL, float_round

MANAGER = "beauty_customer_profile.beauty_customer_profile_group_manager"
EXPIRE_BATCH = 200


def check_guarded_write(records, vals):
    """Refuse a write of a guarded field of a card or card line, for every role: only the
    card's own methods change them, as superuser, with their ledger line."""
    guarded = sorted(vals.keys() & records._beauty_guarded_fields)
    if guarded and not records.env.su:
        raise AccessError(
            records.env._(
                "%(fields)s of a package card cannot be changed by hand. Sessions and money "
                "on a card change only through its actions (sale, redemption, refund, "
                "freeze, extension, transfer), each written in the card's history.",
                fields=", ".join(
                    records._fields[name]._description_string(records.env) for name in guarded
                ),
            )
        )


class BeautyPackageCard(models.Model):
    _name = "beauty.package.card"
    _inherit = ["mail.thread"]
    _description = "Package card"
    _order = "open_date desc, id desc"
    _rec_name = "number"

    number = fields.Char(required=True, readonly=True, copy=False, default="/", index=True)
    barcode = fields.Char(
        readonly=True, copy=False, default=lambda self: self._default_barcode(), index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Owner", required=True, index=True, tracking=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company",
        string="Store",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_tmpl_id = fields.Many2one(
        "product.template",
        string="Package",
        readonly=True,
        domain=[("beauty_is_package", "=", True)],
    )
    open_date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
    expiry_date = fields.Date(string="Expiry", readonly=True, tracking=True)
    completion_date = fields.Date(string="Expected completion", readonly=True)
    freeze_date = fields.Date(string="Frozen since", readonly=True)
    state = fields.Selection(
        [
            ("active", "Active"),
            ("frozen", "Frozen"),
            ("expired", "Expired"),
            ("used_up", "Used up"),
            ("refunded", "Refunded"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="active",
        readonly=True,
        tracking=True,
        index=True,
    )
    price_paid = fields.Monetary(readonly=True)
    line_ids = fields.One2many("beauty.package.card.line", "card_id", string="Sessions")
    move_ids = fields.One2many("beauty.package.card.move", "card_id", string="History")
    refund_amount = fields.Monetary(readonly=True, copy=False)
    refund_fee = fields.Monetary(readonly=True, copy=False)
    refund_date = fields.Date(readonly=True, copy=False)
    pos_order_line_uuid = fields.Char(
        string="Sold on POS line", readonly=True, copy=False, index="btree_not_null"
    )
    # Not stored: redemptions update the lines in SQL and must not queue a write on the
    # card row, which every till redeeming from the card would then contend for.
    remaining_total = fields.Integer(string="Sessions left", compute="_compute_remaining_total")

    _number_unique = models.UniqueIndex("(company_id, number)")
    _barcode_unique = models.UniqueIndex("(barcode) WHERE barcode IS NOT NULL")
    _pos_line_unique = models.UniqueIndex(
        "(pos_order_line_uuid) WHERE pos_order_line_uuid IS NOT NULL"
    )

    # Balances, dates and the card's identity change only through the guarded methods
    # below, which write the ledger in the same transaction (as superuser, after their own
    # checks). A plain write or create over RPC is refused for every role.
    _beauty_guarded_fields = frozenset(
        {
            "number",
            "barcode",
            "partner_id",
            "company_id",
            "product_tmpl_id",
            "open_date",
            "expiry_date",
            "completion_date",
            "freeze_date",
            "state",
            "price_paid",
            "line_ids",
            "move_ids",
            "refund_amount",
            "refund_fee",
            "refund_date",
            "pos_order_line_uuid",
        }
    )

    def _default_barcode(self):
        return "29" + "".join(secrets.choice("0123456789") for _digit in range(11))

    @api.depends("line_ids.remaining")
    def _compute_remaining_total(self):
        for card in self:
            card.remaining_total = sum(card.line_ids.mapped("remaining"))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "A package card is opened by selling its package (at the till or on an "
                    "invoice), not created by hand."
                )
            )
        for vals in vals_list:
            if vals.get("number", "/") == "/":
                vals["number"] = self.env["ir.sequence"].next_by_code("beauty.package.card") or "/"
        return super().create(vals_list)

    def write(self, vals):
        check_guarded_write(self, vals)
        return super().write(vals)

    # -- actions --------------------------------------------------------------------------
    def action_freeze(self):
        self.ensure_one()
        self._check_manager_or_front_desk()
        self._lock()
        if self.state != "active":
            raise UserError(self.env._("Only an active card can be frozen."))
        self.sudo().write({"state": "frozen", "freeze_date": fields.Date.context_today(self)})
        return True

    def action_unfreeze(self):
        """The card comes back with its expiry pushed by the days it was frozen."""
        self.ensure_one()
        self._check_manager_or_front_desk()
        self._lock()
        if self.state != "frozen":
            raise UserError(self.env._("Only a frozen card can be unfrozen."))
        days = (fields.Date.context_today(self) - self.freeze_date).days
        vals = {"state": "active", "freeze_date": False}
        if self.expiry_date:
            vals["expiry_date"] = self.expiry_date + relativedelta(days=days)
        if self.completion_date:
            vals["completion_date"] = self.completion_date + relativedelta(days=days)
        self.sudo().write(vals)
        self._log_moves("adjust", self.env._("Unfrozen after %s days", days))
        return True

    def action_extend(self, new_expiry, reason):
        """Push the expiry. An expired card comes back active with the sessions its expiry
        closed (unused, neither refunded nor cancelled), written in its history."""
        self.ensure_one()
        self._check_manager()
        self._check_store_access()
        if not reason:
            raise UserError(self.env._("Say why the card is extended."))
        new_expiry = fields.Date.to_date(new_expiry)
        if not new_expiry:
            raise UserError(self.env._("Choose the new expiry date."))
        self._lock()
        if self.state not in ("active", "frozen", "expired"):
            raise UserError(self.env._("Card %s cannot be extended any more.", self.number))
        if self.expiry_date and new_expiry <= self.expiry_date:
            raise UserError(self.env._("The new expiry must be later than the current one."))
        if new_expiry < fields.Date.context_today(self):
            raise UserError(self.env._("The new expiry must not be in the past."))
        note = self.env._("Extended to %(date)s: %(reason)s", date=new_expiry, reason=reason)
        if self.state == "expired" and not self.line_ids._reinstate_closed(note):
            raise UserError(
                self.env._(
                    "Card %s has no unused session to bring back: there is nothing to extend.",
                    self.number,
                )
            )
        self.sudo().write(
            {
                "expiry_date": new_expiry,
                "state": "active" if self.state == "expired" else self.state,
            }
        )
        self._log_moves("adjust", note)
        return True

    def action_transfer(self, partner, reason=False):
        """Hand the unused sessions to another customer (a family member)."""
        self.ensure_one()
        self._check_manager_or_front_desk()
        partner = self.env["res.partner"].browse(getattr(partner, "id", partner)).exists()
        if not partner:
            raise UserError(self.env._("Choose the customer who receives the card."))
        partner.check_access("read")
        self._lock()
        if self.state not in ("active", "frozen"):
            raise UserError(self.env._("Only an active or frozen card can be transferred."))
        if partner == self.partner_id:
            raise UserError(self.env._("The card already belongs to %s.", partner.display_name))
        note = self.env._(
            "Transferred from %(old)s to %(new)s",
            old=self.partner_id.display_name,
            new=partner.display_name,
        )
        self.sudo().partner_id = partner
        self._log_moves("transfer", f"{note}: {reason}" if reason else note)
        return True

    def _paid_sessions(self):
        """{card line id: sessions sold on it}: the sessions the price paid bought, without
        the free sessions added later (compensation)."""
        groups = (
            self.env["beauty.package.card.move"]
            .sudo()
            ._read_group(
                [("card_line_id", "in", self.line_ids.ids), ("kind", "=", "sale")],
                ["card_line_id"],
                ["quantity:sum"],
            )
        )
        return {line.id: quantity for line, quantity in groups}

    def _refund_figures(self):
        """(refund, fee): the price paid times the share of the paid sessions still unused,
        less the store's fee. Free sessions added to a card (compensation) are used last
        and never paid out."""
        self.ensure_one()
        sold = self._paid_sessions()
        total = unused = 0.0
        for line in self.line_ids:
            paid = sold.get(line.id, line.total)
            free = max(line.total - paid, 0)
            total += paid * line.unit_value
            unused += max(line.remaining - free, 0) * line.unit_value
        share = min(unused / total, 1.0) if total else 0.0
        gross = self.currency_id.round(self.price_paid * share)
        fee = self.currency_id.round(
            gross * float_round(self.company_id.beauty_package_refund_fee, 4) / 100.0
        )
        return gross - fee, fee

    def action_refund(self, reason=False):
        self.ensure_one()
        self._check_manager()
        self._check_store_access()
        self._lock()
        if self.state not in ("active", "frozen", "expired"):
            raise UserError(self.env._("Card %s cannot be refunded.", self.number))
        refund, fee = self._refund_figures()
        note = reason or self.env._("Refund of the unused sessions")
        self.line_ids._close("refund", note)
        self.sudo().write(
            {
                "state": "refunded",
                "refund_amount": refund,
                "refund_fee": fee,
                "refund_date": fields.Date.context_today(self),
            }
        )
        return True

    def action_cancel(self, reason=False):
        self.ensure_one()
        self._check_manager()
        self._check_store_access()
        self._lock()
        if self.state in ("refunded", "cancelled"):
            raise UserError(self.env._("Card %s is closed already.", self.number))
        self.line_ids._close("adjust", reason or self.env._("Card cancelled"))
        self.sudo().state = "cancelled"
        return True

    # -- business methods -----------------------------------------------------------------
    def _lock(self):
        """Row-lock the cards, then their lines, in id order: the one lock order of every
        path that changes a card (redemption, refund, cancellation, expiry, freeze...).
        FOR NO KEY UPDATE does not conflict with the key-share locks that foreign keys to
        the card take (new ledger moves, POS lines)."""
        if self:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM beauty_package_card WHERE id IN %s ORDER BY id "
                    "FOR NO KEY UPDATE",
                    tuple(self.ids),
                )
            )
            self.invalidate_recordset(
                ["state", "partner_id", "expiry_date", "freeze_date", "completion_date"]
            )
            self.sudo().line_ids._lock()

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a salon manager may do this on a package card."))

    def _check_store_access(self):
        """The user may change these cards: readable, and within her stores (the write
        record rules), checked before the action works as superuser."""
        if self.env.su:
            return
        self.check_access("read")
        domain = self.env["ir.rule"]._compute_domain(self._name, "write")
        if domain and self - self.sudo().filtered_domain(domain):
            raise AccessError(
                self.env._("Card %s belongs to a store you do not work for.", self[:1].number)
            )

    def _check_manager_or_front_desk(self):
        self._check_store_access()
        if not self.env.su and not self.env.user.has_group(
            "beauty_customer_profile.beauty_customer_profile_group_front_desk"
        ):
            raise AccessError(self.env._("Only salon staff may do this on a package card."))

    def _log_moves(self, kind, reason, quantity=0):
        self.env["beauty.package.card.move"].sudo().create(
            [
                {"card_line_id": line.id, "quantity": quantity, "kind": kind, "reason": reason}
                for line in self.line_ids
            ]
        )

    @api.model
    def _create_from_template(self, template, partner, price_paid, quantity=1, **vals):
        today = fields.Date.context_today(self)
        months = template.beauty_package_validity_months
        completion = template.beauty_package_completion_months
        count = sum(template.beauty_package_line_ids.mapped("quantity"))
        unit_value = template.beauty_package_session_value
        if price_paid and count:
            # A session is worth what the customer really paid for it (after discounts),
            # in the store's currency: the liability and the consumption commission follow.
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            unit_value = company.currency_id.round(price_paid / (count * quantity))
        return self.sudo().create(
            {
                "partner_id": partner.id,
                "product_tmpl_id": template.id,
                "open_date": today,
                "expiry_date": today + relativedelta(months=months) if months else False,
                "completion_date": today + relativedelta(months=completion)
                if completion
                else False,
                "price_paid": price_paid,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "total": line.quantity * quantity,
                            "remaining": line.quantity * quantity,
                            "unit_value": unit_value,
                        }
                    )
                    for line in template.beauty_package_line_ids
                ],
                **vals,
            }
        )

    def _after_create_log_sale(self, reason=False, **move_vals):
        self.env["beauty.package.card.move"].sudo().create(
            [
                {
                    "card_line_id": line.id,
                    "quantity": line.total,
                    "kind": "sale",
                    "reason": reason,
                    **move_vals,
                }
                for line in self.line_ids
            ]
        )

    @api.model
    def _cron_expire(self):
        """Expire the cards past their expiry, a batch at a time, committing each batch."""
        while True:
            done, remaining = self._expire_batch()
            if not done:
                break
            time_left = self.env["ir.cron"]._commit_progress(done, remaining=remaining)
            if not remaining or not time_left:
                break

    @api.model
    def _expire_batch(self, limit=EXPIRE_BATCH):
        """Expire up to ``limit`` cards; return (expired, still to expire)."""
        today = fields.Date.context_today(self)
        domain = Domain("state", "=", "active") & Domain("expiry_date", "<", today)
        cards = self.sudo().search(domain, limit=limit, order="id")
        if not cards:
            return 0, 0
        found = len(cards)
        cards._lock()
        # A card redeemed, refunded or extended meanwhile is left for the next run.
        cards = cards.filtered(
            lambda card: card.state == "active" and card.expiry_date and card.expiry_date < today
        )
        cards.line_ids._close("expire", self.env._("Card expired"))
        cards.write({"state": "expired"})
        return found, self.search_count(domain) if found == limit else 0
