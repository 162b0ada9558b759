import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.customer_import import LABELS, ImportFileError, check_rows, read_table


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
    state = fields.Selection(
        [("draft", "To check"), ("error", "Errors found"), ("done", "Imported")],
        default="draft",
        required=True,
    )
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
        }

    def action_import(self):
        self.ensure_one()
        file_errors = {
            "format": self.env._("Only .xlsx and .csv files can be imported."),
            "encoding": self.env._("The CSV file must be encoded in UTF-8 or GB18030."),
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
            rows, errors, warnings = check_rows(table, region, fields.Date.context_today(self))
        except ImportFileError as exc:
            raise UserError(file_errors[str(exc)]) from exc
        errors += self._check_against_database(rows)
        messages = self._messages()
        problems = [("error", problem) for problem in errors]
        if not errors:
            problems += [("warning", problem) for problem in warnings]
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
                        problems, key=lambda problem: problem[1]
                    )
                ],
            }
        )
        if errors:
            self.state = "error"
            return self._reopen()
        partners = self._create_customers(rows)
        self.write({"state": "done", "imported_count": len(partners)})
        return self._reopen()

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
        return partners

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
        [("error", "Error"), ("warning", "Read differently")], default="error", required=True
    )
    row = fields.Integer()
    column = fields.Char()
    message = fields.Char()
