from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

MANAGER = "beauty_customer_profile.beauty_customer_profile_group_manager"
FRONT_DESK = "beauty_customer_profile.beauty_customer_profile_group_front_desk"
PAID_STATES = ("paid", "done", "invoiced")


class ResPartner(models.Model):
    _inherit = "res.partner"

    beauty_tier_id = fields.Many2one(
        "beauty.member.tier", string="Member tier", index=True, copy=False
    )
    beauty_tier_color = fields.Integer(related="beauty_tier_id.color", string="Tier colour")
    beauty_tier_name = fields.Char(related="beauty_tier_id.name", string="Tier name")
    beauty_tier_since = fields.Date(string="Tier since", copy=False, readonly=True)
    beauty_tier_history_ids = fields.One2many(
        "beauty.tier.history", "partner_id", string="Tier history", readonly=True
    )
    beauty_downgrade_due = fields.Date(
        string="Downgrade after",
        copy=False,
        readonly=True,
        help="Set by the monthly review when the customer no longer qualifies for her tier: "
        "the end of the grace period.",
    )
    beauty_tier_reviewed_on = fields.Date(string="Tier reviewed on", copy=False, readonly=True)
    beauty_spend_12m = fields.Float(
        string="Spend (12 months)", compute="_compute_beauty_member_stats", groups=FRONT_DESK
    )
    beauty_visits_12m = fields.Integer(
        string="Visits (12 months)", compute="_compute_beauty_member_stats", groups=FRONT_DESK
    )
    beauty_points = fields.Float(string="Points", compute="_compute_beauty_balances")
    beauty_wallet_balance = fields.Float(string="Stored value", compute="_compute_beauty_balances")
    beauty_wallet_principal = fields.Float(
        string="Stored value: principal", compute="_compute_beauty_balances"
    )
    beauty_wallet_bonus = fields.Float(
        string="Stored value: bonus", compute="_compute_beauty_balances"
    )
    beauty_card_move_ids = fields.One2many(
        "beauty.card.move",
        "partner_id",
        string="Balance history",
        readonly=True,
        groups="beauty_customer_profile.beauty_customer_profile_group_front_desk",
    )

    def _compute_beauty_member_stats(self):
        stats = self._beauty_member_stats()
        for partner in self:
            partner.beauty_spend_12m, partner.beauty_visits_12m = stats.get(partner.id, (0.0, 0))

    def _compute_beauty_balances(self):
        cards = (
            self.env["loyalty.card"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("beauty_program_type", "in", ("loyalty", "ewallet")),
                ],
                ["partner_id", "beauty_program_type"],
                ["points:sum", "beauty_bonus:sum"],
            )
        )
        totals = {(partner.id, kind): (points, bonus) for partner, kind, points, bonus in cards}
        for partner in self:
            partner.beauty_points = totals.get((partner.id, "loyalty"), (0.0, 0.0))[0]
            balance, bonus = totals.get((partner.id, "ewallet"), (0.0, 0.0))
            partner.beauty_wallet_balance = balance
            partner.beauty_wallet_bonus = bonus
            partner.beauty_wallet_principal = balance - bonus

    @api.model
    def _load_pos_data_fields(self, config):
        return super()._load_pos_data_fields(config) + [
            "beauty_customer_number",
            "beauty_tier_name",
            "beauty_points",
            "beauty_wallet_balance",
        ]

    @api.model
    def get_new_partner(self, config_id, domain, offset):
        # The POS searches a fixed list of fields: let the member number find the customer too.
        query = next(
            (leaf[2] for leaf in domain if isinstance(leaf, list | tuple) and leaf[0] == "name"),
            None,
        )
        if query:
            domain = ["|", ("beauty_customer_number", "=ilike", query), *domain]
        return super().get_new_partner(config_id, domain, offset)

    def write(self, vals):
        if (
            "beauty_tier_id" in vals
            and not self.env.su
            and not self.env.user.has_group(MANAGER)
            and any(partner.beauty_tier_id.id != vals["beauty_tier_id"] for partner in self)
        ):
            raise AccessError(self.env._("Only a manager can change a member tier."))
        return super().write(vals)

    # -- tier arithmetic ------------------------------------------------------------------
    def _beauty_member_stats(self, at=None):
        """Net POS spend and visits (distinct days with a paid order) over the 12 months
        before ``at``, for all partners of ``self`` in one query: {id: (spend, visits)}."""
        if not self.ids:
            return {}
        at = at or fields.Datetime.now()
        self.env["pos.order"].flush_model(["partner_id", "state", "date_order", "amount_total"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id,
                       COALESCE(SUM(amount_total), 0),
                       COUNT(DISTINCT (date_order AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date)
                           FILTER (WHERE amount_total > 0)
                  FROM pos_order
                 WHERE partner_id = ANY(%(ids)s)
                   AND state IN %(states)s
                   AND date_order > %(start)s
                   AND date_order <= %(at)s
              GROUP BY partner_id
                """,
                tz=self.env.user.tz or "UTC",
                ids=self.ids,
                states=PAID_STATES,
                start=at - relativedelta(months=12),
                at=at,
            )
        )
        stats = {partner_id: [spend, visits] for partner_id, spend, visits in rows}
        # Stored value paid back in money is no longer spend (refunded orders already count
        # negative in the sum above).
        self.env["beauty.card.move"].flush_model(["partner_id", "move_type", "date", "principal"])
        refunds = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, SUM(principal)
                  FROM beauty_card_move
                 WHERE partner_id = ANY(%(ids)s)
                   AND move_type = 'refund'
                   AND date > %(start)s
                   AND date <= %(at)s
              GROUP BY partner_id
                """,
                ids=self.ids,
                start=at - relativedelta(months=12),
                at=at,
            )
        )
        for partner_id, principal in refunds:
            stats.setdefault(partner_id, [0.0, 0])[0] += principal
        return {partner_id: tuple(values) for partner_id, values in stats.items()}

    def _beauty_qualified_tiers(self, at=None):
        """The highest tier each partner reaches today: {partner: tier}."""
        tiers = self.env["beauty.member.tier"].sudo()._ranked()
        stats = self._beauty_member_stats(at)
        self.invalidate_recordset(["beauty_points"])
        result = {}
        for partner in self:
            spend, visits = stats.get(partner.id, (0.0, 0))
            points = partner.sudo().beauty_points
            result[partner] = next(
                (tier for tier in tiers if tier._qualifies(spend, visits, points)),
                tiers.browse(),
            )
        return result

    @api.model
    def _beauty_tier_rank(self, tier):
        """Higher is better; no tier ranks below every tier."""
        if not tier:
            return -1
        ranked = self.env["beauty.member.tier"].sudo()._ranked()
        ids = ranked.ids[::-1]
        return ids.index(tier.id) if tier.id in ids else -1

    def _beauty_set_tier(self, tier, reason, note=False):
        """Move the partners of ``self`` to ``tier``, log it and hand over the tier's
        pricelist. Callers have checked the right to do so."""
        history = []
        for partner in self.sudo():
            old = partner.beauty_tier_id
            if old == tier:
                continue
            history.append(
                {
                    "partner_id": partner.id,
                    "old_tier_id": old.id,
                    "new_tier_id": tier.id,
                    "reason": reason,
                    "note": note,
                    "user_id": self.env.uid,
                }
            )
            vals = {
                "beauty_tier_id": tier.id,
                "beauty_tier_since": fields.Date.context_today(partner),
                "beauty_downgrade_due": False,
            }
            if tier.pricelist_id:
                vals["property_product_pricelist"] = tier.pricelist_id.id
            elif old.pricelist_id and partner.property_product_pricelist == old.pricelist_id:
                vals["property_product_pricelist"] = False
            partner.write(vals)
        return self.env["beauty.tier.history"].sudo().create(history)

    def _beauty_tier_upgrade(self):
        """Upgrade as soon as a threshold is crossed (never downgrades)."""
        partners = self.filtered("beauty_is_customer")
        for partner, tier in partners._beauty_qualified_tiers().items():
            if self._beauty_tier_rank(tier) > self._beauty_tier_rank(partner.beauty_tier_id):
                partner._beauty_set_tier(tier, "upgrade")

    def _beauty_tier_review(self, today=None):
        """Monthly review: upgrade, start a grace period, or downgrade once it is over."""
        today = today or fields.Date.context_today(self)
        for partner, tier in self._beauty_qualified_tiers().items():
            current = partner.beauty_tier_id
            rank, current_rank = self._beauty_tier_rank(tier), self._beauty_tier_rank(current)
            if rank > current_rank:
                partner._beauty_set_tier(tier, "upgrade")
            elif rank == current_rank:
                partner.sudo().beauty_downgrade_due = False
            elif not partner.beauty_downgrade_due:
                partner.sudo().beauty_downgrade_due = today + relativedelta(days=current.grace_days)
            elif partner.beauty_downgrade_due <= today:
                partner._beauty_set_tier(
                    tier,
                    "downgrade",
                    self.env._("Grace period ended on %s", partner.beauty_downgrade_due),
                )
        self.sudo().beauty_tier_reviewed_on = today

    @api.model
    def _cron_beauty_tier_review(self, batch_size=200):
        today = fields.Date.context_today(self)
        first_of_month = today.replace(day=1)
        domain = [
            ("beauty_is_customer", "=", True),
            "|",
            ("beauty_tier_reviewed_on", "=", False),
            ("beauty_tier_reviewed_on", "<", first_of_month),
        ]
        cron = self.env["ir.cron"]
        while True:
            partners = self.search(domain, limit=batch_size, order="id")
            if not partners:
                break
            partners._beauty_tier_review(today)
            remaining = self.search_count(domain)
            if cron._commit_progress(len(partners), remaining=remaining) <= 0 or not remaining:
                break

    # -- actions ---------------------------------------------------------------------------
    def action_beauty_recompute_tier(self):
        self.check_access("write")
        self._beauty_tier_upgrade()
        return True

    def action_beauty_tier_override(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change member tier"),
            "res_model": "beauty.tier.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def action_beauty_card_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "beauty_membership.beauty_card_move_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {}
        return action
