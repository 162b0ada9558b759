"""What an addon declares about a model holding a customer's personal data.

Every addon that keeps data about a customer returns one ``PersonalData`` per model from
``res.partner._beauty_personal_data_models()`` (extended with ``super()``). The export and
the anonymisation walk that list only: a model left out of it is neither exported nor
erased, which the whole-database scan test of the anonymisation catches.
"""

from dataclasses import dataclass

DELETE = "delete"  # the records go (sensitive data, important dates)
SCRUB = "scrub"  # the records stay for sales and statistics, their free text is erased


@dataclass(frozen=True)
class PersonalData:
    """One model of personal data and how it is exported and erased.

    - ``key``: the section of the export;
    - ``model``: the model name;
    - ``link``: the field path from a record to the customer (``partner_id``,
      ``order_id.partner_id``, …);
    - ``erase``: ``DELETE`` or ``SCRUB``;
    - ``fields``: the stored text fields a ``SCRUB`` empties (required ones get a neutral
      text), written in SQL: erasure is a storage operation, no business rule of a finished
      record stands in its way and no tracking copies the old value;
    - ``keep_history``: the record's chatter keeps its tracking-only messages (states and
      amounts of cards and orders), anything else written in it goes;
    - ``export``: the model has its section in the customer's export;
    - ``export_fields``: the fields of that section (default: every readable field).

    Whatever the mode, the chatter messages, activities and attachments of the records are
    deleted and the records are no longer followed by the customer.
    """

    key: str
    model: str
    link: str = "partner_id"
    erase: str = SCRUB
    fields: tuple = ()
    keep_history: bool = False
    export: bool = True
    export_fields: tuple = ()


# Point of Sale orders, registered by every addon that brings them to the till (the registry
# keeps each model once). Only names: this addon does not depend on the Point of Sale.
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
