from odoo import api, models

from odoo.addons.beauty_customer_profile.tools.crypto import mask_phone

NUMBER_FIELDS = ("recipient_single_number", "recipient_single_number_itf")


class SmsComposer(models.TransientModel):
    """The composer shows the recipient's number: masked for the roles that see numbers
    masked (security/README.md, "Masking"). The message still goes to her real number: a
    masked number sent back by the form is the one shown, not a correction to save."""

    _inherit = "sms.composer"

    def _beauty_masks(self):
        return self.env["res.partner"]._beauty_masks_phone_display()

    def _read_format(self, fnames, load="_classic_read"):
        # also the path of the form's onchange values
        result = super()._read_format(fnames, load=load)
        masked = [name for name in NUMBER_FIELDS if name in fnames]
        if masked and self._beauty_masks():
            for values in result:
                for name in masked:
                    values[name] = mask_phone(values.get(name)) or values.get(name)
        return result

    @api.model
    def _beauty_drop_masked(self, vals):
        if "*" in (vals.get("recipient_single_number_itf") or ""):
            vals = dict(vals)
            del vals["recipient_single_number_itf"]
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._beauty_drop_masked(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._beauty_drop_masked(vals))
