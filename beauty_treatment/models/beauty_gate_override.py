from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

CLINICIAN = "beauty_customer_profile.beauty_customer_profile_group_clinician"


class BeautyGateOverride(models.Model):
    """A clinician's decision to let a treatment go ahead despite the safety gate.

    Log entries are written once and never changed: they say who decided, when, why, and
    which verdict was overridden.
    """

    _name = "beauty.gate.override"
    _description = "Safety gate override"
    _order = "create_date desc, id desc"

    booking_id = fields.Many2one("beauty.booking", ondelete="cascade", index="btree_not_null")
    record_id = fields.Many2one(
        "beauty.treatment.record",
        string="Treatment record",
        ondelete="cascade",
        index="btree_not_null",
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    company_id = fields.Many2one(
        "res.company", string="Store", required=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Clinician",
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
    )
    reason = fields.Text(required=True, readonly=True)
    verdict = fields.Text(string="Overridden verdict", readonly=True)
    gate_key = fields.Char(readonly=True, required=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)

    # -- helpers shared by bookings and treatment records ----------------------------------
    @api.model
    def _gate_issues_of(self, records):
        """Gate issues of bookings or treatment records, in the order of ``records``."""
        return self.env["beauty.treatment.rule"]._gate_issues(
            [(record.partner_id, record._beauty_gate_treatments()) for record in records]
        )

    @api.model
    def _covered_keys(self, bookings=None, records=None):
        """{booking or record id: conflict keys a clinician overrode for it}.

        Read as superuser: whoever sees the verdict must learn that a conflict was
        overridden, even without the right to read the clinician's reasoning. A record is
        covered by the overrides logged on itself and on its booking.
        """
        bookings = bookings or self.env["beauty.booking"]
        records = records or self.env["beauty.treatment.record"]
        # Forms being edited hold new records: their saved counterpart carries the log.
        booking_ids = [b.id for b in (bookings._origin | records.booking_id._origin) if b.id]
        record_ids = [r.id for r in records._origin if r.id]
        by_booking, by_record = defaultdict(set), defaultdict(set)
        if booking_ids or record_ids:
            domain = Domain("booking_id", "in", booking_ids) | Domain("record_id", "in", record_ids)
            for override in self.sudo().search_fetch(
                domain, ["booking_id", "record_id", "gate_key"]
            ):
                keys = set(override.gate_key.split("|"))
                if override.record_id:
                    by_record[override.record_id.id] |= keys
                else:
                    by_booking[override.booking_id.id] |= keys
        if bookings:
            return {booking.id: by_booking[booking._origin.id] for booking in bookings}
        return {
            record.id: by_record[record._origin.id] | by_booking[record.booking_id._origin.id]
            for record in records
        }

    @api.model
    def _gate_outcome(self, issues, covered):
        """(verdict text, state) of the gate given the overridden conflict keys."""
        Rule = self.env["beauty.treatment.rule"]
        verdict = Rule._gate_verdict(issues)
        blocking = {key for action, key, _message in issues if action == "block"}
        if blocking - covered:
            return verdict, "blocked"
        if blocking:
            return self.env._("Overridden by a clinician. %s", verdict), "overridden"
        return verdict, ("warn" if issues else "clear")

    @api.model
    def _log_overrides(self, records, link_field):
        """Log a clinician's override of the current blocking verdict of ``records``."""
        to_log = records.filtered("gate_override_reason")
        if not to_log:
            return
        # A group check, never a context key: only clinicians may let a blocked treatment go.
        if not self.env.user.has_group(CLINICIAN):
            raise AccessError(self.env._("Only a clinician can override the safety gate."))
        Rule = self.env["beauty.treatment.rule"]
        vals_list = []
        for record, issues in zip(to_log, self._gate_issues_of(to_log), strict=True):
            key = Rule._gate_key(issues)
            if key:
                vals_list.append(
                    {
                        link_field: record.id,
                        "partner_id": record.partner_id.id,
                        "company_id": record.company_id.id,
                        "reason": record.gate_override_reason,
                        "verdict": Rule._gate_verdict(issues),
                        "gate_key": key,
                    }
                )
        self.create(vals_list)
