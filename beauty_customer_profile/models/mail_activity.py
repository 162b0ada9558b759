from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """Completing an archive review (or full update) activity dates the customer's archive."""
        review = self.env.ref(
            "beauty_customer_profile.mail_activity_type_archive_review", raise_if_not_found=False
        )
        full = self.env.ref(
            "beauty_customer_profile.mail_activity_type_archive_full_update",
            raise_if_not_found=False,
        )
        today = fields.Date.context_today(self)
        on_partners = self.filtered(lambda a: a.res_model == "res.partner")
        reviewed = on_partners.filtered(lambda a: a.activity_type_id in (review | full))
        updated = on_partners.filtered(lambda a: a.activity_type_id == full)
        partners = self.env["res.partner"]
        if reviewed:
            partners.browse(reviewed.mapped("res_id")).write({"beauty_last_review_date": today})
        if updated:
            partners.browse(updated.mapped("res_id")).write({"beauty_last_full_update_date": today})
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
