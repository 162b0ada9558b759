from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from .beauty_consent_version import CONSENT_PURPOSES

MANAGER = "beauty_customer_profile.beauty_customer_profile_group_manager"
# Set on the cursor (never in a context, which any RPC call may fill) while the
# withdrawal action writes the fields it owns.
OWNED_WRITE = "beauty_consent_owned_write"


class BeautyConsent(models.Model):
    """A customer's consent for one purpose, on one version of the consent text.

    Consents are never edited into something else: a new text version or a renewal is a new
    record; withdrawal sets the withdrawal date and stops the processing the consent covered.
    """

    _name = "beauty.consent"
    _description = "Customer consent"
    _order = "date_granted desc, id desc"
    _rec_name = "purpose"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        "res.company", string="Store", related="partner_id.company_id", store=True, index=True
    )
    purpose = fields.Selection(CONSENT_PURPOSES, required=True, index=True)
    version_id = fields.Many2one(
        "beauty.consent.version",
        string="Text version",
        required=True,
        ondelete="restrict",
        domain="[('purpose', '=', purpose)]",
        compute="_compute_version_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_granted = fields.Date(
        string="Granted on", required=True, default=fields.Date.context_today
    )
    channel = fields.Selection(
        [
            ("paper", "Signed on paper"),
            ("tablet", "Signed on a tablet"),
            ("online", "Online form"),
            ("verbal", "Verbal, witnessed"),
        ],
        required=True,
        default="tablet",
    )
    signature = fields.Image(max_width=1024, max_height=512, attachment=True)
    recorded_by_id = fields.Many2one(
        "res.users", string="Recorded by", default=lambda self: self.env.user, readonly=True
    )
    date_expiry = fields.Date(
        string="Valid until", compute="_compute_date_expiry", store=True, readonly=False
    )
    date_withdrawn = fields.Date(string="Withdrawn on", readonly=True, copy=False)
    withdrawal_reason = fields.Char(readonly=True, copy=False)
    state = fields.Selection(
        [("valid", "Valid"), ("expired", "Expired"), ("withdrawn", "Withdrawn")],
        compute="_compute_state",
        search="_search_state",
    )

    _dates_coherent = models.Constraint(
        "CHECK(date_withdrawn IS NULL OR date_withdrawn >= date_granted)",
        "A consent cannot be withdrawn before it was granted.",
    )

    @api.depends("purpose")
    def _compute_version_id(self):
        for consent in self:
            if consent.purpose and consent.version_id.purpose != consent.purpose:
                consent.version_id = self.env["beauty.consent.version"]._current_version(
                    consent.purpose
                )

    @api.depends("version_id.validity_months", "date_granted")
    def _compute_date_expiry(self):
        for consent in self:
            months = consent.version_id.validity_months
            consent.date_expiry = (
                consent.date_granted + relativedelta(months=months)
                if months and consent.date_granted
                else False
            )

    @api.depends("date_withdrawn", "date_expiry")
    @api.depends_context("date")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for consent in self:
            if consent.date_withdrawn:
                consent.state = "withdrawn"
            elif consent.date_expiry and consent.date_expiry < today:
                consent.state = "expired"
            else:
                consent.state = "valid"

    def _search_state(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        today = fields.Date.context_today(self)
        by_state = {
            "withdrawn": Domain("date_withdrawn", "!=", False),
            "expired": Domain("date_withdrawn", "=", False) & Domain("date_expiry", "<", today),
            "valid": Domain("date_withdrawn", "=", False)
            & (Domain("date_expiry", "=", False) | Domain("date_expiry", ">=", today)),
        }
        domain = Domain.OR(by_state[state] for state in value if state in by_state)
        return domain if operator == "in" else ~domain

    @api.constrains("date_granted")
    def _check_date_granted(self):
        today = fields.Date.context_today(self)
        for consent in self:
            if consent.date_granted > today:
                raise ValidationError(self.env._("A consent cannot be granted in the future."))

    @api.constrains("purpose", "version_id")
    def _check_version_purpose(self):
        for consent in self:
            if consent.version_id.purpose != consent.purpose:
                raise ValidationError(
                    self.env._("The consent text version does not belong to this purpose.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            manager = self.env.user.has_group(MANAGER)
            for vals in vals_list:
                if vals.get("date_withdrawn") or vals.get("withdrawal_reason"):
                    raise UserError(
                        self.env._(
                            "A consent is withdrawn with its Withdraw button once it is recorded."
                        )
                    )
                if not manager:
                    # Who recorded it is who saves it; its expiry follows its text version.
                    vals["recorded_by_id"] = self.env.uid
                    vals.pop("date_expiry", None)
        return super().create(vals_list)

    def write(self, vals):
        frozen = {"partner_id", "purpose", "version_id", "date_granted", "signature"}
        if frozen & vals.keys() and any(consent.date_withdrawn for consent in self):
            raise UserError(self.env._("A withdrawn consent cannot be changed; record a new one."))
        if self.env.su or self.env.cr.cache.get(OWNED_WRITE):
            return super().write(vals)
        # Append-only: after creation only the withdrawal action and a manager's logged
        # correction change a consent (``readonly`` in the form does not hold over RPC).
        if not self.env.user.has_group(MANAGER):
            raise UserError(
                self.env._(
                    "A recorded consent cannot be changed: withdraw it or record a new one. "
                    "A manager can correct a mistake."
                )
            )
        if vals.keys() & {"partner_id", "recorded_by_id"}:
            raise UserError(
                self.env._(
                    "A consent stays with its customer and with who recorded it; record a new "
                    "one instead."
                )
            )
        result = super().write(vals)
        self._beauty_log_correction(vals)
        return result

    def _beauty_log_correction(self, vals):
        """A manager's correction: an access-log line per consent and a note on the
        customer naming the corrected fields."""
        self.env["beauty.access.log"]._log(self, "write")
        labels = ", ".join(
            self._fields[fname]._description_string(self.env)
            for fname in vals
            if fname in self._fields
        )
        purposes = dict(self._fields["purpose"]._description_selection(self.env))
        for consent in self:
            consent.partner_id.message_post(
                body=self.env._(
                    "Consent corrected by %(user)s: %(purpose)s (%(fields)s).",
                    user=self.env.user.name,
                    purpose=purposes[consent.purpose],
                    fields=labels,
                ),
            )

    def action_withdraw(self, reason=None):
        """Withdraw the consents: processing they covered stops from today."""
        self.check_access("write")
        active = self.filtered(lambda c: not c.date_withdrawn)
        # The one path that writes the withdrawal: marked on the cursor, which no RPC
        # argument or context reaches.
        self.env.cr.cache[OWNED_WRITE] = True
        try:
            active.write(
                {
                    "date_withdrawn": fields.Date.context_today(self),
                    "withdrawal_reason": reason or False,
                }
            )
        finally:
            self.env.cr.cache.pop(OWNED_WRITE, None)
        for consent in active:
            consent.partner_id.message_post(
                body=self.env._(
                    "Consent withdrawn: %(purpose)s.",
                    purpose=dict(self._fields["purpose"]._description_selection(self.env))[
                        consent.purpose
                    ],
                ),
            )
        return True
