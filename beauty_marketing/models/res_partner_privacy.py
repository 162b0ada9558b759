"""The personal data the marketing addon keeps about a customer, for her export and
erasure (see ``beauty_customer_profile/tools/personal_data.py``). Text messages and e-mails
sent to her are erased by the profile addon with the rest of her correspondence."""

from odoo import api, models

from odoo.addons.beauty_customer_profile.tools.personal_data import PersonalData


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _beauty_personal_data_models(self):
        return [
            *super()._beauty_personal_data_models(),
            PersonalData(
                "complaints",
                "beauty.complaint",
                fields=("name", "description", "resolution", "compensation"),
            ),
            PersonalData("consultations", "beauty.consultation", fields=("topic", "notes")),
            PersonalData("reminders", "beauty.reminder.log"),
            PersonalData("lifecycle", "beauty.lifecycle.move"),
        ]
