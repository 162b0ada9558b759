from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import float_compare

from odoo.addons.beauty_customer_profile.models.beauty_encrypted_fields import EncryptedText

MANAGER = "beauty_customer_profile.beauty_customer_profile_group_manager"
# Written only by the record's own steps (start of service, finish, cancel): set on the
# cursor while they write, never in a context, which any RPC call may fill.
OWNED_FIELDS = {"state", "booking_id"}
OWNED_WRITE = "beauty_treatment_record_owned_write"


class BeautyTreatmentRecord(models.Model):
    """护理记录: what was done for the customer in one treatment session.

    Finishing a record takes its consumables out of stock, earns the therapist's commission
    and updates the customer's archive (last visit, next session due). Cancelling a finished
    record reverses all three.
    """

    _name = "beauty.treatment.record"
    _inherit = [
        "mail.thread",
        "beauty.gate.mixin",
        "beauty.encrypted.mixin",
        "beauty.access.logged.mixin",
    ]
    _beauty_gate_link = "record_id"
    _beauty_gate_covered_kw = "records"
    _description = "Treatment record"
    # what her skin did and what she said: reading, searching or grouping them is logged
    _beauty_logged_fields = frozenset(
        {"skin_reaction", "reaction_notes", "feedback", "rating", "rating_value", "notes"}
    )
    _order = "date desc, id desc"

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", string="Store", required=True, default=lambda self: self.env.company
    )
    booking_id = fields.Many2one(
        "beauty.booking", ondelete="restrict", index="btree_not_null", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain=[("beauty_is_customer", "=", True)],
    )
    treatment_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        domain=[("beauty_is_treatment", "=", True)],
    )
    therapist_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        domain=[("beauty_is_therapist", "=", True)],
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    duration = fields.Float(string="Actual duration (hours)")
    state = fields.Selection(
        [("draft", "In progress"), ("done", "Done"), ("cancelled", "Cancelled")],
        required=True,
        default="draft",
        tracking=True,
        readonly=True,
        copy=False,
    )
    line_ids = fields.One2many(
        "beauty.treatment.record.line",
        "record_id",
        string="Products used",
        copy=True,
    )
    skin_reaction = fields.Selection(
        [
            ("none", "None"),
            ("redness", "Slight redness"),
            ("swelling", "Swelling"),
            ("irritation", "Irritation or itching"),
            ("other", "Other"),
        ],
        default="none",
    )
    # What her skin did and what she said are health facts: encrypted at rest, never
    # searched or grouped by.
    reaction_notes = EncryptedText(string="Reaction details")
    feedback = EncryptedText(string="Customer feedback")
    rating = fields.Selection(
        [
            ("0", "Not rated"),
            ("1", "Poor"),
            ("2", "Fair"),
            ("3", "Good"),
            ("4", "Very good"),
            ("5", "Excellent"),
        ],
        string="Customer rating",
    )
    rating_value = fields.Integer(
        string="Rating (1-5)", compute="_compute_rating_value", store=True, aggregator="avg"
    )
    photo_ids = fields.One2many(
        "beauty.skin.photo", "treatment_record_id", string="Before / after photos"
    )
    notes = fields.Text()
    currency_id = fields.Many2one(related="company_id.currency_id")
    price = fields.Monetary(
        string="Service value",
        compute="_compute_price",
        store=True,
        readonly=False,
        precompute=True,
        help="Value of the service, base of percentage commissions.",
    )
    move_ids = fields.One2many(
        "stock.move", "beauty_record_id", string="Stock moves", groups="stock.group_stock_user"
    )
    commission_line_ids = fields.One2many(
        "beauty.commission.line", "record_id", string="Commission", groups=MANAGER
    )
    override_ids = fields.One2many("beauty.gate.override", "record_id", string="Gate overrides")
    booking_override_ids = fields.One2many(
        related="booking_id.override_ids", string="Overrides at booking"
    )

    _duration_positive = models.Constraint(
        "CHECK(duration >= 0)", "A treatment cannot last a negative time."
    )

    # -- computes -------------------------------------------------------------------------
    @api.onchange("treatment_id")
    def _onchange_treatment_id(self):
        if self.state == "draft":
            self.line_ids = [fields.Command.clear()] + [
                fields.Command.create(vals)
                for vals in self._beauty_consumable_values(self.treatment_id)
            ]

    @api.model
    def _beauty_consumable_values(self, treatment):
        """Lines prefilled from the catalogue consumables of ``treatment``."""
        return [
            {
                "product_id": consumable.product_id.id,
                "quantity": consumable.quantity,
                "uom_id": consumable.uom_id.id,
            }
            for consumable in treatment.product_tmpl_id.beauty_consumable_ids
        ]

    @api.depends("rating")
    def _compute_rating_value(self):
        for record in self:
            record.rating_value = int(record.rating or 0)

    @api.depends("treatment_id")
    def _compute_price(self):
        for record in self:
            record.price = record.treatment_id.lst_price

    @api.depends("partner_id", "treatment_id", "booking_id")
    def _compute_gate(self):
        return super()._compute_gate()

    def _beauty_gate_treatments(self):
        self.ensure_one()
        return self.treatment_id

    def _beauty_gate_pending(self):
        return self.filtered(lambda r: r.state == "draft")

    # -- CRUD -----------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("beauty.treatment.record") or "/"
                )
            if "line_ids" not in vals and vals.get("treatment_id"):
                treatment = self.env["product.product"].browse(vals["treatment_id"])
                vals["line_ids"] = [
                    fields.Command.create(line)
                    for line in self._beauty_consumable_values(treatment)
                ]
        records = super().create(vals_list)
        # Start of service: the gate is checked for every new record, walk-ins included.
        records._beauty_check_gate()
        return records

    def write(self, vals):
        if (
            vals.keys() & OWNED_FIELDS
            and not self.env.su
            and not self.env.cr.cache.get(OWNED_WRITE)
        ):
            raise UserError(
                self.env._(
                    "The state and the booking of a treatment record change only through its "
                    "buttons (finish, cancel)."
                )
            )
        if vals.keys() - {"gate_override_reason", "feedback", "rating", "notes", "state"} and any(
            record.state != "draft" for record in self
        ):
            raise UserError(
                self.env._("A finished or cancelled treatment record cannot be changed.")
            )
        result = super().write(vals)
        if vals.keys() & {"partner_id", "treatment_id"}:
            self._beauty_check_gate()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(record.state == "done" for record in self):
            raise UserError(self.env._("Cancel a finished treatment record before deleting it."))

    def _beauty_write_owned(self, vals):
        """Write the fields the record's own steps own, with the user's rights."""
        self.env.cr.cache[OWNED_WRITE] = True
        try:
            return self.write(vals)
        finally:
            self.env.cr.cache.pop(OWNED_WRITE, None)

    # -- actions --------------------------------------------------------------------------
    def action_done(self):
        """Finish the records: stock, commission, archive, booking."""
        if any(record.state != "draft" for record in self):
            raise UserError(self.env._("Only a treatment in progress can be finished."))
        self._beauty_check_gate()
        self._beauty_consume_stock()
        self._beauty_write_owned({"state": "done"})
        self._beauty_create_commission()
        self.partner_id._beauty_update_visits()
        self.booking_id._beauty_update_from_records()
        return True

    def action_cancel(self):
        """Cancel the records; finished ones give back their consumables and commission."""
        if any(record.state == "cancelled" for record in self):
            raise UserError(self.env._("This treatment record is already cancelled."))
        done = self.filtered(lambda r: r.state == "done")
        done._beauty_return_stock()
        # Commission lines are manager data; the therapist cancelling her record removes
        # the lines it earned and nothing else.
        self.env["beauty.commission.line"].sudo().search([("record_id", "in", done.ids)]).unlink()
        self._beauty_write_owned({"state": "cancelled"})
        done.partner_id._beauty_update_visits()
        self.booking_id._beauty_update_from_records()
        return True

    # -- stock ----------------------------------------------------------------------------
    def _beauty_stock_locations(self):
        self.ensure_one()
        warehouse = (
            self.env["stock.warehouse"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)], limit=1)
        )
        if not warehouse:
            raise UserError(
                self.env._(
                    "The store %s has no warehouse to take consumables from.", self.company_id.name
                )
            )
        return warehouse.lot_stock_id, self.env.ref(
            "beauty_treatment.stock_location_treatment_consumption"
        )

    def _beauty_consume_stock(self):
        """Take the products used out of the store's stock as validated moves, with lots.

        Therapists have no stock rights: the moves are created as superuser, for exactly the
        lines of these records, after checking lots and available quantities.
        """
        Quant = self.env["stock.quant"].sudo()
        move_vals = []
        for record in self:
            source, destination = record._beauty_stock_locations()
            for line in record.line_ids.filtered(
                lambda ln: ln.product_id.type == "consu" and ln.quantity
            ):
                product = line.product_id
                if product.tracking != "none" and not line.lot_id:
                    raise UserError(
                        self.env._("Say which lot of %s was used.", product.display_name)
                    )
                quantity = line.uom_id._compute_quantity(line.quantity, product.uom_id)
                if product.is_storable and not record.company_id.beauty_allow_stock_shortage:
                    available = Quant._get_available_quantity(
                        product, source, lot_id=line.lot_id or None, strict=bool(line.lot_id)
                    )
                    if (
                        float_compare(
                            available, quantity, precision_rounding=product.uom_id.rounding
                        )
                        < 0
                    ):
                        raise UserError(
                            self.env._(
                                "Not enough %(product)s%(lot)s in %(location)s: %(needed)s %(uom)s "
                                "needed, %(available)s available. Correct the stock or the "
                                "quantity, or allow consumables below stock in the settings.",
                                product=product.display_name,
                                lot=f" ({line.lot_id.name})" if line.lot_id else "",
                                location=source.display_name,
                                needed=quantity,
                                uom=product.uom_id.name,
                                available=available,
                            )
                        )
                move_vals.append(
                    record._beauty_move_values(line, product, quantity, source, destination)
                )
        if move_vals:
            moves = self.env["stock.move"].sudo().create(move_vals)
            moves._action_done()

    def _beauty_move_values(self, line, product, quantity, source, destination, origin=None):
        self.ensure_one()
        return {
            "origin": self.name,
            "company_id": self.company_id.id,
            "product_id": product.id,
            "product_uom": product.uom_id.id,
            "product_uom_qty": quantity,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "beauty_record_id": self.id,
            "beauty_record_line_id": line.id,
            "origin_returned_move_id": origin.id if origin else False,
            "picked": True,
            "move_line_ids": [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_id": product.uom_id.id,
                        "quantity": quantity,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "lot_id": line.lot_id.id,
                    }
                )
            ],
        }

    def _beauty_return_stock(self):
        """Put the consumables of cancelled records back where they came from."""
        moves = (
            self.env["stock.move"]
            .sudo()
            .search(
                [
                    ("beauty_record_id", "in", self.ids),
                    ("state", "=", "done"),
                    ("origin_returned_move_id", "=", False),
                ]
            )
        )
        returned = (
            self.env["stock.move"]
            .sudo()
            .search([("origin_returned_move_id", "in", moves.ids), ("state", "=", "done")])
        )
        move_vals = []
        for move in moves - returned.origin_returned_move_id:
            record = move.beauty_record_id
            for move_line in move.move_line_ids:
                vals = record._beauty_move_values(
                    move.beauty_record_line_id,
                    move.product_id,
                    move_line.quantity,
                    move.location_dest_id,
                    move.location_id,
                    origin=move,
                )
                vals["move_line_ids"][0][2]["lot_id"] = move_line.lot_id.id
                move_vals.append(vals)
        if move_vals:
            self.env["stock.move"].sudo().create(move_vals)._action_done()

    # -- commission -----------------------------------------------------------------------
    def _beauty_create_commission(self):
        """One commission line per finished record, from the most specific rule.

        Commission rules and lines are manager data: the therapist finishing her record
        earns the line without being able to read it (narrow superuser access).
        """
        Rule = self.env["beauty.commission.rule"].sudo()
        vals_list = []
        for record in self:
            level = record.therapist_id.sudo().beauty_therapist_level
            rule = Rule._find_rule(record.treatment_id, level, record.company_id)
            if not rule:
                continue
            vals_list.append(
                {
                    "record_id": record.id,
                    "employee_id": record.therapist_id.id,
                    "rule_id": rule.id,
                    "company_id": record.company_id.id,
                    "base_amount": record.price,
                    "amount": rule._commission(record.price),
                }
            )
        self.env["beauty.commission.line"].sudo().create(vals_list)

    # -- archive --------------------------------------------------------------------------
    @api.model
    def _beauty_last_done(self, partners):
        """{(partner id, treatment id): date of the last finished record}."""
        groups = self.sudo()._read_group(
            Domain("partner_id", "in", partners.ids) & Domain("state", "=", "done"),
            ["partner_id", "treatment_id"],
            ["date:max"],
        )
        return {(partner.id, treatment.id): date for partner, treatment, date in groups}
