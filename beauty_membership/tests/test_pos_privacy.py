from odoo.tests import tagged

from odoo.addons.beauty_customer_profile.tests.common import BeautyCase


@tagged("post_install", "-at_install")
class TestPosDataPrivacy(BeautyCase):
    """What the Point of Sale downloads never carries a sensitive field or record."""

    def test_pos_loads_no_sensitive_data(self):
        config = self.env["pos.config"].search([], limit=1) or self.env["pos.config"].create(
            {"name": "Privacy till"}
        )
        session_model = self.env["pos.session"]
        models = session_model._load_pos_data_models(config)
        mixin = self.env.registry["beauty.sensitive.mixin"]
        sensitive_models = {
            name
            for name, model in self.env.registry.items()
            if not model._abstract and issubclass(model, mixin)
        }
        self.assertFalse(sensitive_models & set(models), "a sensitive model is sent to the POS")
        self.assertIn("res.partner", models)
        for model_name in models:
            model = self.env[model_name]
            for fname in model._load_pos_data_fields(config):
                field = model._fields.get(fname)
                if field is None:
                    continue
                with self.subTest(model=model_name, field=fname):
                    self.assertNotIn(field.comodel_name, sensitive_models)
                    self.assertFalse(
                        field.groups and "beauty_customer_profile" in field.groups,
                        "a field reserved to a salon role is sent to every till",
                    )
                    self.assertFalse(fname.endswith(("_enc", "_hash")))
