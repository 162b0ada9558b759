"""A customer's rights on res.partner: export of all her data, and anonymisation."""

import json

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.crypto import mask_phone
from ..tools.data_export_pdf import render
from ..tools.personal_data import DELETE, PersonalData

MANAGER = "beauty_customer_profile.beauty_customer_profile_group_manager"
THERAPIST = "beauty_customer_profile.beauty_customer_profile_group_therapist"
PHONE_FIELDS = ("phone", "beauty_phone_backup", "phone_sanitized")
TECHNICAL = {
    "id",
    "display_name",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
    "partner_id",
    "company_id",
}
CUSTOMER_FIELDS = [
    "name",
    "beauty_customer_number",
    "company_id",
    "phone",
    "beauty_phone_backup",
    "email",
    "beauty_wechat",
    "street",
    "street2",
    "city",
    "zip",
    "country_id",
    "beauty_id_number",
    "beauty_gender",
    "beauty_birthday",
    "beauty_birth_year",
    "beauty_occupation",
    "beauty_education",
    "beauty_interests",
    "beauty_family_notes",
    "beauty_archive_date",
    "beauty_referrer_id",
    "beauty_consultant_id",
    "beauty_therapist_id",
    "category_id",
    "beauty_budget",
    "beauty_surgical_preference",
    "beauty_pref_temperature",
    "beauty_pref_music",
    "beauty_pref_lighting",
    "beauty_pref_pressure",
    "beauty_pref_conversation",
    "beauty_pref_texture",
    "beauty_pref_scent",
    "beauty_ingredients_avoid",
    "beauty_pref_channel",
    "comment",
]
# Personal free text cleared by anonymisation; the selections that make statistics
# (gender, birth year, store, archive date, preferences) are kept.
ERASED_FIELDS = [
    "phone",
    "beauty_phone_backup",
    "email",
    "beauty_wechat",
    "street",
    "street2",
    "city",
    "zip",
    "beauty_birthday",
    "beauty_occupation",
    "beauty_interests",
    "beauty_family_notes",
    "beauty_pref_music",
    "beauty_pref_texture",
    "beauty_pref_scent",
    "beauty_ingredients_avoid",
    "comment",
    "image_1920",
    "website",
    "function",
    "vat",
    "ref",
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    beauty_anonymised = fields.Boolean(string="Anonymised", readonly=True, copy=False)

    # -- masking --------------------------------------------------------------------------
    # What masking promises (security/README.md, "Masking"): a role that sees numbers masked
    # gets them masked wherever the server hands a number out to it (read, export from any
    # model, group by, pattern search, the SMS composer, orders of the till); it cannot reach
    # a number digit by digit. It is not a secret kept from staff: messages to the customer
    # still go to her real number, and an exact search with a full number finds her.
    def _beauty_masks_phone_display(self):
        """Therapists and clinicians work on the customer, not on her contact details:
        they see phone numbers masked. Front desk and managers see them whole."""
        user = self.env.user
        return not self.env.su and user.has_group(THERAPIST) and not user.has_group(MANAGER)

    @api.model
    def _beauty_masked_fields(self):
        """{model: phone fields} masked for the roles that see numbers masked (on read, group
        by and search) and in every export but a manager's; other addons add theirs."""
        return {"res.partner": PHONE_FIELDS + ("phone_mobile_search",)}

    @api.model
    def _beauty_masked_domain(self, model, domain):
        """``domain`` where, for a role that sees numbers masked, a condition on a number
        other than "is exactly" matches nothing: ``like 138%`` counted digit by digit would
        give the whole number back. (A customer search on "name or phone" still finds her
        by name.)"""
        if not domain or not self._beauty_masks_phone_display():
            return domain
        masked = self._beauty_masked_fields().get(model._name)
        if not masked:
            return domain

        def neutralise(condition):
            fname = condition.field_expr.split(".", 1)[0]
            if fname in masked and condition.operator not in ("=", "in", "!=", "not in"):
                return Domain.FALSE
            return condition

        return Domain(domain).map_conditions(neutralise)

    @api.model
    def _beauty_check_masked_groupby(self, model, specs):
        if not self._beauty_masks_phone_display():
            return
        masked = self._beauty_masked_fields().get(model._name, ())
        if any(spec.split(":", 1)[0].split(".", 1)[0] in masked for spec in specs):
            raise UserError(
                self.env._("Phone numbers are masked for your role: they cannot be grouped by.")
            )

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        masked = [name for name in PHONE_FIELDS if name in fnames]
        if masked and self._beauty_masks_phone_display():
            for values in result:
                for name in masked:
                    values[name] = mask_phone(values.get(name)) or values.get(name)
        return result

    @api.model
    def _search(self, domain, *args, **kwargs):
        # also reached from other models: a booking searched on partner_id.phone
        return super()._search(self._beauty_masked_domain(self, domain), *args, **kwargs)

    def _read_group_groupby(self, alias, groupby_spec, query):
        # also reached from other models: bookings grouped by partner_id.phone
        self._beauty_check_masked_groupby(self, [groupby_spec])
        return super()._read_group_groupby(alias, groupby_spec, query)

    # -- the registry of personal data ---------------------------------------------------
    @api.model
    def _beauty_personal_data_models(self):
        """Every model holding data about a customer, as ``PersonalData`` entries.

        Each addon extends this with its own models (``super()`` + its entries); the export
        and the anonymisation know nothing else.
        """
        return [
            # Proof of consent stays (dates, purpose, version); the signature (erased with
            # the attachments) and the reason given for a withdrawal go.
            PersonalData("consents", "beauty.consent", fields=("withdrawal_reason",)),
            PersonalData("important_dates", "beauty.important.date", erase=DELETE),
            PersonalData("health_profile", "beauty.health.profile", erase=DELETE),
            PersonalData("allergies", "beauty.allergy", erase=DELETE),
            PersonalData("past_treatments", "beauty.past.treatment", erase=DELETE),
            PersonalData("home_products", "beauty.home.product", erase=DELETE),
            PersonalData("skin_profile", "beauty.skin.profile", erase=DELETE),
            PersonalData("skin_concerns", "beauty.skin.concern", erase=DELETE),
            PersonalData("skin_concern_progress", "beauty.skin.concern.progress", erase=DELETE),
            PersonalData("skin_assessments", "beauty.skin.assessment", erase=DELETE),
            PersonalData("skin_photos", "beauty.skin.photo", erase=DELETE),
            PersonalData("lifestyle", "beauty.lifestyle", erase=DELETE),
        ]

    def _beauty_check_privacy_officer(self):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._("Only a manager can export or anonymise a customer's data.")
            )

    def _beauty_rows(self, records, fnames):
        """Records as lists of (field name, label, value) with display values."""
        rows = []
        for record in records:
            row = []
            for fname in fnames:
                field = record._fields[fname]
                value = record[fname]
                if field.type == "many2one":
                    value = value.display_name or ""
                elif field.type in ("one2many", "many2many"):
                    value = ", ".join(value.mapped("display_name"))
                elif field.type == "selection":
                    value = dict(field._description_selection(self.env)).get(value, "")
                elif field.type in ("date", "datetime"):
                    value = value.isoformat() if value else ""
                elif field.type != "boolean":
                    value = value or ""
                row.append((fname, field._description_string(self.env), value))
            rows.append(row)
        return rows

    @api.model
    def _beauty_personal_data_entries(self):
        """The registered entries, each model and link once (two addons may both register
        a model they share, such as POS orders)."""
        seen = set()
        entries = []
        for entry in self._beauty_personal_data_models():
            if (entry.model, entry.link) in seen or entry.model not in self.env:
                continue
            seen.add((entry.model, entry.link))
            entries.append(entry)
        return entries

    @api.model
    def _beauty_export_fnames(self, entry):
        """The fields of ``entry``'s export section: the declared ones, or every field the
        manager may read but technical, binary, one2many, chatter and key fields."""
        model = self.env[entry.model]
        if entry.export_fields:
            return [name for name in entry.export_fields if name in model._fields]
        return [
            name
            for name, field in model._fields.items()
            if name not in TECHNICAL
            and not name.endswith(("_enc", "_hash"))
            and field.type not in ("binary", "image", "one2many")
            and not name.startswith(("message_", "activity_", "image_", "access_"))
            and model._has_field_access(field, "read")
        ]

    @api.model
    def _beauty_records_of(self, entry, partners):
        """The records of ``entry`` that belong to ``partners``, archived ones included.

        sudo: the privacy officer was checked by the caller; the export and the erasure
        must reach every record, including those of stores the manager is not working in
        and of models outside the salon roles (orders, loyalty cards).
        """
        return (
            self.env[entry.model]
            .sudo()
            .with_context(active_test=False)
            .search([(entry.link, "in", partners.ids)], order="id")
        )

    def _beauty_personal_data(self):
        """All data kept about this customer: [(key, title, rows)], read as the manager."""
        self.ensure_one()
        self._beauty_check_privacy_officer()
        self.check_access("read")
        sections = [
            (
                "customer",
                self.env._("Customer"),
                self._beauty_rows(self, [f for f in CUSTOMER_FIELDS if f in self._fields]),
            )
        ]
        for entry in self._beauty_personal_data_entries():
            if not entry.export:
                continue
            records = self._beauty_records_of(entry, self)
            # logged as the manager: the reading itself is done as superuser
            self.env["beauty.access.log"]._log(self.env[entry.model].browse(records.ids), "export")
            title = self.env["ir.model"]._get(entry.model).name
            sections.append(
                (entry.key, title, self._beauty_rows(records, self._beauty_export_fnames(entry)))
            )
        return sections

    def _beauty_personal_data_json(self):
        sections = self._beauty_personal_data()
        payload = {
            key: [{fname: value for fname, _label, value in row} for row in rows]
            for key, _title, rows in sections
        }
        payload["customer"] = payload["customer"][0]
        payload["exported_at"] = fields.Datetime.now().isoformat()
        return json.dumps(payload, ensure_ascii=False, indent=2)

    def _beauty_personal_data_pdf(self):
        sections = self._beauty_personal_data()
        return render(
            self.env._("Personal data of %s", self.display_name),
            self.env._(
                "Exported on %(date)s by %(user)s",
                date=fields.Datetime.now().strftime("%Y-%m-%d %H:%M"),
                user=self.env.user.name,
            ),
            [
                (title, [[(label, value) for _fname, label, value in row] for row in rows])
                for _key, title, rows in sections
            ],
            self.env._("Nothing recorded."),
        )

    def action_beauty_export_personal_data(self):
        self.ensure_one()
        self._beauty_check_privacy_officer()
        fmt = self.env.context.get("beauty_export_format") or "json"
        return {
            "type": "ir.actions.act_url",
            "url": f"/beauty/customer/{self.id}/personal-data.{fmt}",
            "target": "download",
        }

    # -- deletion -------------------------------------------------------------------------
    def unlink(self):
        self._beauty_log_deletion()
        return super().unlink()

    def _beauty_log_deletion(self):
        """Deleting a customer deletes her logged records with her (the database cascades,
        no record's own deletion runs): each of them, and she, get their log line first."""
        if self.env.su or not self:
            return
        Log = self.env["beauty.access.log"]
        logged = self.env.registry["beauty.access.logged.mixin"]
        with_data = self.filtered("beauty_is_customer")
        for name, model_class in self.env.registry.items():
            field = model_class._fields.get("partner_id")
            if model_class._abstract or not issubclass(model_class, logged):
                continue
            if field is None or not field.store or field.type != "many2one":
                continue
            # sudo: the ids of what goes, whoever may read it; logged as the user deleting
            records = (
                self.env[name]
                .sudo()
                .with_context(active_test=False)
                .search([("partner_id", "in", self.ids)])
            )
            Log._log(self.env[name].browse(records.ids), "unlink")
            with_data |= records.partner_id
        Log._log(self.browse(with_data.ids), "unlink")

    # -- anonymisation --------------------------------------------------------------------
    def action_beauty_anonymise(self):
        """Erase the customer's personal and sensitive data for good.

        Sales, cards, visits and statistics stay: the partner record is kept under a
        neutral name with her store, gender, birth year and archive date, so every report
        still adds up. Every model of ``_beauty_personal_data_models()`` is erased its way
        (records deleted, or their free text emptied); around them, chatter messages and
        their tracking values, e-mails, text messages, activities, followers and
        attachments that are about her or addressed to her go too.
        """
        self._beauty_check_privacy_officer()
        for partner in self:
            if partner.beauty_anonymised:
                raise UserError(self.env._("%s is already anonymised.", partner.display_name))
        # sudo: the manager's decision is checked above; erasure must reach every record,
        # including those of stores the manager is not currently working in.
        secret = self.sudo().with_context(active_test=False)
        addresses = secret._beauty_contact_addresses()
        records_by_entry = [
            (entry, self._beauty_records_of(entry, self))
            for entry in self._beauty_personal_data_entries()
        ]
        for entry, records in records_by_entry:
            secret._beauty_erase_around(records, entry.keep_history)
        for entry, records in records_by_entry:
            if entry.erase == DELETE:
                self.env["beauty.access.log"]._log(
                    self.env[entry.model].browse(records.ids), "unlink"
                )
        for entry, records in records_by_entry:
            if entry.erase == DELETE:
                # exists(): some went already with the record they belong to (a concern's
                # progress), logged above all the same
                records.exists().unlink()
            else:
                secret._beauty_scrub(records, entry.fields)
        self.env["beauty.consent"].sudo().search([("partner_id", "in", self.ids)]).write(
            {"signature": False}
        )
        secret._beauty_erase_around(secret, keep_history=False)
        secret._beauty_erase_correspondence(addresses)
        for partner in secret:
            values = dict.fromkeys([f for f in ERASED_FIELDS if f in partner._fields], False)
            values.update(
                {
                    "name": self.env._("Anonymised customer %s", partner.id),
                    "beauty_id_number": False,
                    "beauty_referrer_id": False,
                    "beauty_anonymised": True,
                    "active": False,
                }
            )
            if partner.beauty_birthday and not partner.beauty_birth_year:
                values["beauty_birth_year"] = partner.beauty_birthday.year
            partner.with_context(tracking_disable=True).write(values)
        secret._beauty_rename_in_tracking()
        return True

    @api.private
    def _beauty_contact_addresses(self):
        """Her e-mail addresses and phone numbers as stored in messages and queues."""
        emails, numbers = set(), set()
        for partner in self:
            emails |= {partner.email, partner.email_normalized} - {False, None, ""}
            numbers |= {
                partner.phone,
                partner.phone_sanitized,
                partner.beauty_phone_backup,
            } - {False, None, ""}
        return emails, numbers

    @api.private
    def _beauty_scrub(self, records, fnames):
        """Empty the stored text fields ``fnames`` of ``records`` in SQL (required ones get
        a neutral text): no business rule of a finished record, no tracking, no recompute
        of anything but what depends on them."""
        if not records or not fnames:
            return
        records.flush_recordset()
        erased = self.env._("(erased)")
        assignments = []
        for fname in fnames:
            field = records._fields[fname]
            if not (field.store and field.column_type):
                raise ValueError(f"{records._name}.{fname} has no column to erase")
            value = erased if field.required else None
            if field.type == "boolean":
                value = False
            assignments.append(SQL("%s = %s", SQL.identifier(fname), value))
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET %s WHERE id IN %s",
                SQL.identifier(records._table),
                SQL(", ").join(assignments),
                tuple(records.ids),
            )
        )
        records.invalidate_recordset(list(fnames))
        records.modified(list(fnames))

    @api.private
    def _beauty_erase_around(self, records, keep_history):
        """Chatter messages (and their tracking values, notifications and e-mails),
        activities, followers and attachments of ``records``: what the salon wrote or sent
        about them. With ``keep_history`` the tracking-only messages stay (states and dates
        of cards and orders); anything with a text goes."""
        if not records:
            return
        domain = [("model", "=", records._name), ("res_id", "in", records.ids)]
        messages = self.env["mail.message"].sudo().search(domain)
        if keep_history:
            messages = messages.filtered(
                lambda message: (
                    not message.tracking_value_ids
                    or not tools.is_html_empty(message.body)
                    or message.attachment_ids
                )
            )
        self.env["mail.mail"].sudo().search([("mail_message_id", "in", messages.ids)]).unlink()
        messages.unlink()
        self.env["mail.activity"].sudo().search(
            [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        ).unlink()
        self.env["mail.followers"].sudo().search(
            [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        ).unlink()
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        ).unlink()

    @api.private
    def _beauty_erase_correspondence(self, addresses):
        """What was sent to her or came from her anywhere in the database: messages she
        wrote or received, their notifications, e-mails and text messages to her addresses,
        and her following of other records."""
        emails, numbers = addresses
        Message = self.env["mail.message"].sudo()
        messages = Message.search(
            ["|", ("author_id", "in", self.ids), ("partner_ids", "in", self.ids)]
        )
        mails = self.env["mail.mail"].sudo().search([("recipient_ids", "in", self.ids)])
        for email in emails:
            messages |= Message.search([("email_from", "ilike", email)])
            mails |= self.env["mail.mail"].sudo().search([("email_to", "ilike", email)])
        mails |= self.env["mail.mail"].sudo().search([("mail_message_id", "in", messages.ids)])
        mails.unlink()
        messages.exists().unlink()
        Notification = self.env["mail.notification"].sudo()
        notifications = Notification.search([("res_partner_id", "in", self.ids)])
        if numbers and "sms_number" in Notification._fields:
            notifications |= Notification.search([("sms_number", "in", list(numbers))])
        notifications.unlink()
        self.env["mail.followers"].sudo().search([("partner_id", "in", self.ids)]).unlink()
        if "sms.sms" in self.env:
            Sms = self.env["sms.sms"].sudo()
            texts = Sms.search([("partner_id", "in", self.ids)])
            if numbers:
                texts |= Sms.search([("number", "in", list(numbers))])
            texts.unlink()

    @api.private
    def _beauty_rename_in_tracking(self):
        """Tracking values that name her as the old or new customer of some record (a card
        moved to someone else, a booking given to another customer) show her new neutral
        name: they keep the id, the text was her name."""
        self.env.flush_all()
        tracked = (
            self.env["ir.model.fields"]
            .sudo()
            .search([("ttype", "=", "many2one"), ("relation", "=", "res.partner")])
        )
        for partner in self:
            for side in ("old", "new"):
                self.env.cr.execute(
                    SQL(
                        "UPDATE mail_tracking_value SET %s = %s WHERE field_id IN %s AND %s = %s",
                        SQL.identifier(f"{side}_value_char"),
                        partner.name,
                        tuple(tracked.ids) or (0,),
                        SQL.identifier(f"{side}_value_integer"),
                        partner.id,
                    )
                )
        self.env["mail.tracking.value"].invalidate_model()
