from odoo import api, fields, models


class BeautySkinPhoto(models.Model):
    _inherit = "beauty.skin.photo"

    treatment_record_id = fields.Many2one(
        "beauty.treatment.record", ondelete="set null", index="btree_not_null"
    )

    @api.model_create_multi
    def create(self, vals_list):
        records = self.env["beauty.treatment.record"].browse(
            [vals["treatment_record_id"] for vals in vals_list if vals.get("treatment_record_id")]
        )
        partner_of = {record.id: record.partner_id.id for record in records}
        for vals in vals_list:
            if vals.get("treatment_record_id") and not vals.get("partner_id"):
                vals["partner_id"] = partner_of[vals["treatment_record_id"]]
        return super().create(vals_list)
