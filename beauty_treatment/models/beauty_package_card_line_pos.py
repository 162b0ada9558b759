from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

POS_USER = "point_of_sale.group_pos_user"
POS_CARD_STATES = ("active", "frozen", "expired", "used_up")


class BeautyPackageCardLine(models.Model):
    """What a till knows of a package card: the sessions left per line, the card's number,
    state and expiry. Nothing else of the card or of its owner goes to the POS."""

    _name = "beauty.package.card.line"
    _inherit = ["beauty.package.card.line", "pos.load.mixin"]

    card_number = fields.Char(related="card_id.number", string="Card number")
    card_state = fields.Selection(related="card_id.state", string="Card state")
    card_expiry_date = fields.Date(related="card_id.expiry_date", string="Card expiry")
    product_name = fields.Char(related="product_id.name", string="Treatment name")

    @api.model
    def _load_pos_data_domain(self, data, config):
        # The till opens with the customers Point of Sale loads (a limited set), and with
        # their cards only: not every card of the store. Another customer's cards come when
        # the cashier chooses her (get_beauty_pos_cards).
        if "res.partner" in data:
            partner_ids = [row["id"] for row in data["res.partner"]]
        else:
            partner_ids = [row[0] for row in config.get_limited_partners_loading()]
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        owners = partners | partners.commercial_partner_id
        return (
            self._beauty_pos_domain(config)
            & Domain("card_id.partner_id", "in", owners.ids)
            & Domain("card_id.state", "=", "active")
            & Domain("remaining", ">", 0)
        )

    @api.model
    def _load_pos_data_fields(self, config):
        return [
            "id",
            "partner_id",
            "product_id",
            "remaining",
            "total",
            "unit_value",
            "card_number",
            "card_state",
            "card_expiry_date",
            "product_name",
        ]

    @api.model
    def _server_date_to_domain(self, domain):
        # Redemptions change ``remaining`` in SQL without touching write_date: a till that
        # reloads always takes the lines again, never only the "changed" ones.
        return domain

    @api.model
    def _load_pos_data_search_read(self, data, config):
        # A cashier needs no right on the card ledger to see what is left on a card: the
        # fields below are searched and read with superuser rights, for POS users only.
        if not self.env.user.has_group(POS_USER):
            return []
        return super(BeautyPackageCardLine, self.sudo())._load_pos_data_search_read(data, config)

    @api.model
    def _load_pos_data_read(self, records, config):
        if not self.env.user.has_group(POS_USER):
            return []
        return records.sudo().read(self._load_pos_data_fields(config), load=False)

    def _unrelevant_records(self, config):
        lines = self.sudo()
        return lines.filtered(
            lambda line: line.card_id.state != "active" or line.remaining <= 0
        ).ids

    @api.model
    def _beauty_pos_domain(self, config):
        return Domain("company_id", "in", [config.company_id.id, False])

    @api.model
    def get_beauty_pos_cards(self, partner_id, config_id):
        """The card lines of a customer (and of her company) as a till loads them when the
        customer is chosen: up to date even when another till redeemed meanwhile."""
        if not self.env.user.has_group(POS_USER):
            raise AccessError(self.env._("Only Point of Sale users may look up package cards."))
        config = self.env["pos.config"].browse(config_id)
        config.check_access("read")
        partner = self.env["res.partner"].browse(partner_id).exists()
        if not partner:
            return {self._name: []}
        # The cashier must be allowed to see this customer (her store) before her cards are
        # read as superuser.
        partner.check_access("read")
        owners = partner | partner.commercial_partner_id
        lines = self.sudo().search(
            self._beauty_pos_domain(config)
            & Domain("card_id.partner_id", "in", owners.ids)
            & Domain("card_id.state", "in", POS_CARD_STATES)
        )
        return {self._name: self._load_pos_data_read(lines, config)}
