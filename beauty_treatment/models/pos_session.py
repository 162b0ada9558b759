from odoo import api, models


class PosSession(models.Model):
    _inherit = "pos.session"

    @api.model
    def _load_pos_data_models(self, config):
        models_ = super()._load_pos_data_models(config)
        return models_ + [
            model
            for model in ("beauty.package.card.line", "hr.employee.public")
            if model not in models_
        ]
