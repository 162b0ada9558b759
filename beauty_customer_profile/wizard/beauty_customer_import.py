import base64

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.customer_import import (
    LABELS,
    ImportFileError,
    check_rows,
    parse_allergies,
    read_table,
)

# Columns a shop's export may carry that the archive does not import (yet): opening balances
# are entered on the customer's cards, through their ledgers.
BALANCE_COLUMNS = ("tier", "balance", "sessions")


class BeautyCustomerImport(models.TransientModel):
    """Import customers from a spreadsheet: every row is checked first, and either all
    rows are imported or none, with every bad row listed with its reason."""

    _name = "beauty.customer.import"
    _description = "Import customers"

    file = fields.Binary(required=True)
    filename = fields.Char()
    company_id = fields.Many2one(
        "res.company", string="Store", required=True, default=lambda self: self.env.company
    )
    keep_unmapped = fields.Boolean(
        string="Keep unknown columns in the notes",
        default=True,
        help="Columns the import does not know are added to each customer's notes as "
        "“column: value”; otherwise they are ignored.",
    )
    consent_personal_on_file = fields.Boolean(
        string="Signed personal-data consents are on file",
        help="Tick only if every customer in the file signed the shop's consent for personal "
        "data (skin type and concerns): a paper consent is then recorded for each, in your "
        "name. Otherwise skin data is not imported.",
    )
    consent_health_on_file = fields.Boolean(
        string="Signed health-data consents are on file",
        help="Tick only if every customer in the file signed the shop's consent for health "
        "data (allergies): a paper consent is then recorded for each, in your name. "
        "Otherwise allergies are not imported.",
    )
    state = fields.Selection(
        [
            ("draft", "To check"),
            ("error", "Errors found"),
            ("preview", "Checked"),
            ("done", "Imported"),
        ],
        default="draft",
        required=True,
    )
    to_create_count = fields.Integer(string="Customers to create", readonly=True)
    line_ids = fields.One2many("beauty.customer.import.line", "wizard_id", string="Problems")
    imported_count = fields.Integer(readonly=True)

    def _messages(self):
        _ = self.env._
        return {
            "required": _("this column is required"),
            "phone": _("“%(value)s” is not a valid phone number"),
            "date": _("“%(value)s” is not a date (use YYYY-MM-DD)"),
            "future": _("%(value)s is in the future"),
            "gender": _("“%(value)s” is not a gender (女 / 男 / 其他)"),
            "year": _("“%(value)s” is not a plausible birth year"),
            "duplicate_in_file": _("the same phone number is already on row %(value)s"),
            "duplicate_in_store": _("a customer of this store already has this phone (%(value)s)"),
            "referrer": _("no customer of this store has the referrer phone %(value)s"),
            "year_only": _("only the year %(value)s is given: kept as the birth year"),
            "kept_in_notes": _("“%(value)s” is not a full date: left empty and kept in the notes"),
            "blank": _("a row without name and phone was skipped"),
            "amount": _("“%(value)s” is not an amount"),
            "count": _("“%(value)s” is not a number of sessions"),
            "merged": _("the same customer as on row %(value)s: merged into that row"),
            "skin_unknown": _(
                "“%(value)s” is not a skin word the archive knows: kept in the skin notes"
            ),
            "unmapped_kept": _("column “%(value)s” is unknown: its values go to the notes"),
            "unmapped_ignored": _("column “%(value)s” is unknown: ignored"),
            "no_personal_consent": _(
                "skin data not imported: no signed personal-data consent declared"
            ),
            "no_health_consent": _(
                "allergies not imported: no signed health-data consent declared"
            ),
            "allergy_unmatched": _(
                "“%(value)s” matches no allergen of the list: kept in the contraindication "
                "notes, check it"
            ),
            "balance_skipped": _(
                "“%(value)s” is not imported: enter opening balances, tiers and remaining "
                "sessions on the customer's cards"
            ),
            "referrer_unknown": _("no single customer is named %(value)s: referrer left empty"),
            "new": _("new customer %(value)s"),
        }

    def _check(self, preview=False):
        """Read and check the file; write the problem lines. Return the clean rows, or
        ``None`` when a row is wrong (nothing may be written then)."""
        self.ensure_one()
        file_errors = {
            "format": self.env._("Only .xlsx, .xls and .csv files can be imported."),
            "encoding": self.env._("The CSV file must be encoded in UTF-8 or GB18030 (GBK)."),
            "unreadable": self.env._("The spreadsheet cannot be read."),
            "empty": self.env._("The file is empty."),
            "columns": self.env._(
                "No header row naming a name column (姓名 / Name) and a phone column "
                "(手机 / 手机号码 / 电话 / Phone) was found in the first 10 rows; "
                "rename your columns or start from the template."
            ),
        }
        region = (self.company_id.country_id.code or "CN").upper()
        try:
            table = read_table(base64.b64decode(self.file), self.filename)
            rows, errors, warnings = check_rows(
                table, region, fields.Date.context_today(self), self.keep_unmapped
            )
        except ImportFileError as exc:
            raise UserError(file_errors[str(exc)]) from exc
        errors += self._check_against_database(rows)
        warnings += self._prepare_rows(rows)
        messages = self._messages()
        problems = [("error", problem) for problem in errors]
        if not errors:
            problems += [("warning", problem) for problem in warnings]
            if preview:
                problems += [
                    ("new", (row["row"], "name", "new", f"{row['name']} {row.get('phone', '')}"))
                    for row in rows
                ]
        self.line_ids.unlink()
        self.write(
            {
                "line_ids": [
                    fields.Command.create(
                        {
                            "kind": kind,
                            "row": row,
                            "column": LABELS.get(column, column),
                            "message": messages[code] % {"value": value},
                        }
                    )
                    for kind, (row, column, code, value) in sorted(
                        problems, key=lambda problem: (problem[1][0], problem[0] != "error")
                    )
                ],
                "to_create_count": 0 if errors else len(rows),
            }
        )
        if errors:
            self.state = "error"
            return None
        return rows

    def action_check(self):
        """Preview: every row checked and every change listed, nothing written."""
        rows = self._check(preview=True)
        if rows is not None:
            self.state = "preview"
        return self._reopen()

    def action_import(self):
        rows = self._check()
        if rows is None:
            return self._reopen()
        partners = self._create_customers(rows)
        self.write({"state": "done", "imported_count": len(partners)})
        return self._reopen()

    def _prepare_rows(self, rows):
        """Resolve what needs the database (allergens, referrers by name) and drop what
        may not be imported; return the warnings."""
        warnings = []
        # The allergen list in every language the database holds (a shop writes 海鲜 or
        # seafood): one read of the translated names as stored.
        allergens = {}
        ids = self.env["beauty.allergen"].search([]).ids
        self.env.cr.execute(SQL("SELECT id, name FROM beauty_allergen WHERE id = ANY(%s)", ids))
        for allergen_id, names in self.env.cr.fetchall():
            for name in (names or {}).values():
                allergens[name] = allergen_id
        for row in rows:
            self._prepare_sensitive(row, allergens, warnings)
            for key in BALANCE_COLUMNS:
                if row.get(key) not in (None, ""):
                    warnings.append((row["row"], key, "balance_skipped", row[key]))
        self._resolve_referrers(rows, warnings)
        return warnings

    def _prepare_sensitive(self, row, allergens, warnings):
        """Skin data and allergies are imported only under a declared signed consent."""
        if not self.consent_personal_on_file:
            for key in ("skin_type", "concerns", "skin_notes"):
                if row.pop(key, None) and key != "skin_notes":
                    warnings.append((row["row"], key, "no_personal_consent", ""))
        if not row.get("allergies"):
            return
        if not self.consent_health_on_file:
            row.pop("allergies")
            warnings.append((row["row"], "allergies", "no_health_consent", ""))
            return
        found, unknown = parse_allergies(row["allergies"], allergens)
        row["allergen_ids"] = found
        if unknown:
            row["allergy_notes"] = "、".join(unknown)
            warnings.append((row["row"], "allergies", "allergy_unmatched", row["allergy_notes"]))

    def _resolve_referrers(self, rows, warnings):
        """A referrer given by name: the one customer of the store or of the file with
        that name; none or several leave it empty, with a warning."""
        names = [row["referrer_name"] for row in rows if row.get("referrer_name")]
        if not names:
            return
        matches = {}
        for customer in self.env["res.partner"].search_fetch(
            [
                ("beauty_is_customer", "=", True),
                ("company_id", "=", self.company_id.id),
                ("name", "in", names),
            ],
            ["name", "phone_sanitized"],
        ):
            matches.setdefault(customer.name, []).append(customer.phone_sanitized)
        for row in rows:
            matches.setdefault(row["name"], []).append(row.get("phone"))
        for row in rows:
            name = row.get("referrer_name")
            if not name or row.get("referrer_phone"):
                continue
            found = matches.get(name, [])
            if len(found) == 1 and found[0]:
                row["referrer_phone"] = found[0]
            else:
                warnings.append((row["row"], "referrer_name", "referrer_unknown", name))

    def _check_against_database(self, rows):
        phones = {row["phone"] for row in rows if row.get("phone")}
        referrers = {row["referrer_phone"] for row in rows if row.get("referrer_phone")}
        existing = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("beauty_is_customer", "=", True),
                    ("company_id", "=", self.company_id.id),
                    ("phone_sanitized", "in", list(phones | referrers)),
                ],
                ["phone_sanitized", "display_name"],
            )
        )
        by_phone = {partner.phone_sanitized: partner for partner in existing}
        errors = []
        for row in rows:
            if row.get("phone") in by_phone:
                errors.append(
                    (row["row"], "phone", "duplicate_in_store", by_phone[row["phone"]].display_name)
                )
            ref = row.get("referrer_phone")
            if ref and ref not in by_phone and ref not in phones:
                errors.append((row["row"], "referrer_phone", "referrer", ref))
        return errors

    def _create_customers(self, rows):
        tags = self._tags({tag for row in rows for tag in row["tags"]})
        vals_list = [
            {
                "name": row["name"],
                "phone": row["phone"],
                "beauty_phone_backup": row.get("phone_backup"),
                "beauty_is_customer": True,
                "company_id": self.company_id.id,
                "beauty_gender": row.get("gender"),
                "beauty_birthday": row.get("birthday"),
                "beauty_birth_year": row.get("birth_year"),
                "beauty_occupation": row.get("occupation"),
                "beauty_wechat": row.get("wechat"),
                "email": row.get("email"),
                "beauty_archive_date": row.get("archive_date") or fields.Date.context_today(self),
                "comment": row.get("notes"),
                "category_id": [fields.Command.set([tags[tag].id for tag in row["tags"]])],
            }
            for row in rows
        ]
        partners = self.env["res.partner"].create(vals_list)
        by_phone = {partner.phone_sanitized: partner for partner in partners}
        missing = {
            row["referrer_phone"]
            for row in rows
            if row.get("referrer_phone") and row["referrer_phone"] not in by_phone
        }
        if missing:
            for partner in self.env["res.partner"].search(
                [
                    ("beauty_is_customer", "=", True),
                    ("company_id", "=", self.company_id.id),
                    ("phone_sanitized", "in", list(missing)),
                ]
            ):
                by_phone[partner.phone_sanitized] = partner
        for row, partner in zip(rows, partners, strict=True):
            if row.get("referrer_phone"):
                partner.beauty_referrer_id = by_phone[row["referrer_phone"]]
        self._create_profiles(rows, partners)
        return partners

    def _create_profiles(self, rows, partners):
        """Skin profiles, concerns and allergies of the imported customers, each after the
        paper consent the manager declared (the consent check of the sensitive records
        then holds as for any other entry)."""
        pairs = list(zip(rows, partners, strict=True))
        skin = [
            (row, partner)
            for row, partner in pairs
            if row.get("skin_type") or row.get("concerns") or row.get("skin_notes")
        ]
        health = [
            (row, partner)
            for row, partner in pairs
            if row.get("allergen_ids") or row.get("allergy_notes")
        ]
        consents = [
            {"partner_id": partner.id, "purpose": purpose, "channel": "paper"}
            for purpose, group in (("personal", skin), ("health", health))
            for _row, partner in group
        ]
        if not consents:
            return
        self.env["beauty.consent"].create(consents)
        self.env["beauty.skin.profile"].create(
            [
                {
                    "partner_id": partner.id,
                    "skin_type": row.get("skin_type"),
                    "notes": row.get("skin_notes"),
                }
                for row, partner in skin
                if row.get("skin_type") or row.get("skin_notes")
            ]
        )
        self.env["beauty.skin.concern"].create(
            [
                {"partner_id": partner.id, "concern_type": concern}
                for row, partner in skin
                for concern in row.get("concerns", [])
            ]
        )
        self.env["beauty.allergy"].create(
            [
                {"partner_id": partner.id, "allergen_id": allergen}
                for row, partner in health
                for allergen in row.get("allergen_ids", [])
            ]
        )
        self.env["beauty.health.profile"].create(
            [
                {
                    "partner_id": partner.id,
                    "contraindication_notes": self.env._(
                        "Allergies from the old archive: %(text)s", text=row["allergy_notes"]
                    ),
                }
                for row, partner in health
                if row.get("allergy_notes")
            ]
        )

    def _tags(self, names):
        Category = self.env["res.partner.category"]
        found = {tag.name: tag for tag in Category.search([("name", "in", list(names))])}
        new = [name for name in names if name not in found]
        for tag in Category.create([{"name": name} for name in new]):
            found[tag.name] = tag
        return found

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import customers"),
        }

    def action_open_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_customer_profile.res_partner_action_customers"
        )
        action["domain"] = [
            ("beauty_is_customer", "=", True),
            ("company_id", "=", self.company_id.id),
            ("create_date", ">=", self.create_date),
        ]
        return action

    @api.model
    def action_download_template(self):
        return {
            "type": "ir.actions.act_url",
            "url": "/beauty_customer_profile/static/import/customer_import_template.xlsx",
            "target": "download",
        }


class BeautyCustomerImportLine(models.TransientModel):
    _name = "beauty.customer.import.line"
    _description = "Import problem"
    _order = "row, id"

    wizard_id = fields.Many2one("beauty.customer.import", required=True, ondelete="cascade")
    kind = fields.Selection(
        [("error", "Error"), ("warning", "Read differently"), ("new", "To create")],
        default="error",
        required=True,
    )
    row = fields.Integer()
    column = fields.Char()
    message = fields.Char()
