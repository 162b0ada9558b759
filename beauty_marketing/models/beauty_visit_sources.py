"""What keeps ``beauty.visit.stats`` true between two nights.

A record written since the last night is found by its write date; what that cannot show (a
record deleted, a record moved to another customer, customers merged) refreshes the visit
days of the customers concerned at once.
"""

from odoo import models


class BeautyVisitSourceMixin(models.AbstractModel):
    _name = "beauty.visit.source.mixin"
    _description = "Source of customer visit days"

    _write_date_index = models.Index("(write_date)")

    def write(self, vals):
        before = []
        if "partner_id" in vals:
            # Only the customers the rows leave (a till re-sending an order writes the same).
            before = self.filtered(
                lambda row: row.partner_id.id != vals["partner_id"]
            ).partner_id.ids
        result = super().write(vals)
        if before:
            self.env["beauty.visit.stats"]._beauty_refresh(before)
        return result

    def unlink(self):
        partners = self.partner_id.ids
        result = super().unlink()
        self.env["beauty.visit.stats"]._beauty_refresh(partners)
        return result


class BeautyTreatmentRecord(models.Model):
    _name = "beauty.treatment.record"
    _inherit = ["beauty.treatment.record", "beauty.visit.source.mixin"]


class PosOrder(models.Model):
    _name = "pos.order"
    _inherit = ["pos.order", "beauty.visit.source.mixin"]


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        # The merged customers' records now belong to the one that is left.
        left = self.env["res.partner"].browse(partner_ids).exists()
        self.env["beauty.visit.stats"]._beauty_refresh(left.ids)
        return result
