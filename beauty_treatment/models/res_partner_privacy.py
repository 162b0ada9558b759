"""The personal data the treatment addon keeps about a customer, for her export and erasure
(see ``beauty_customer_profile/tools/personal_data.py``)."""

from odoo import api, models

from odoo.addons.beauty_customer_profile.tools.personal_data import POS_ORDERS, PersonalData


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _beauty_personal_data_models(self):
        return [
            *super()._beauty_personal_data_models(),
            PersonalData("bookings", "beauty.booking", fields=("notes",)),
            PersonalData(
                "treatment_records",
                "beauty.treatment.record",
                fields=("reaction_notes", "feedback", "notes"),
            ),
            PersonalData(
                "treatment_record_lines",
                "beauty.treatment.record.line",
                link="record_id.partner_id",
                export_fields=("record_id", "product_id", "lot_id", "quantity", "uom_id"),
            ),
            PersonalData("gate_overrides", "beauty.gate.override", fields=("reason", "verdict")),
            PersonalData("sessions_due", "beauty.care.due"),
            PersonalData("package_cards", "beauty.package.card", keep_history=True),
            PersonalData(
                "package_card_lines",
                "beauty.package.card.line",
                link="card_id.partner_id",
                export_fields=(
                    "card_id",
                    "product_id",
                    "total",
                    "used",
                    "remaining",
                    "unit_value",
                ),
            ),
            PersonalData(
                "package_card_moves",
                "beauty.package.card.move",
                link="card_id.partner_id",
                fields=("reason",),
            ),
            *POS_ORDERS,
        ]

    @api.model
    def _beauty_masked_fields(self):
        # an order copies the customer's number at the till
        return {**super()._beauty_masked_fields(), "pos.order": ("mobile",)}
