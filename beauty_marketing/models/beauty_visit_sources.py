"""What keeps ``beauty.visit.stats`` true between two nights.

A record written since the last night is found by its write date; what that cannot show (a
record deleted, a record moved to another customer, customers merged) refreshes the visit
summaries of the customers concerned at once.
"""

from odoo import models

from odoo.addons.beauty_treatment.models.beauty_package_pos_order import PAID_STATES


class BeautyVisitSourceMixin(models.AbstractModel):
    _name = "beauty.visit.source.mixin"
    _description = "Source of customer visit days"

    _write_date_index = models.Index("(write_date)")

    def _beauty_counted_rows(self):
        """The rows a visit summary may hold; deleting or moving the others changes none."""
        return self

    def write(self, vals):
        before = []
        if "partner_id" in vals:
            # Only the customers the rows leave (a till re-sending an order writes the same).
            before = (
                self._beauty_counted_rows()
                .filtered(lambda row: row.partner_id.id != vals["partner_id"])
                .partner_id.ids
            )
        result = super().write(vals)
        if before:
            self.env["beauty.visit.stats"]._beauty_refresh(before)
        return result

    def unlink(self):
        partners = self._beauty_counted_rows().partner_id.ids
        result = super().unlink()
        if partners:
            self.env["beauty.visit.stats"]._beauty_refresh(partners)
        return result


class BeautyTreatmentRecord(models.Model):
    _name = "beauty.treatment.record"
    _inherit = ["beauty.treatment.record", "beauty.visit.source.mixin"]

    def _beauty_counted_rows(self):
        # A cancelled record may have been finished, and counted, before.
        return self.filtered(lambda record: record.state != "draft")


class PosOrder(models.Model):
    _name = "pos.order"
    _inherit = ["pos.order", "beauty.visit.source.mixin"]

    def _beauty_counted_rows(self):
        # Draft orders a till drops or re-sends were never counted.
        return self.filtered(lambda order: order.state in PAID_STATES)


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        # The merged customers' records now belong to the one that is left.
        left = self.env["res.partner"].browse(partner_ids).exists()
        self.env["beauty.visit.stats"]._beauty_refresh(left.ids)
        return result
