from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.phone_validation.tools import phone_validation

from ..tools.completeness import completeness
from ..tools.crypto import mask
from .beauty_encrypted_fields import EncryptedChar

THERAPIST = "beauty_customer_profile.beauty_customer_profile_group_therapist"
MANAGER = "beauty_customer_profile.beauty_customer_profile_group_manager"
# The archive's own fields on the partner are for salon roles only: a plain internal user
# (a cashier, an accountant) reads the contact, not the archive.
FRONT_DESK = "beauty_customer_profile.beauty_customer_profile_group_front_desk"
CLINICIAN = "beauty_customer_profile.beauty_customer_profile_group_clinician"
SENSITIVE_MODELS = {
    "health": "beauty.health.profile",
    "skin": "beauty.skin.profile",
    "lifestyle": "beauty.lifestyle",
}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "beauty.encrypted.mixin"]
    _beauty_hashed = {"beauty_id_number": "beauty_id_number_hash"}

    # -- identity -------------------------------------------------------------------------
    beauty_is_customer = fields.Boolean(string="Salon customer", index=True)
    beauty_customer_number = fields.Char(
        string="Customer number", copy=False, readonly=True, index="btree_not_null"
    )
    beauty_gender = fields.Selection(
        [("female", "Female"), ("male", "Male"), ("other", "Other")],
        string="Gender",
        groups=FRONT_DESK,
    )
    beauty_birthday = fields.Date(string="Birthday", groups=FRONT_DESK)
    beauty_birth_year = fields.Integer(string="Birth year", groups=FRONT_DESK)
    beauty_birth_month = fields.Integer(
        string="Birth month",
        compute="_compute_beauty_birth_month",
        store=True,
        index=True,
        groups=FRONT_DESK,
    )
    beauty_age = fields.Integer(string="Age", compute="_compute_beauty_age", groups=FRONT_DESK)
    beauty_occupation = fields.Char(string="Occupation", groups=FRONT_DESK)
    beauty_education = fields.Selection(
        [
            ("secondary", "Secondary school"),
            ("college", "College"),
            ("bachelor", "Bachelor"),
            ("master", "Master or above"),
        ],
        string="Education",
        groups=FRONT_DESK,
    )
    beauty_wechat = fields.Char(string="WeChat ID", groups=FRONT_DESK)
    # The ID card number (身份证号) is encrypted at rest; clinicians and managers read it, the
    # other roles see it masked; exact search goes through a keyed hash.
    beauty_id_number = EncryptedChar(
        string="ID number", groups=CLINICIAN, search="_search_beauty_id_number"
    )
    beauty_id_number_masked = fields.Char(
        string="ID number (masked)", compute="_compute_beauty_id_number_masked", groups=FRONT_DESK
    )
    beauty_id_number_hash = fields.Char(
        groups="base.group_system", copy=False, index="btree_not_null"
    )
    beauty_phone_backup = fields.Char(string="Backup phone", groups=FRONT_DESK)
    beauty_archive_date = fields.Date(
        string="Archive opened",
        copy=False,
        compute="_compute_beauty_archive_date",
        store=True,
        readonly=False,
        # Not precomputed: a precompute reads the field with the creating user's rights, and
        # contacts are created by users outside the salon roles (companies, the till).
        groups=FRONT_DESK,
    )
    beauty_referrer_id = fields.Many2one(
        "res.partner", string="Referred by", index="btree_not_null", copy=False, groups=FRONT_DESK
    )
    beauty_referred_ids = fields.One2many(
        "res.partner", "beauty_referrer_id", string="Customers referred", groups=FRONT_DESK
    )
    beauty_referred_count = fields.Integer(
        string="Referrals", compute="_compute_beauty_referred_count", groups=FRONT_DESK
    )
    beauty_consultant_id = fields.Many2one("res.users", string="Consultant", groups=FRONT_DESK)
    beauty_therapist_id = fields.Many2one(
        "res.users", string="Preferred therapist", groups=FRONT_DESK
    )
    beauty_interests = fields.Char(string="Interests", groups=FRONT_DESK)
    beauty_family_notes = fields.Text(
        string="Family notes", help="Only what the customer chose to tell.", groups=FRONT_DESK
    )
    beauty_important_date_ids = fields.One2many(
        "beauty.important.date", "partner_id", string="Important dates", groups=FRONT_DESK
    )

    # -- preferences ----------------------------------------------------------------------
    beauty_budget = fields.Selection(
        [
            ("low", "Below 500 a month"),
            ("medium", "500-2000 a month"),
            ("high", "2000-5000 a month"),
            ("premium", "Above 5000 a month"),
        ],
        string="Budget range",
        groups=FRONT_DESK,
    )
    beauty_surgical_preference = fields.Selection(
        [
            ("non_surgical", "Non-surgical only"),
            ("open", "Open to both"),
            ("surgical", "Open to surgical"),
        ],
        string="Treatment approach",
        groups=FRONT_DESK,
    )
    beauty_pref_temperature = fields.Selection(
        [("cool", "Cool"), ("neutral", "Neutral"), ("warm", "Warm")],
        string="Room temperature",
        groups=FRONT_DESK,
    )
    beauty_pref_music = fields.Char(string="Music", groups=FRONT_DESK)
    beauty_pref_lighting = fields.Selection(
        [("dim", "Dim"), ("soft", "Soft"), ("bright", "Bright")],
        string="Lighting",
        groups=FRONT_DESK,
    )
    beauty_pref_pressure = fields.Selection(
        [("light", "Light"), ("medium", "Medium"), ("firm", "Firm")],
        string="Massage pressure",
        groups=FRONT_DESK,
    )
    beauty_pref_conversation = fields.Selection(
        [("talkative", "Likes to talk"), ("quiet", "Prefers quiet")],
        string="Conversation",
        groups=FRONT_DESK,
    )
    beauty_pref_texture = fields.Char(string="Preferred textures", groups=FRONT_DESK)
    beauty_pref_scent = fields.Char(string="Preferred scents", groups=FRONT_DESK)
    beauty_ingredients_avoid = fields.Char(string="Ingredients to avoid", groups=FRONT_DESK)
    beauty_pref_channel = fields.Selection(
        [
            ("sms", "SMS"),
            ("email", "Email"),
            ("wechat", "WeChat"),
            ("phone", "Phone call"),
            ("none", "No marketing"),
        ],
        string="Preferred channel",
        groups=FRONT_DESK,
    )

    # -- upkeep ---------------------------------------------------------------------------
    beauty_last_review_date = fields.Date(string="Last review", copy=False, groups=FRONT_DESK)
    beauty_last_full_update_date = fields.Date(
        string="Last full update", copy=False, groups=FRONT_DESK
    )
    beauty_completeness = fields.Integer(
        string="Completeness (%)", compute="_compute_beauty_completeness", groups=FRONT_DESK
    )
    beauty_missing_info = fields.Char(
        string="Missing", compute="_compute_beauty_completeness", groups=FRONT_DESK
    )

    # -- consents and alert (visible to every staff role) ---------------------------------
    beauty_consent_ids = fields.One2many(
        "beauty.consent", "partner_id", string="Consents", groups=FRONT_DESK
    )
    beauty_missing_consent = fields.Boolean(
        string="Missing consent",
        compute="_compute_beauty_missing_consent",
        search="_search_beauty_missing_consent",
        groups=FRONT_DESK,
    )
    beauty_health_alert = fields.Boolean(
        string="Health alert",
        compute="_compute_beauty_health_alert",
        store=True,
        help="Set when the customer has allergies or contraindications: ask a therapist or "
        "clinician before any treatment. The details are visible to them only.",
    )

    # -- sensitive records, behind field groups ------------------------------------------
    beauty_health_profile_ids = fields.One2many(
        "beauty.health.profile", "partner_id", string="Health profile", groups=THERAPIST
    )
    beauty_allergy_ids = fields.One2many(
        "beauty.allergy", "partner_id", string="Allergies", groups=THERAPIST
    )
    beauty_past_treatment_ids = fields.One2many(
        "beauty.past.treatment", "partner_id", string="Past treatments", groups=CLINICIAN
    )
    beauty_home_product_ids = fields.One2many(
        "beauty.home.product", "partner_id", string="Products used at home", groups=THERAPIST
    )
    beauty_skin_profile_ids = fields.One2many(
        "beauty.skin.profile", "partner_id", string="Skin profile", groups=THERAPIST
    )
    beauty_skin_concern_ids = fields.One2many(
        "beauty.skin.concern", "partner_id", string="Skin concerns", groups=THERAPIST
    )
    beauty_skin_assessment_ids = fields.One2many(
        "beauty.skin.assessment", "partner_id", string="Skin assessments", groups=THERAPIST
    )
    beauty_lifestyle_ids = fields.One2many(
        "beauty.lifestyle", "partner_id", string="Lifestyle", groups=THERAPIST
    )

    _beauty_customer_number_unique = models.UniqueIndex(
        "(company_id, beauty_customer_number) WHERE beauty_customer_number IS NOT NULL",
        "This customer number is already used in this store.",
    )
    _beauty_birth_year_range = models.Constraint(
        "CHECK(beauty_birth_year IS NULL OR beauty_birth_year = 0 "
        "OR beauty_birth_year BETWEEN 1900 AND 2200)",
        "The birth year is not plausible.",
    )

    # -- computes -------------------------------------------------------------------------
    @api.depends("beauty_id_number")
    def _compute_beauty_id_number_masked(self):
        # sudo: decrypt the number to build the masked form; only the masked value leaves.
        for partner, secret in zip(self, self.sudo(), strict=True):
            number = secret.beauty_id_number
            readable = number and not secret._beauty_is_unavailable("beauty_id_number")
            partner.beauty_id_number_masked = mask(number, 4, 4) if readable else False

    def _search_beauty_id_number(self, operator, value):
        return self._beauty_lookup_domain("beauty_id_number", operator, value)

    @api.depends("beauty_is_customer")
    def _compute_beauty_archive_date(self):
        # The day the archive is opened (kept if she stops and becomes a customer again).
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.beauty_is_customer and not partner.beauty_archive_date:
                partner.beauty_archive_date = today

    @api.depends("beauty_birthday")
    def _compute_beauty_birth_month(self):
        for partner in self:
            partner.beauty_birth_month = (
                partner.beauty_birthday.month if partner.beauty_birthday else 0
            )

    @api.depends("beauty_birthday", "beauty_birth_year")
    @api.depends_context("date")
    def _compute_beauty_age(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.beauty_birthday:
                partner.beauty_age = relativedelta(today, partner.beauty_birthday).years
            elif partner.beauty_birth_year:
                partner.beauty_age = today.year - partner.beauty_birth_year
            else:
                partner.beauty_age = 0

    def _compute_beauty_referred_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("beauty_referrer_id", "in", self.ids)], ["beauty_referrer_id"], ["__count"]
            )
        )
        for partner in self:
            partner.beauty_referred_count = counts.get(partner, 0)

    @api.depends("beauty_consent_ids.date_withdrawn", "beauty_consent_ids.date_expiry")
    def _compute_beauty_missing_consent(self):
        with_consent = self._beauty_partners_with_consent("personal")
        for partner in self:
            partner.beauty_missing_consent = partner.beauty_is_customer and (
                partner not in with_consent
            )

    def _search_beauty_missing_consent(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        valid = self.env["beauty.consent"]._search(
            [("purpose", "=", "personal"), ("state", "in", ["valid"])]
        )
        missing = Domain("beauty_is_customer", "=", True) & Domain(
            "id", "not in", valid.subselect("partner_id")
        )
        return missing if (operator == "in") == (True in value) else ~missing

    @api.depends(
        "beauty_allergy_ids",
        "beauty_health_profile_ids.has_alert",
    )
    def _compute_beauty_health_alert(self):
        for partner in self:
            partner.beauty_health_alert = bool(
                partner.beauty_allergy_ids
                or any(partner.beauty_health_profile_ids.mapped("has_alert"))
            )

    def _compute_beauty_completeness(self):
        # Which sensitive records exist is counted as superuser: the score tells every role
        # that a section is missing, never what it holds.
        existing = {}
        for key, model in SENSITIVE_MODELS.items():
            groups = (
                self.env[model].sudo()._read_group([("partner_id", "in", self.ids)], ["partner_id"])
            )
            existing[key] = {partner.id for (partner,) in groups}
        consents = {
            purpose: set(self._beauty_partners_with_consent(purpose).ids)
            for purpose in ("personal", "health", "photo")
        }
        labels = self._beauty_completeness_labels()
        separator = "、" if (self.env.lang or "").startswith("zh") else ", "
        for partner in self:
            filled = {
                "phone": bool(partner.phone),
                "gender": bool(partner.beauty_gender),
                "birthday": bool(partner.beauty_birthday or partner.beauty_birth_year),
                "occupation": bool(partner.beauty_occupation),
                "consultant": bool(partner.beauty_consultant_id),
                "preferences": bool(
                    partner.beauty_pref_pressure or partner.beauty_pref_temperature
                ),
                "consent_personal": partner.id in consents["personal"],
                "consent_health": partner.id in consents["health"],
                "consent_photo": partner.id in consents["photo"],
                "skin": partner.id in existing["skin"],
                "health": partner.id in existing["health"],
                "lifestyle": partner.id in existing["lifestyle"],
            }
            score, missing = completeness(filled)
            partner.beauty_completeness = score
            partner.beauty_missing_info = separator.join(labels[key] for key in missing)

    def _beauty_completeness_labels(self):
        _ = self.env._
        return {
            "phone": _("phone"),
            "gender": _("gender"),
            "birthday": _("birthday"),
            "occupation": _("occupation"),
            "consultant": _("consultant"),
            "preferences": _("service preferences"),
            "consent_personal": _("personal data consent"),
            "consent_health": _("health data consent"),
            "consent_photo": _("photo consent"),
            "skin": _("skin profile"),
            "health": _("health profile"),
            "lifestyle": _("lifestyle"),
        }

    # -- constraints ----------------------------------------------------------------------
    @api.constrains("beauty_birthday", "beauty_birth_year")
    def _check_beauty_birthday(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.beauty_birthday and partner.beauty_birthday > today:
                raise ValidationError(
                    self.env._("The birthday of %s cannot be in the future.", partner.display_name)
                )
            if partner.beauty_birth_year and partner.beauty_birth_year > today.year:
                raise ValidationError(
                    self.env._(
                        "The birth year of %s cannot be in the future.", partner.display_name
                    )
                )

    @api.constrains("phone", "beauty_phone_backup", "beauty_is_customer", "company_id")
    def _check_beauty_phone(self):
        customers = self.filtered("beauty_is_customer")
        for partner in customers:
            for number in (partner.phone, partner.beauty_phone_backup):
                if number and not partner._beauty_sanitize_phone(number):
                    raise ValidationError(
                        self.env._(
                            "The phone number “%(number)s” of %(customer)s is not valid.",
                            number=number,
                            customer=partner.display_name,
                        )
                    )
        with_phone = customers.filtered("phone_sanitized")
        if not with_phone:
            return
        clashes = self.with_context(active_test=False).search_fetch(
            [
                ("beauty_is_customer", "=", True),
                ("phone_sanitized", "in", with_phone.mapped("phone_sanitized")),
                ("company_id", "in", with_phone.company_id.ids + [False]),
            ],
            ["phone_sanitized", "company_id", "display_name"],
        )
        for partner in with_phone:
            other = clashes.filtered(
                lambda p, me=partner: (
                    p != me
                    and p.phone_sanitized == me.phone_sanitized
                    and p.company_id == me.company_id
                )
            )[:1]
            if other:
                raise ValidationError(
                    self.env._(
                        "The phone number %(number)s is already used by the customer "
                        "%(other)s in this store.",
                        number=partner.phone,
                        other=other.display_name,
                    )
                )

    def _beauty_sanitize_phone(self, number):
        country = self.country_id or self.company_id.country_id or self.env.company.country_id
        try:
            return phone_validation.phone_format(
                number,
                country.code if country else None,
                country.phone_code if country else None,
                force_format="E164",
                raise_exception=True,
            )
        except Exception:  # noqa: BLE001 - any parsing failure means "not a valid number"
            return False

    # -- CRUD -----------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("beauty_is_customer") and not vals.get("company_id"):
                vals["company_id"] = self.env.company.id
            if vals.get("beauty_is_customer") and self._beauty_may_read_archive():
                # Dated now; for users outside the salon roles the compute dates it on save.
                vals.setdefault("beauty_archive_date", fields.Date.context_today(self))
        partners = super().create(vals_list)
        partners.filtered(
            lambda p: p.beauty_is_customer and not p.beauty_customer_number
        )._beauty_assign_number()
        return partners

    def write(self, vals):
        if "company_id" in vals:
            self._beauty_check_store_move(vals["company_id"])
        if "beauty_is_customer" in vals and not vals["beauty_is_customer"]:
            self._beauty_check_archive_removal()
        if vals.get("beauty_is_customer") and not vals.get("company_id"):
            # A partner who becomes a customer belongs to a store from then on: the user's
            # current one when she had none.
            no_store = self.filtered(lambda p: not p.company_id)
            if no_store:
                super(ResPartner, no_store).write({"company_id": self.env.company.id})
        result = super().write(vals)
        if vals.get("beauty_is_customer"):
            new_customers = self.filtered(lambda p: not p.beauty_customer_number)
            if self._beauty_may_read_archive():
                new_customers.filtered(lambda p: not p.beauty_archive_date).write(
                    {"beauty_archive_date": fields.Date.context_today(self)}
                )
            new_customers._beauty_assign_number()
        return result

    def _beauty_may_read_archive(self):
        return self.env.su or self.env.user.has_group(FRONT_DESK)

    def _beauty_check_store_move(self, company_id):
        """Only a manager moves a customer to another store (or out of every store)."""
        moved = self.filtered(
            lambda p: p._beauty_has_archive() and p.company_id and p.company_id.id != company_id
        )
        if moved and not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._(
                    "Only a manager can move %s to another store.",
                    ", ".join(moved.mapped("display_name")),
                )
            )

    def _beauty_has_archive(self):
        """Whether a customer archive was ever opened for this partner (the flag alone can
        be cleared)."""
        self.ensure_one()
        # Read as superuser: a Point of Sale manager deleting a plain contact may not read the
        # archive fields, and the answer discloses nothing.
        partner = self.sudo()
        return bool(
            partner.beauty_is_customer
            or partner.beauty_customer_number
            or partner.beauty_archive_date
        )

    @api.constrains("beauty_is_customer", "company_id")
    def _check_beauty_customer_store(self):
        for partner in self:
            if partner.beauty_is_customer and not partner.company_id:
                raise ValidationError(
                    self.env._("The customer %s must belong to a store.", partner.display_name)
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_beauty_customer_manager_only(self):
        # Every partner that ever had an archive: clearing the flag first changes nothing.
        archives = self.filtered(lambda p: p._beauty_has_archive())
        if not archives:
            return
        if not self.env.su and not self.env.user.has_group(MANAGER):
            raise UserError(
                self.env._("Only a manager can delete a customer archive; archive it instead.")
            )
        archives._beauty_log_deletion()

    def _beauty_check_archive_removal(self):
        """Closing a customer archive (clearing the customer flag) is a manager's decision:
        it is the first step of deleting it."""
        if self.env.su or self.env.user.has_group(MANAGER):
            return
        if self.filtered("beauty_is_customer"):
            raise AccessError(
                self.env._(
                    "Only a manager can close a customer archive; archive the contact instead."
                )
            )

    def _beauty_log_deletion(self):
        """Log the deletion of the customers and of every record that goes with them."""
        Log = self.env["beauty.access.log"]
        Log._log(self, "unlink")
        models = self.env.registry.descendants(["beauty.sensitive.mixin"], "_inherit")
        for model in [*models, "beauty.consent", "beauty.important.date"]:
            if self.env[model]._abstract:
                continue
            Log._log(
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                .search([("partner_id", "in", self.ids)]),
                "unlink",
            )

    def _beauty_assign_number(self):
        """Give each new customer the next number of her store's sequence."""
        for partner in self:
            company = partner.company_id or self.env.company
            sequence = self.env["ir.sequence"].sudo()._beauty_customer_sequence(company)
            partner.beauty_customer_number = sequence.next_by_id()

    # -- consents -------------------------------------------------------------------------
    def _beauty_partners_with_consent(self, purpose):
        """The partners of ``self`` holding a valid consent for ``purpose`` (one query)."""
        if not self.ids:
            return self.browse()
        groups = (
            self.env["beauty.consent"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("purpose", "=", purpose),
                    ("state", "in", ["valid"]),
                ],
                ["partner_id"],
            )
        )
        return self.browse([partner.id for (partner,) in groups])

    # -- actions --------------------------------------------------------------------------
    def action_beauty_open_referred(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customers referred by %s", self.display_name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("beauty_referrer_id", "=", self.id)],
            "context": {"default_beauty_referrer_id": self.id, "default_beauty_is_customer": True},
        }

    def _beauty_open_single(self, model, title):
        self.ensure_one()
        record = self.env[model].search([("partner_id", "=", self.id)], limit=1)
        action = {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "current",
            "context": {"default_partner_id": self.id},
        }
        if record:
            action["res_id"] = record.id
        return action

    def action_beauty_open_health_profile(self):
        return self._beauty_open_single("beauty.health.profile", self.env._("Health profile"))

    def action_beauty_open_skin_profile(self):
        return self._beauty_open_single("beauty.skin.profile", self.env._("Skin profile"))

    def action_beauty_open_lifestyle(self):
        return self._beauty_open_single("beauty.lifestyle", self.env._("Lifestyle"))

    def action_beauty_mark_reviewed(self):
        """Record that the archive was reviewed with the customer today."""
        self.write({"beauty_last_review_date": fields.Date.context_today(self)})
        self.activity_feedback(
            ["beauty_customer_profile.mail_activity_type_archive_review"],
            feedback=self.env._("Archive reviewed."),
        )
        return True

    def action_beauty_mark_full_update(self):
        """Record the yearly full update of the archive, which is also a review."""
        today = fields.Date.context_today(self)
        self.write({"beauty_last_full_update_date": today, "beauty_last_review_date": today})
        self.activity_feedback(
            [
                "beauty_customer_profile.mail_activity_type_archive_review",
                "beauty_customer_profile.mail_activity_type_archive_full_update",
            ],
            feedback=self.env._("Archive fully updated."),
        )
        return True

    # -- upkeep cron ----------------------------------------------------------------------
    @api.model
    def _cron_beauty_schedule_reviews(self, batch_size=500):
        """Schedule the review activity 3-6 months (configurable) after the last review, and
        the yearly full update. Idempotent: a customer with an open activity of that kind
        gets no second one, whatever how often the cron runs or restarts."""
        params = self.env["ir.config_parameter"].sudo()
        months = int(params.get_param("beauty_customer_profile.review_interval_months", 6))
        today = fields.Date.context_today(self)
        kinds = [
            (
                self.env.ref("beauty_customer_profile.mail_activity_type_archive_review"),
                "beauty_last_review_date",
                today - relativedelta(months=months),
            ),
            (
                self.env.ref("beauty_customer_profile.mail_activity_type_archive_full_update"),
                "beauty_last_full_update_date",
                today - relativedelta(years=1),
            ),
        ]
        for activity_type, date_field, threshold in kinds:
            while True:
                due = self._beauty_due_for_activity(
                    activity_type, date_field, threshold, batch_size
                )
                if not due:
                    break
                due._beauty_schedule_activity(activity_type, today)
                remaining = self.env["ir.cron"]._commit_progress(len(due))
                if not remaining:
                    return

    def _beauty_due_for_activity(self, activity_type, date_field, threshold, limit):
        # Set-based: the date test and the "no open activity of this type" test in one query.
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id FROM res_partner p
                 WHERE p.beauty_is_customer AND p.active
                   AND COALESCE(%(date_field)s, p.beauty_archive_date) <= %(threshold)s
                   AND NOT EXISTS (
                       SELECT 1 FROM mail_activity a
                        WHERE a.res_model = 'res.partner' AND a.res_id = p.id
                          AND a.activity_type_id = %(type_id)s AND a.active)
                 ORDER BY p.id
                 LIMIT %(limit)s
                """,
                date_field=SQL.identifier("p", date_field),
                threshold=threshold,
                type_id=activity_type.id,
                limit=limit,
            )
        )
        return self.browse([row[0] for row in rows])

    def _beauty_schedule_activity(self, activity_type, today):
        model_id = self.env["ir.model"]._get_id("res.partner")
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "date_deadline": today + relativedelta(days=activity_type.delay_count or 7),
                    "user_id": (
                        partner.beauty_consultant_id or partner.user_id or self.env.user
                    ).id,
                }
                for partner in self
            ]
        )
