from odoo import api, fields, models
from odoo.fields import Domain


class HrEmployeePublic(models.Model):
    _name = "hr.employee.public"
    _inherit = ["hr.employee.public", "pos.load.mixin"]

    # Staff without HR rights read employees through this view: booking forms filter on it.
    beauty_is_therapist = fields.Boolean(string="Therapist", readonly=True)

    # -- Point of Sale --------------------------------------------------------------------
    # The therapists a till may set on an order line. They are not cashiers: they go to the
    # till as public employees (name only), never into the employees a cashier logs in as.
    @api.model
    def _load_pos_data_domain(self, data, config):
        return Domain("beauty_is_therapist", "=", True) & Domain(
            "company_id", "in", [config.company_id.id, False]
        )

    @api.model
    def _load_pos_data_fields(self, config):
        return ["id", "name"]

    @api.model
    def _server_date_to_domain(self, domain):
        # The view has no write_date of its own: a reloading till takes the therapists again.
        return domain
