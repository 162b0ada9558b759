import logging

from odoo import models

from ..tools import local_outbox

_logger = logging.getLogger(__name__)


class IrMailServer(models.Model):
    _inherit = "ir.mail_server"

    def _connect__(self, *args, **kwargs):
        if local_outbox.is_on(self.env):
            return None
        return super()._connect__(*args, **kwargs)

    def send_email(self, message, *args, **kwargs):
        if local_outbox.is_on(self.env):
            _logger.info("Local outbox: e-mail %s kept on this machine", message["Message-Id"])
            return message["Message-Id"]
        return super().send_email(message, *args, **kwargs)
