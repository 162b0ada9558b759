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
        text for the current user.

        The gate runs for the user: a customer she may not read (another store's) gets no
        verdict but a refusal, and nothing of her health is read. Therapists and clinicians
        read allergies and contraindications with their own rights (their access rules and
        stores apply) and get one message per treatment and rule. Staff below them get,
        from a narrow superuser read, one verdict per booking without the treatment or the
        rule. Every health record consulted for a verdict is written to the access log.
        """
        result = [[] for _pair in pairs]
        partners = self.env["res.partner"].union(*(partner for partner, _products in pairs))
        products = self.env["product.product"].union(*(products for _partner, products in pairs))
        # The rules themselves are read as superuser: who may read them is decided by their
        # own access rights (therapists and up); the gate applies them for everyone.
        rules = products.sudo().product_tmpl_id.beauty_rule_ids
        if not partners or not rules:
            return result
        visible = partners if self.env.su else partners._filtered_access("read")
        # A group, never a context key, decides how much of the verdict the user learns.
        detailed = self.env.su or self.env.user.has_group(THERAPIST)
        allergy_kinds, contraindications = self._gate_health_facts(
            visible, set(rules.mapped("rule_type")), detailed
        )
        consented = {
            purpose: set(visible._beauty_partners_with_consent(purpose).ids)
            for purpose in set(
                rules.filtered(lambda r: r.rule_type == "consent").mapped("consent_purpose")
            )
        }
        for index, (partner, treatments) in enumerate(pairs):
            issues = result[index]
            if partner and partner not in visible:
                issues.append(
                    (
                        "block",
                        "hidden",
                        self.env._(
                            "this customer is not in your stores: the safety gate cannot be checked"
                        ),
                    )
                )
                continue
            for product in treatments:
                for rule in product.sudo().product_tmpl_id.beauty_rule_ids:
                    if rule.rule_type == "consent":
                        applies = partner.id not in consented[rule.consent_purpose]
                    elif rule.rule_type == "allergen":
                        applies = rule.allergen_kind in allergy_kinds[partner.id]
                    else:
                        applies = rule.contraindication_id.id in contraindications[partner.id]
                    if applies:
                        issues.append(
                            (
                                rule.action,
                                f"{rule.id}:{product.id}",
                                rule._gate_message(product, detailed),
                            )
                        )
            if not detailed and any(action == "block" for action, _key, _msg in issues):
                # One verdict: a blocked booking does not also say which rules only warn.
                issues[:] = [issue for issue in issues if issue[0] == "block"]
        return result

    @api.model
    def _gate_health_facts(self, partners, rule_types, detailed):
        """({partner id: allergen kinds}, {partner id: contraindication ids}) of ``partners``.

        Read with the user's own rights when she may read them (``detailed``), else by a
        narrow superuser read of these two fields; either way logged as her reads.
        """
        allergy_kinds = defaultdict(set)
        contraindications = defaultdict(set)
        consulted = []
        if partners and "allergen" in rule_types:
            Allergy = self.env["beauty.allergy"]
            allergies = (Allergy if detailed else Allergy.sudo()).search_fetch(
                [("partner_id", "in", partners.ids)], ["partner_id", "allergen_kind"]
            )
            for allergy in allergies:
                allergy_kinds[allergy.partner_id.id].add(allergy.allergen_kind)
            consulted.append(allergies)
        if partners and "contraindication" in rule_types:
            Profile = self.env["beauty.health.profile"]
            profiles = (Profile if detailed else Profile.sudo()).search_fetch(
                [("partner_id", "in", partners.ids)], ["partner_id", "contraindication_ids"]
            )
            for profile in profiles:
                contraindications[profile.partner_id.id] |= set(profile.contraindication_ids.ids)
            consulted.append(profiles)
        for records in consulted:
            # Logged in the user's name (the log skips superuser reads).
            self.env["beauty.access.log"]._log(records, "read")
        return allergy_kinds, contraindications

    def _gate_message(self, product, detailed):
        """What the user is told about this rule applying to ``product``."""
        self.ensure_one()
        if self.rule_type == "consent":
            purpose = dict(self._fields["consent_purpose"]._description_selection(self.env))[
                self.consent_purpose
            ]
            if not detailed:
                return self.env._("missing or expired consent: %s", purpose)
            return self.env._(
                "missing or expired consent: %(purpose)s (%(treatment)s)",
                purpose=purpose,
                treatment=product.display_name,
            )
        if not detailed:
            # Neither the treatment nor the rule: with a treatment's rules they would name
            # the condition.
            return self.env._("a health reason: ask a therapist or a clinician")
        if self.rule_type == "allergen":
            kind = dict(self._fields["allergen_kind"]._description_selection(self.env))[
                self.allergen_kind
            ]
            return self.env._(
                "allergy to a %(kind)s in this treatment (%(treatment)s)",
                kind=kind.lower(),
                treatment=product.display_name,
            )
        return self.env._(
            "contraindication: %(name)s (%(treatment)s)",
            name=self.contraindication_id.name,
            treatment=product.display_name,
        )

    @api.model
    def _gate_key(self, issues):
        """Identifier of the blocking conflicts: an override covers exactly these."""
        return "|".join(sorted(key for action, key, _message in issues if action == "block"))

    @api.model
    def _gate_verdict(self, issues):
        # The same message may stand for several rules (the verdict of staff below therapist).
        blocks = list(dict.fromkeys(m for action, _key, m in issues if action == "block"))
        warns = list(dict.fromkeys(m for action, _key, m in issues if action == "warn"))
        parts = []
        if blocks:
            parts.append(self.env._("Blocked: %s", "; ".join(blocks)))
        if warns:
            parts.append(self.env._("Warning: %s", "; ".join(warns)))
        return "\n".join(parts) or self.env._("Clear")
