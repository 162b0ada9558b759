from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.beauty_customer_profile.models.beauty_allergen import ALLERGEN_KINDS
from odoo.addons.beauty_customer_profile.models.beauty_consent_version import CONSENT_PURPOSES

THERAPIST = "beauty_customer_profile.beauty_customer_profile_group_therapist"


class BeautyTreatmentRule(models.Model):
    """One safety rule of a treatment, checked by the safety gate.

    - ``consent``: the customer needs a valid consent of this purpose;
    - ``allergen``: customers allergic to an allergen of this kind;
    - ``contraindication``: customers whose health profile lists this contraindication.
    Each rule either blocks the treatment or only warns.
    """

    _name = "beauty.treatment.rule"
    _description = "Treatment safety rule"
    _order = "treatment_tmpl_id, rule_type, id"

    treatment_tmpl_id = fields.Many2one(
        "product.template", string="Treatment", required=True, ondelete="cascade", index=True
    )
    rule_type = fields.Selection(
        [
            ("consent", "Required consent"),
            ("allergen", "Allergen kind"),
            ("contraindication", "Contraindication"),
        ],
        string="Kind",
        required=True,
        default="contraindication",
    )
    consent_purpose = fields.Selection(CONSENT_PURPOSES, string="Consent")
    allergen_kind = fields.Selection(ALLERGEN_KINDS, string="Allergen kind")
    contraindication_id = fields.Many2one("beauty.contraindication", ondelete="restrict")
    action = fields.Selection(
        [("block", "Block"), ("warn", "Warn")], required=True, default="block"
    )

    @api.constrains("rule_type", "consent_purpose", "allergen_kind", "contraindication_id")
    def _check_subject(self):
        for rule in self:
            subject = {
                "consent": rule.consent_purpose,
                "allergen": rule.allergen_kind,
                "contraindication": rule.contraindication_id,
            }[rule.rule_type]
            if not subject:
                raise ValidationError(
                    self.env._(
                        "Say which consent, allergen kind or contraindication the rule is about."
                    )
                )

    # -- the safety gate -----------------------------------------------------------------
    @api.model
    def _gate_issues(self, pairs):
        """Evaluate the safety gate for several (customer, treatments) pairs at once.

        ``pairs`` is a list of (res.partner record, product.product recordset). Returns, for
        each pair in order, a list of issues ``(action, key, message)`` where ``action`` is
        'block' or 'warn', ``key`` a stable identifier of the conflict and ``message`` a
        text that names the conflict without revealing other health data.

        The customer's allergies and contraindications are read as superuser: a front desk
        or therapist user must see the verdict even though she may not read every medical
        field. Only the verdict leaves this method, never the health records.
        """
        partners = self.env["res.partner"].union(*(partner for partner, _products in pairs))
        products = self.env["product.product"].union(*(products for _partner, products in pairs))
        rules = products.product_tmpl_id.beauty_rule_ids
        if not partners or not rules:
            return [[] for _pair in pairs]
        # Narrow sudo: read allergen kinds and contraindications of these customers only.
        allergy_kinds = defaultdict(set)
        if "allergen" in rules.mapped("rule_type"):
            for partner, kind in (
                self.env["beauty.allergy"]
                .sudo()
                ._read_group([("partner_id", "in", partners.ids)], ["partner_id", "allergen_kind"])
            ):
                allergy_kinds[partner.id].add(kind)
        contraindications = defaultdict(set)
        if "contraindication" in rules.mapped("rule_type"):
            profiles = (
                self.env["beauty.health.profile"]
                .sudo()
                .search_fetch(
                    [("partner_id", "in", partners.ids)], ["partner_id", "contraindication_ids"]
                )
            )
            for profile in profiles:
                contraindications[profile.partner_id.id] |= set(profile.contraindication_ids.ids)
        consented = {
            purpose: set(partners._beauty_partners_with_consent(purpose).ids)
            for purpose in set(
                rules.filtered(lambda r: r.rule_type == "consent").mapped("consent_purpose")
            )
        }
        # Therapists and clinicians may read allergies and contraindications: their verdict
        # names them. Other staff get a verdict without health details (a group, never a
        # context key, decides).
        may_read_health = self.env.user.has_group(THERAPIST)
        kinds = dict(self._fields["allergen_kind"]._description_selection(self.env))
        purposes = dict(self._fields["consent_purpose"]._description_selection(self.env))
        result = []
        for partner, treatments in pairs:
            issues = []
            for product in treatments:
                for rule in product.product_tmpl_id.beauty_rule_ids:
                    message = None
                    if (
                        rule.rule_type == "consent"
                        and partner.id not in consented[rule.consent_purpose]
                    ):
                        message = self.env._(
                            "missing or expired consent: %(purpose)s (%(treatment)s)",
                            purpose=purposes[rule.consent_purpose],
                            treatment=product.display_name,
                        )
                    elif (
                        rule.rule_type == "allergen"
                        and rule.allergen_kind in allergy_kinds[partner.id]
                    ):
                        message = self.env._(
                            "allergy to a %(kind)s in this treatment (%(treatment)s)",
                            kind=kinds[rule.allergen_kind].lower(),
                            treatment=product.display_name,
                        )
                    elif (
                        rule.rule_type == "contraindication"
                        and rule.contraindication_id.id in contraindications[partner.id]
                    ):
                        message = self.env._(
                            "contraindication: %(name)s (%(treatment)s)",
                            name=rule.contraindication_id.name,
                            treatment=product.display_name,
                        )
                    if message and rule.rule_type != "consent" and not may_read_health:
                        # The front desk learns that there is a health reason, not which.
                        message = self.env._(
                            "a health contraindication (%(treatment)s): ask a therapist or "
                            "a clinician",
                            treatment=product.display_name,
                        )
                    if message:
                        issues.append((rule.action, f"{rule.id}:{product.id}", message))
            result.append(issues)
        return result

    @api.model
    def _gate_key(self, issues):
        """Identifier of the blocking conflicts: an override covers exactly these."""
        return "|".join(sorted(key for action, key, _message in issues if action == "block"))

    @api.model
    def _gate_verdict(self, issues):
        blocks = [message for action, _key, message in issues if action == "block"]
        warns = [message for action, _key, message in issues if action == "warn"]
        parts = []
        if blocks:
            parts.append(self.env._("Blocked: %s", "; ".join(blocks)))
        if warns:
            parts.append(self.env._("Warning: %s", "; ".join(warns)))
        return "\n".join(parts) or self.env._("Clear")
