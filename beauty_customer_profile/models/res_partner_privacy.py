"""A customer's rights on res.partner: export of all her data, and anonymisation."""

import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.crypto import mask_phone
from ..tools.data_export_pdf import render

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
    def _beauty_masks_phone_display(self):
        """Therapists and clinicians work on the customer, not on her contact details:
        they see phone numbers masked. Front desk and managers see them whole."""
        user = self.env.user
        return not self.env.su and user.has_group(THERAPIST) and not user.has_group(MANAGER)

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        masked = [name for name in PHONE_FIELDS if name in fnames]
        if masked and self._beauty_masks_phone_display():
            for values in result:
                for name in masked:
                    values[name] = mask_phone(values.get(name)) or values.get(name)
        return result

    def export_data(self, fields_to_export):
        """Exports carry masked phone numbers unless a manager exports: a file of phone
        numbers is the easiest thing to walk out of a shop with."""
        result = super().export_data(fields_to_export)
        if self.env.su or self.env.user.has_group(MANAGER):
            return result
        columns = [
            index
            for index, path in enumerate(fields_to_export)
            if path.replace(".", "/").split("/")[-1] in PHONE_FIELDS
        ]
        for row in result.get("datas", []):
            for index in columns:
                row[index] = mask_phone(row[index]) or row[index]
        return result

    # -- export ---------------------------------------------------------------------------
    @api.model
    def _beauty_personal_data_models(self):
        """(section key, model) of everything kept about a customer; other addons add theirs."""
        return [
            ("consents", "beauty.consent"),
            ("important_dates", "beauty.important.date"),
            ("health_profile", "beauty.health.profile"),
            ("allergies", "beauty.allergy"),
            ("past_treatments", "beauty.past.treatment"),
            ("home_products", "beauty.home.product"),
            ("skin_profile", "beauty.skin.profile"),
            ("skin_concerns", "beauty.skin.concern"),
            ("skin_assessments", "beauty.skin.assessment"),
            ("skin_photos", "beauty.skin.photo"),
            ("lifestyle", "beauty.lifestyle"),
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

    def _beauty_personal_data(self):
        """All data kept about this customer: [(key, title, rows)], read as the manager."""
        self.ensure_one()
        self._beauty_check_privacy_officer()
        sections = [
            (
                "customer",
                self.env._("Customer"),
                self._beauty_rows(self, [f for f in CUSTOMER_FIELDS if f in self._fields]),
            )
        ]
        for key, model_name in self._beauty_personal_data_models():
            model = self.env[model_name]
            records = model.search([("partner_id", "=", self.id)])
            fnames = [
                name
                for name, field in model._fields.items()
                if name not in TECHNICAL
                and not name.endswith(("_enc", "_hash"))
                and field.type not in ("binary", "image", "one2many")
                and not field.name.startswith(("message_", "activity_", "image_"))
            ]
            self.env["beauty.access.log"]._log(records, "export")
            title = self.env["ir.model"]._get(model_name).name
            sections.append((key, title, self._beauty_rows(records, fnames)))
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

    # -- anonymisation --------------------------------------------------------------------
    def action_beauty_anonymise(self):
        """Erase the customer's personal and sensitive data for good.

        Sales, cards, visits and statistics stay: the partner record is kept under a
        neutral name with her store, gender, birth year and archive date, so every report
        still adds up. Sensitive records, important dates, chatter, activities, attachments
        and consent signatures are deleted.
        """
        self._beauty_check_privacy_officer()
        for partner in self:
            if partner.beauty_anonymised:
                raise UserError(self.env._("%s is already anonymised.", partner.display_name))
        # sudo: the manager's decision is checked above; erasure must reach every record,
        # including those of stores the manager is not currently working in.
        secret = self.sudo()
        for _key, model_name in self._beauty_personal_data_models():
            if model_name == "beauty.consent":
                continue
            records = self.env[model_name].sudo().search([("partner_id", "in", self.ids)])
            self.env["beauty.access.log"]._log(self.env[model_name].browse(records.ids), "unlink")
            records.unlink()
        self.env["beauty.consent"].sudo().search([("partner_id", "in", self.ids)]).write(
            {"signature": False}
        )
        self.env["mail.message"].sudo().search(
            [("model", "=", "res.partner"), ("res_id", "in", self.ids)]
        ).unlink()
        secret.activity_ids.unlink()
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", "res.partner"), ("res_id", "in", self.ids)]
        ).unlink()
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
        return True
