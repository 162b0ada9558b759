from odoo import models

from ..tools.crypto import mask_phone

MANAGER = "beauty_customer_profile.beauty_customer_profile_group_manager"


class Base(models.AbstractModel):
    _inherit = "base"

    def export_data(self, fields_to_export):
        """Exports reaching logged customer data through a path (``partner_id/
        beauty_allergy_ids/allergen_id`` from a booking, ``beauty_allergy_ids/severity`` from
        a customer) log the records they reached, as an export of those records would."""
        result = super().export_data(fields_to_export)
        if not self.env.su:
            self._beauty_log_export_paths(fields_to_export)
            self._beauty_mask_export(fields_to_export, result)
        return result

    def _beauty_path_target(self, path):
        """(model name, field name) an export path ends on, or None."""
        names = [name for name in path.replace(".", "/").split("/") if name]
        model = self
        for name in names[:-1]:
            field = model._fields.get(name)
            if field is None or not field.relational:
                return None
            model = self.env[field.comodel_name]
        return (model._name, names[-1]) if names else None

    def _beauty_mask_export(self, paths, result):
        """Exports carry masked phone numbers unless a manager exports, whatever model they
        start from (a booking's ``partner_id/phone``): a file of phone numbers is the
        easiest thing to walk out of a shop with."""
        if self.env.user.has_group(MANAGER):
            return
        masked = self.env["res.partner"]._beauty_masked_fields()
        columns = [
            index
            for index, path in enumerate(paths)
            if (target := self._beauty_path_target(path)) and target[1] in masked.get(target[0], ())
        ]
        for row in result.get("datas", []) if columns else ():
            for index in columns:
                row[index] = mask_phone(row[index]) or row[index]

    def _beauty_log_export_paths(self, paths):
        logged = self.env.registry["beauty.access.logged.mixin"]
        Log = self.env["beauty.access.log"]
        for path in paths:
            records = self
            names = [name for name in path.replace(".", "/").split("/") if name]
            for name in names:
                field = records._fields.get(name)
                if field is None or not field.relational:
                    break
                records = records[name]
                if isinstance(records, logged) and records:
                    Log._log(records, "export")
