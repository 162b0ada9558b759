from odoo.tests import tagged

from odoo.addons.beauty_customer_profile.tests.common import (
    AccessMatrixMixin,
    BeautyCase,
    TranslationMixin,
)


@tagged("post_install", "-at_install")
class TestAccessMatrix(AccessMatrixMixin, TranslationMixin, BeautyCase):
    matrix_addon = translated_addon = "beauty_marketing"

    def test_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "beauty_marketing")])
        self.assertEqual(module.state, "installed")
