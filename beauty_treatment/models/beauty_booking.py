import itertools
import re
from datetime import timedelta

import psycopg2.errors
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_datetime

THERAPIST = "beauty_customer_profile.beauty_customer_profile_group_therapist"
# Bookings in these states do not hold their slot.
FREE_STATES = ("cancelled", "no_show")
# "... conflicts with existing key (therapist_id, tsrange(...))=(7, ["2026-03-02 10:00:00","...")).
EXISTING_KEY = re.compile(
    r'existing key \(.*\)=\((?P<id>\d+), \["?(?P<start>[0-9-]+ [0-9:.]+)"?,"?(?P<stop>[0-9-]+ [0-9:.]+)"?\)\)'
)
SLOT_CONSTRAINTS = {
    "beauty_booking_therapist_no_overlap": "therapist_id",
    "beauty_booking_room_no_overlap": "room_id",
}


class BeautyBooking(models.Model):
    """A customer's appointment for one or more treatments with a therapist in a room.

    A therapist or a room is never booked twice for overlapping times. The rule is enforced
    by PostgreSQL exclusion constraints (see ``init``), so it also holds when two users save
    at the same moment; the database error is turned into a message naming the conflict.
    """

    _name = "beauty.booking"
    _inherit = ["mail.thread", "mail.activity.mixin", "beauty.gate.mixin"]
    _beauty_gate_link = "booking_id"
    _beauty_gate_covered_kw = "bookings"
    _description = "Booking"
    _order = "start desc, id desc"

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", string="Store", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain=[("beauty_is_customer", "=", True)],
    )
    treatment_ids = fields.Many2many(
        "product.product",
        string="Treatments",
        required=True,
        domain=[("beauty_is_treatment", "=", True)],
    )
    therapist_id = fields.Many2one(
        "hr.employee",
        index=True,
        tracking=True,
        domain="[('beauty_is_therapist', '=', True), ('company_id', 'in', [company_id, False])]",
    )
    room_id = fields.Many2one(
        "resource.resource",
        index=True,
        tracking=True,
        domain="[('resource_type', '=', 'material'), ('beauty_kind', '!=', False)]",
    )
    start = fields.Datetime(required=True, tracking=True, index=True)
    duration = fields.Float(
        string="Duration (hours)",
        compute="_compute_duration",
        store=True,
        readonly=False,
        precompute=True,
    )
    stop = fields.Datetime(
        string="End",
        compute="_compute_stop",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    state = fields.Selection(
        [
            ("booked", "Booked"),
            ("confirmed", "Confirmed"),
            ("arrived", "Arrived"),
            ("in_service", "In service"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
            ("no_show", "No-show"),
        ],
        required=True,
        default="booked",
        tracking=True,
        index=True,
    )
    notes = fields.Text()
    record_ids = fields.One2many(
        "beauty.treatment.record", "booking_id", string="Treatment records", groups=THERAPIST
    )
    override_ids = fields.One2many(
        "beauty.gate.override", "booking_id", string="Gate overrides", groups=THERAPIST
    )

    _stop_after_start = models.Constraint(
        "CHECK(stop > start)", "A booking must end after it starts."
    )

    def init(self):
        """Exclusion constraints: no two holding bookings overlap for a therapist or a room.

        '[)' ranges let a booking start exactly when the previous one ends. btree_gist lets
        the GiST index compare the integer ids with '='; it ships with PostgreSQL and is a
        trusted extension, so the database owner may create it.
        """
        cr = self.env.cr
        cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        for name, column in SLOT_CONSTRAINTS.items():
            cr.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", [name])
            if cr.fetchone():
                continue
            cr.execute(
                SQL(
                    "ALTER TABLE %s ADD CONSTRAINT %s EXCLUDE USING gist "
                    "(%s WITH =, tsrange(start, stop, '[)') WITH &&) "
                    "WHERE (%s IS NOT NULL AND state NOT IN %s)",
                    SQL.identifier(self._table),
                    SQL.identifier(name),
                    SQL.identifier(column),
                    SQL.identifier(column),
                    FREE_STATES,
                )
            )

    # -- computes -------------------------------------------------------------------------
    @api.depends("treatment_ids.beauty_duration")
    def _compute_duration(self):
        for booking in self:
            booking.duration = sum(booking.treatment_ids.mapped("beauty_duration")) or 1.0

    @api.depends("start", "duration")
    def _compute_stop(self):
        for booking in self:
            booking.stop = booking.start and booking.start + timedelta(
                hours=booking.duration or 1.0
            )

    @api.depends("partner_id", "treatment_ids", "state")
    def _compute_gate(self):
        return super()._compute_gate()

    def _beauty_gate_treatments(self):
        self.ensure_one()
        return self.treatment_ids

    def _beauty_gate_pending(self):
        return self.filtered(lambda b: b.state not in FREE_STATES + ("done",))

    # -- constraints ----------------------------------------------------------------------
    @api.constrains("start", "stop", "therapist_id", "room_id", "state")
    def _check_working_hours(self):
        """The therapist and the room must both be working for the whole booking."""
        bookings = self.filtered(lambda b: b.state not in FREE_STATES + ("done",))
        if not bookings:
            return
        # Read as superuser: working schedules of employees are HR data, the booking only
        # needs to know whether the slot is inside them.
        resources = (bookings.therapist_id.sudo().resource_id | bookings.room_id.sudo()).filtered(
            "calendar_id"
        )
        start = pytz.utc.localize(min(bookings.mapped("start")))
        stop = pytz.utc.localize(max(bookings.mapped("stop")))
        intervals = {}
        for calendar in resources.calendar_id:
            intervals.update(
                calendar._work_intervals_batch(
                    start,
                    stop,
                    resources=resources.filtered(lambda r, c=calendar: r.calendar_id == c),
                )
            )
        for booking in bookings:
            b_start = pytz.utc.localize(booking.start)
            b_stop = pytz.utc.localize(booking.stop)
            for resource in booking.therapist_id.sudo().resource_id | booking.room_id.sudo():
                if resource.id not in intervals:
                    continue
                if not any(s <= b_start and b_stop <= e for s, e, _r in intervals[resource.id]):
                    raise ValidationError(
                        self.env._(
                            "%(resource)s does not work from %(start)s to %(stop)s. Pick a "
                            "time inside the working hours.",
                            resource=resource.name,
                            start=format_datetime(self.env, booking.start, dt_format="short"),
                            stop=format_datetime(self.env, booking.stop, dt_format="short"),
                        )
                    )

    @api.constrains("treatment_ids")
    def _check_treatments(self):
        for booking in self:
            if not booking.treatment_ids:
                raise ValidationError(self.env._("A booking needs at least one treatment."))
            if not all(booking.treatment_ids.mapped("beauty_is_treatment")):
                raise ValidationError(self.env._("Only salon treatments can be booked."))

    # -- CRUD -----------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("beauty.booking") or "/"
        self._beauty_check_slots([self._beauty_slot(self.new(vals)) for vals in vals_list])
        try:
            with self.env.cr.savepoint():
                bookings = super().create(vals_list)
        except psycopg2.errors.ExclusionViolation as error:
            # Another transaction took the slot between our check and our insert.
            raise ValidationError(self._beauty_slot_taken_message(error)) from None
        bookings._beauty_check_gate()
        return bookings

    def write(self, vals):
        slot_fields = {"start", "stop", "duration", "therapist_id", "room_id", "treatment_ids"}
        if vals.keys() & slot_fields and any(
            b.state in ("done", "cancelled", "no_show") for b in self
        ):
            raise UserError(
                self.env._("A finished, cancelled or missed booking cannot be rescheduled.")
            )
        try:
            with self.env.cr.savepoint():
                result = super().write(vals)
                if "stop" in vals and not vals.keys() & {"start", "duration"}:
                    # Resized in the calendar: the new length is kept when moved later.
                    for booking in self:
                        booking.duration = (booking.stop - booking.start).total_seconds() / 3600
                if vals.keys() & (slot_fields | {"state"}):
                    # Checked on the new values, before they reach the database.
                    self._beauty_check_slots([self._beauty_slot(b) for b in self])
        except psycopg2.errors.ExclusionViolation as error:
            raise ValidationError(self._beauty_slot_taken_message(error)) from None
        # The gate is checked at booking and at the start of the service.
        if vals.keys() & {"partner_id", "treatment_ids", "gate_override_reason"} or vals.get(
            "state"
        ) in ("booked", "in_service"):
            self._beauty_check_gate()
        return result

    @api.model
    def _beauty_slot(self, booking):
        """The slot a booking (or a new, unsaved one) holds, as plain values."""
        return {
            "id": booking._origin.id or False,
            "name": booking.name,
            "therapist_id": booking.therapist_id._origin.id or False,
            "room_id": booking.room_id._origin.id or False,
            "start": booking.start,
            "stop": booking.stop,
            "holds": bool(booking.start and booking.stop) and booking.state not in FREE_STATES,
        }

    @api.model
    def _beauty_check_slots(self, slots):
        """Refuse slots that overlap a saved booking or each other, naming the conflict.

        The database's exclusion constraints are the guarantee; this check gives the
        message in the ordinary case without waiting for the database error. It reads the
        table directly (no flush), so it sees the saved bookings, not pending changes.
        """
        slots = [slot for slot in slots if slot["holds"]]
        if not slots:
            return
        # Within the batch itself.
        for column in SLOT_CONSTRAINTS.values():
            by_key = {}
            for slot in slots:
                if slot[column]:
                    by_key.setdefault(slot[column], []).append(slot)
            for group in by_key.values():
                group.sort(key=lambda s: s["start"])
                for before, after in itertools.pairwise(group):
                    if after["start"] < before["stop"]:
                        raise ValidationError(self._beauty_conflict_message(column, after, before))
        # Against the saved bookings, in one query.
        values = SQL(", ").join(
            SQL(
                "(%s, %s::int, %s::int, %s::timestamp, %s::timestamp)",
                index,
                slot["therapist_id"] or None,
                slot["room_id"] or None,
                slot["start"],
                slot["stop"],
            )
            for index, slot in enumerate(slots)
        )
        own_ids = [slot["id"] for slot in slots if slot["id"]] or [0]
        self.env.cr.execute(
            SQL(
                """
                SELECT v.idx, b.id, b.therapist_id = v.therapist AS same_therapist
                  FROM (VALUES %s) AS v(idx, therapist, room, start, stop)
                  JOIN beauty_booking b
                    ON (b.therapist_id = v.therapist OR b.room_id = v.room)
                   AND b.start < v.stop AND b.stop > v.start
                   AND b.state NOT IN %s
                   AND b.id NOT IN %s
                 ORDER BY v.idx, b.start
                 LIMIT 1
                """,
                values,
                FREE_STATES,
                tuple(own_ids),
            )
        )
        row = self.env.cr.fetchone()
        if row:
            index, other_id, same_therapist = row
            other = self.sudo().browse(other_id)
            column = "therapist_id" if same_therapist else "room_id"
            raise ValidationError(self._beauty_conflict_message(column, slots[index], other))

    @api.model
    def _beauty_conflict_message(self, column, slot, other):
        """Name who is double-booked and by which booking. ``other`` is a booking or a slot."""
        Model = (
            self.env["hr.employee"] if column == "therapist_id" else self.env["resource.resource"]
        )
        # Superuser for the name only: the other booking may be in a store the user cannot read.
        who = Model.sudo().browse(slot[column]).name
        return self.env._(
            "%(who)s is already booked from %(start)s to %(stop)s (%(booking)s). "
            "Pick another time, therapist or room.",
            who=who,
            start=format_datetime(self.env, other["start"], dt_format="short"),
            stop=format_datetime(self.env, other["stop"], dt_format="short"),
            booking=other["name"],
        )

    @api.model
    def _beauty_slot_taken_message(self, error):
        """Message for a slot another transaction has just taken (exclusion violation).

        That booking is not visible to this transaction's snapshot: who and when are read
        from the key PostgreSQL reports ("conflicts with existing key (...)=(id, [start,stop)).").
        """
        column = SLOT_CONSTRAINTS.get(error.diag.constraint_name)
        match = EXISTING_KEY.search(error.diag.message_detail or "")
        if column and match:
            Model = (
                self.env["hr.employee"]
                if column == "therapist_id"
                else self.env["resource.resource"]
            )
            start, stop = (
                fields.Datetime.to_datetime(match.group(name)[:19]) for name in ("start", "stop")
            )
            return self.env._(
                "%(who)s has just been booked by someone else from %(start)s to %(stop)s. "
                "Reload the calendar and pick another slot.",
                # Superuser for the name only, as in the ordinary conflict message.
                who=Model.sudo().browse(int(match.group("id"))).name,
                start=format_datetime(self.env, start, dt_format="short"),
                stop=format_datetime(self.env, stop, dt_format="short"),
            )
        return self.env._(
            "Someone else has just booked this therapist or room at that time. Reload the "
            "calendar and pick another slot."
        )

    # -- actions --------------------------------------------------------------------------
    def _beauty_move(self, allowed, new_state):
        for booking in self:
            if booking.state not in allowed:
                states = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "Booking %(booking)s is %(state)s and cannot become %(new)s.",
                        booking=booking.name,
                        state=states[booking.state],
                        new=states[new_state],
                    )
                )
        self.write({"state": new_state})
        return True

    def action_confirm(self):
        return self._beauty_move(("booked",), "confirmed")

    def action_arrive(self):
        return self._beauty_move(("booked", "confirmed"), "arrived")

    def action_no_show(self):
        return self._beauty_move(("booked", "confirmed"), "no_show")

    def action_cancel(self):
        # Open records are looked up as superuser (the front desk cannot read records), but
        # cancelled with the user's own rights: only staff who record treatments may.
        records = (
            self.env["beauty.treatment.record"]
            .sudo()
            .search([("booking_id", "in", self.ids), ("state", "=", "draft")])
        )
        result = self._beauty_move(("booked", "confirmed", "arrived", "in_service"), "cancelled")
        if records:
            records.sudo(False).action_cancel()
        return result

    def action_reset(self):
        return self._beauty_move(("cancelled", "no_show"), "booked")

    def action_start(self):
        """Start of service: the gate is checked again, one treatment record per treatment
        is opened, prefilled with the catalogue consumables."""
        self._beauty_move(("booked", "confirmed", "arrived"), "in_service")
        Record = self.env["beauty.treatment.record"]
        vals_list = []
        for booking in self:
            for treatment in booking.treatment_ids - booking.record_ids.treatment_id:
                vals_list.append(booking._beauty_record_values(treatment))
        Record.create(vals_list)
        return True

    def _beauty_record_values(self, treatment):
        self.ensure_one()
        return {
            "booking_id": self.id,
            "partner_id": self.partner_id.id,
            "treatment_id": treatment.id,
            "therapist_id": self.therapist_id.id,
            "company_id": self.company_id.id,
            "date": self.start,
            "duration": treatment.beauty_duration,
        }

    def action_open_records(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "beauty_treatment.beauty_treatment_record_action"
        )
        action["domain"] = [("booking_id", "=", self.id)]
        action["context"] = {"default_booking_id": self.id}
        return action

    def _beauty_update_from_records(self):
        """A booking in service is done when every one of its records is finished."""
        for booking in self.filtered(lambda b: b.state == "in_service"):
            records = booking.record_ids
            if records and all(r.state in ("done", "cancelled") for r in records):
                booking.state = "done" if "done" in records.mapped("state") else "cancelled"
