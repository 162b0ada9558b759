"""``odoo beauty_rotate_key``: re-encrypt the customer archive with the newest key.

Usage, after putting the new key first in ``beauty_encryption_keys`` (server configuration)
or ``BEAUTY_ENCRYPTION_KEYS`` (environment) and keeping the old one after it::

    python3 -m odoo --addons-path=... beauty_rotate_key -c odoo.conf -d DATABASE

Each batch is committed, so an interrupted rotation can simply be run again. When it is done,
the old key can be removed from the configuration.
"""

import logging
import sys

from odoo import api
from odoo.cli.command import Command
from odoo.modules.registry import Registry
from odoo.tools import config

_logger = logging.getLogger(__name__)


class BeautyRotateKey(Command):
    """Re-encrypt the sensitive data of the customer archive with the newest key."""

    name = "beauty_rotate_key"

    def run(self, args):
        config.parser.prog = self.prog
        config.parse_config(args, setup_logging=True)
        if len(config["db_name"]) != 1:
            sys.exit("Give the one database to re-encrypt with -d DATABASE.")
        registry = Registry(config["db_name"][0])
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})

            def commit(done):
                # A command-line batch job, not a request: each batch is made durable.
                cr.commit()  # pylint: disable=invalid-commit
                _logger.info("re-encrypted %s records", done)

            total = env["beauty.encrypted.mixin"]._beauty_rotate_keys(on_batch=commit)
            cr.commit()  # pylint: disable=invalid-commit
        _logger.info("rotation done: %s records re-encrypted with the newest key", total)
