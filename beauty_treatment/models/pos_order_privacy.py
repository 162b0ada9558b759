from odoo import api, models

from odoo.addons.beauty_customer_profile.tools.crypto import mask_phone


class PosOrder(models.Model):
    """An order keeps the customer's number as the till had it: masked for the roles that
    see numbers masked, as on the customer herself (security/README.md, "Masking")."""

    _inherit = "pos.order"  # pylint: disable=consider-merging-classes-inherited

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if "mobile" in fnames and self.env["res.partner"]._beauty_masks_phone_display():
            for values in result:
                values["mobile"] = mask_phone(values.get("mobile")) or values.get("mobile")
        return result

    @api.model
    def _search(self, domain, *args, **kwargs):
        domain = self.env["res.partner"]._beauty_masked_domain(self, domain)
        return super()._search(domain, *args, **kwargs)

    def _read_group_groupby(self, alias, groupby_spec, query):
        self.env["res.partner"]._beauty_check_masked_groupby(self, [groupby_spec])
        return super()._read_group_groupby(alias, groupby_spec, query)
