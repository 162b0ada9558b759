"""The personal data the membership addon keeps about a customer, for her export and
erasure (see ``beauty_customer_profile/tools/personal_data.py``)."""

from odoo import api, models

from odoo.addons.beauty_customer_profile.tools.personal_data import POS_ORDERS, PersonalData


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _beauty_personal_data_models(self):
        return [
            *super()._beauty_personal_data_models(),
            PersonalData(
                "loyalty_cards",
                "loyalty.card",
                keep_history=True,
                export_fields=("code", "program_id", "points", "expiration_date"),
            ),
            PersonalData(
                "loyalty_history",
                "loyalty.history",
                link="card_id.partner_id",
                export_fields=("card_id", "create_date", "description", "issued", "used"),
            ),
            PersonalData("balance_moves", "beauty.card.move", fields=("note",)),
            PersonalData("tier_history", "beauty.tier.history", fields=("note",)),
            *POS_ORDERS,
        ]
