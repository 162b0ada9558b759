"""Generated from the models and security/access_matrix.csv: every field of every sensitive
model, through every read path, as every role."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ROLES, BeautyCase, matrix_rows
from .test_consent_gate import PIXEL

TECHNICAL = {"id", "display_name", "create_uid", "create_date", "write_uid", "write_date"}


@tagged("post_install", "-at_install")
class TestEverySensitiveField(BeautyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("全字段")
        cls.records = cls._sensitive_records(cls.customer)
        cls.records["beauty.skin.photo"] = cls.env["beauty.skin.photo"].create(
            {"partner_id": cls.customer.id, "image_1920": PIXEL}
        )
        rows = [row for addon in cls._addons() for row in matrix_rows(addon)]
        cls.model_read = {
            row["subject"]: row
            for row in rows
            if row["kind"] == "model" and row["action"] == "read"
        }
        cls.field_rows = {row["subject"]: row for row in rows if row["kind"] == "field"}

    @classmethod
    def _addons(cls):
        return (
            cls.env["ir.module.module"]
            .search([("name", "like", "beauty_"), ("state", "=", "installed")])
            .mapped("name")
        )

    def _sensitive_models(self):
        mixin = self.env.registry["beauty.sensitive.mixin"]
        return sorted(
            name
            for name, model in self.env.registry.items()
            if not model._abstract and issubclass(model, mixin)
        )

    def _expected(self, model_name, fname, role):
        allowed = self.model_read[model_name][role] == "yes"
        row = self.field_rows.get(f"{model_name}.{fname}")
        return allowed and (row is None or row[role] == "yes")

    def _record(self, model_name):
        if model_name not in self.records:
            self.records[model_name] = self.env[model_name].search(
                [("partner_id", "=", self.customer.id)], limit=1
            )
        return self.records[model_name]

    def test_matrix_covers_every_sensitive_model_and_restricted_field(self):
        models = self._sensitive_models()
        self.assertGreaterEqual(len(models), 9)
        for model_name in models:
            with self.subTest(model=model_name):
                self.assertIn(model_name, self.model_read, "no 'model,read' row in the matrix")
                for fname, field in self.env[model_name]._fields.items():
                    if field.groups and not fname.endswith(("_enc", "_hash")):
                        self.assertIn(
                            f"{model_name}.{fname}",
                            self.field_rows,
                            "a field restricted by groups must have its own matrix row",
                        )

    def test_every_path_as_every_role(self):
        for model_name in self._sensitive_models():
            record = self._record(model_name)
            for fname, field in record._fields.items():
                if fname in TECHNICAL:
                    continue
                for role in ROLES:
                    allowed = self._expected(model_name, fname, role) and not fname.endswith(
                        ("_enc", "_hash")
                    )
                    mine = record.with_user(self.users[role])
                    with self.subTest(model=model_name, field=fname, role=role):
                        self._walk(mine, field, allowed)

    def _walk(self, mine, field, allowed):
        fname = field.name
        paths = [
            lambda: mine.read([fname]),
            lambda: mine.web_read({fname: {}}),
            lambda: mine.web_search_read([("id", "=", mine.id)], {fname: {}}),
            lambda: mine.export_data([fname]),
        ]
        if field.store or field.search:
            paths.append(lambda: mine.search([(fname, "!=", False)]))
        if field.store and field.type not in ("one2many", "many2many", "text", "binary"):
            groupby = f"{fname}:month" if field.type in ("date", "datetime") else fname
            paths.append(lambda: mine._read_group([], [groupby], ["__count"]))
        for path in paths:
            if allowed:
                path()
            else:
                with self.assertRaises(AccessError):
                    path()
