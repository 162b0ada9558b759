"""The personal data the treatment addon keeps about a customer, for her export and erasure
(see ``beauty_customer_profile/tools/personal_data.py``)."""

from odoo import api, models

from odoo.addons.beauty_customer_profile.tools.personal_data import PersonalData

# Point of Sale orders are registered by every addon that brings them to the till.
POS_ORDERS = (
    PersonalData(
        "pos_orders",
        "pos.order",
        fields=(
            "email",
            "mobile",
            "general_customer_note",
            "internal_note",
            "floating_order_name",
        ),
        keep_history=True,
        export_fields=(
            "name",
            "pos_reference",
            "date_order",
            "state",
            "amount_total",
            "email",
            "mobile",
            "general_customer_note",
        ),
    ),
    PersonalData(
        "pos_order_lines",
        "pos.order.line",
        link="order_id.partner_id",
        fields=("customer_note", "note"),
        export_fields=(
            "order_id",
            "full_product_name",
            "qty",
            "price_subtotal_incl",
            "customer_note",
        ),
    ),
)


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
