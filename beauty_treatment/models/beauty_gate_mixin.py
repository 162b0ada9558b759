from odoo import fields, models
from odoo.exceptions import ValidationError

CLINICIAN = "beauty_customer_profile.beauty_customer_profile_group_clinician"


class BeautyGateMixin(models.AbstractModel):
    """The safety gate on what a customer is about to receive (bookings and treatment
    records): the verdict, its state, and a clinician's logged override.

    A model using it sets ``_beauty_gate_link`` (its field on beauty.gate.override) and
    ``_beauty_gate_covered_kw`` (the keyword of ``_covered_keys`` for it), defines
    ``override_ids``, ``_beauty_gate_treatments`` and ``_beauty_gate_pending``, and declares
    the dependencies of ``_compute_gate``.
    """

    _name = "beauty.gate.mixin"
    _description = "Treatment safety gate"
    _beauty_gate_link = None
    _beauty_gate_covered_kw = None

    gate_verdict = fields.Text(string="Safety gate", compute="_compute_gate")
    gate_state = fields.Selection(
        [
            ("clear", "Clear"),
            ("warn", "Warning"),
            ("blocked", "Blocked"),
            ("overridden", "Overridden"),
        ],
        compute="_compute_gate",
    )
    gate_override_reason = fields.Text(
        string="Override reason",
        compute="_compute_gate_override_reason",
        inverse="_inverse_gate_override_reason",
        groups=CLINICIAN,
        help="A clinician who lets the treatment go ahead despite the safety gate writes why. "
        "The decision is logged.",
    )

    def _compute_gate(self):
        Override = self.env["beauty.gate.override"]
        issues_list = Override._gate_issues_of(self)
        covered = Override._covered_keys(**{self._beauty_gate_covered_kw: self})
        for record, issues in zip(self, issues_list, strict=True):
            record.gate_verdict, record.gate_state = Override._gate_outcome(
                issues, covered.get(record.id, set())
            )

    def _compute_gate_override_reason(self):
        for record in self:
            record.gate_override_reason = record.override_ids[:1].reason

    def _inverse_gate_override_reason(self):
        self.env["beauty.gate.override"]._log_overrides(self, self._beauty_gate_link)

    def _beauty_gate_treatments(self):
        raise NotImplementedError()

    def _beauty_gate_pending(self):
        """The records of ``self`` on which the gate still decides."""
        raise NotImplementedError()

    def _beauty_check_gate(self):
        """Refuse to go on while the safety gate blocks and no clinician overrode it."""
        self.invalidate_recordset(["gate_verdict", "gate_state"])
        for record in self._beauty_gate_pending():
            if record.gate_state == "blocked":
                raise ValidationError(
                    self.env._(
                        "%(customer)s cannot have this treatment. %(verdict)s\n"
                        "A clinician may override with a reason.",
                        customer=record.partner_id.display_name,
                        verdict=record.gate_verdict,
                    )
                )
