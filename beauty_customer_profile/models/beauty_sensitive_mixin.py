from odoo import api, fields, models
from odoo.exceptions import ValidationError


class BeautySensitiveMixin(models.AbstractModel):
    """Base of every record holding a customer's sensitive data.

    Such data never sits on res.partner: it lives in records of models inheriting this
    mixin, reachable only through their own access rights and record rules. Creating or
    changing one needs the customer's valid consent for the purpose the model declares.
    """

    _name = "beauty.sensitive.mixin"
    _inherit = ["beauty.access.logged.mixin"]
    _description = "Sensitive customer data"
    _beauty_consent_purpose = "health"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("beauty_is_customer", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company", string="Store", related="partner_id.company_id", store=True, index=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        partner_ids = {vals.get("partner_id") for vals in vals_list}
        self._check_beauty_consent(self.env["res.partner"].browse(partner_ids - {None, False}))
        records = super().create(vals_list)
        self.env["beauty.access.log"]._log(records, "create")
        return records

    def write(self, vals):
        partners = self.partner_id
        if vals.get("partner_id"):
            partners |= self.env["res.partner"].browse(vals["partner_id"])
        self._check_beauty_consent(partners)
        self.env["beauty.access.log"]._log(self, "write")
        return super().write(vals)

    @api.model
    def _check_beauty_consent(self, partners):
        """Refuse processing sensitive data of customers without the matching consent.

        Checked before anything is written, so a refused change leaves no trace.
        """
        purpose = self._beauty_consent_purpose
        if not partners:
            return
        allowed = partners._beauty_partners_with_consent(purpose)
        missing = partners - allowed
        if missing:
            label = dict(
                self.env["beauty.consent"]._fields["purpose"]._description_selection(self.env)
            )[purpose]
            raise ValidationError(
                self.env._(
                    "%(customers)s has no valid consent for “%(purpose)s”. Record the "
                    "customer's signed consent before saving %(section)s.",
                    customers=", ".join(missing.mapped("display_name")),
                    purpose=label,
                    section=self._description,
                )
            )
