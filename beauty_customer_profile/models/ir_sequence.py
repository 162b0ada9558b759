from odoo import api, models


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    @api.model
    def _beauty_customer_sequence(self, company):
        """The customer-number sequence of one store, created on first use."""
        sequence = self.search(
            [("code", "=", "beauty.customer"), ("company_id", "=", company.id)], limit=1
        )
        if not sequence:
            sequence = self.create(
                {
                    "name": self.env._("Customer numbers of %s", company.name),
                    "code": "beauty.customer",
                    "company_id": company.id,
                    "prefix": f"C{company.id:02d}-",
                    "padding": 5,
                    "implementation": "no_gap",
                }
            )
        return sequence
