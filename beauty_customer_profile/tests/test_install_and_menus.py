from odoo.tests import tagged

from .common import AccessMatrixMixin, BeautyCase, TranslationMixin


@tagged("post_install", "-at_install")
class TestProfileAccessMatrix(AccessMatrixMixin, TranslationMixin, BeautyCase):
    matrix_addon = translated_addon = "beauty_customer_profile"

    def test_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "beauty_customer_profile")])
        self.assertEqual(module.state, "installed")
        roles = self.env.ref("beauty_customer_profile.res_groups_privilege_beauty").group_ids
        self.assertEqual(len(roles), 4)

    def test_roles_are_nested(self):
        therapist = self.users["therapist"]
        self.assertTrue(therapist.has_group(GROUP_FRONT_DESK))
        self.assertFalse(therapist.has_group(GROUP_CLINICIAN))
        self.assertTrue(self.users["manager"].has_group(GROUP_CLINICIAN))
        self.assertFalse(self.users["front_desk"].has_group(GROUP_THERAPIST))


GROUP_FRONT_DESK = "beauty_customer_profile.beauty_customer_profile_group_front_desk"
GROUP_THERAPIST = "beauty_customer_profile.beauty_customer_profile_group_therapist"
GROUP_CLINICIAN = "beauty_customer_profile.beauty_customer_profile_group_clinician"
