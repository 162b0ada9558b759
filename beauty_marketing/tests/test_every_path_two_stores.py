"""Generated from the models: the paths around field groups and record rules, as every
role of a second store, a plain internal user and a plain Point of Sale user.

- every field of every sensitive model of store A: read, web_read, search, group by and
  export refused (or nothing found) for store B's staff of every role, and for the
  internal and POS users;
- dotted paths: from every model of our addons that links a customer (``partner_id``), a
  search domain through the customer into every role-reserved partner field is refused to
  every user outside that field's group;
- the customer herself: store B's staff of every role do not read or find store A's
  customer.

Lives in beauty_marketing, which depends on every other addon, so every model is there.
"""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.beauty_customer_profile.models.beauty_encrypted_fields import EncryptedMixin
from odoo.addons.beauty_customer_profile.tests.common import GROUP, ROLES, BeautyCase

TECHNICAL = {"id", "display_name", "create_uid", "create_date", "write_uid", "write_date"}


@tagged("post_install", "-at_install")
class TestEveryPathTwoStores(BeautyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.store_b = env["res.company"].create({"name": "Store B"})
        cls.outsiders = {
            f"{role} of store B": new_test_user(
                env,
                login=f"beauty_paths_{role}_b",
                groups=f"{GROUP}{role},base.group_allow_export",
                company_id=cls.store_b.id,
                company_ids=[Command.set(cls.store_b.ids)],
            )
            for role in ROLES
        }
        cls.outsiders["internal user"] = new_test_user(
            env, login="beauty_paths_plain", groups="base.group_user,base.group_allow_export"
        )
        cls.outsiders["POS user"] = new_test_user(
            env,
            login="beauty_paths_pos",
            groups="base.group_user,point_of_sale.group_pos_user,base.group_allow_export",
        )
        cls.customer = cls._customer("两店路径", beauty_family_notes="Lives with her mother")
        cls.records = cls._sensitive_records(cls.customer)

    def _sensitive_models(self):
        mixin = self.env.registry["beauty.sensitive.mixin"]
        return sorted(
            name
            for name, model in self.env.registry.items()
            if not model._abstract and issubclass(model, mixin) and name in self.records
        )

    def _customer_models(self):
        """Models of our addons with a ``partner_id`` to the customer."""
        names = set()
        for name, model in self.env.registry.items():
            field = model._fields.get("partner_id")
            if (
                not model._abstract
                and not model._transient
                and name.startswith("beauty.")
                and field is not None
                and field.type == "many2one"
                and field.comodel_name == "res.partner"
                and field.store
            ):
                names.add(name)
        return sorted(names)

    def test_sensitive_fields_of_another_store(self):
        for model_name in self._sensitive_models():
            record = self.records[model_name]
            for who, user in self.outsiders.items():
                mine = record.with_user(user)
                Model = self.env[model_name].with_user(user)
                with self.subTest(model=model_name, user=who):
                    for path in (
                        lambda m=mine: m.read(["partner_id"]),
                        lambda m=mine: m.web_read({"partner_id": {}}),
                        lambda m=mine: m.export_data(["partner_id"]),
                    ):
                        with self.assertRaises(AccessError):
                            path()
                    if Model.has_access("read"):
                        # Record rules filter: nothing of store A is found or counted.
                        self.assertFalse(Model.search([("partner_id", "=", self.customer.id)]))
                        self.assertFalse(
                            Model._read_group(
                                [("partner_id", "=", self.customer.id)], [], ["__count"]
                            )[0][0]
                        )
                    for fname, field in record._fields.items():
                        if fname in TECHNICAL or not field.store or field.type == "binary":
                            continue
                        if isinstance(field, EncryptedMixin):
                            continue  # never searchable, by anyone (test_encryption)
                        with self.subTest(field=fname):
                            if not Model.has_access("read") or (
                                field.groups and not user.has_groups(field.groups)
                            ):
                                with self.assertRaises(AccessError):
                                    Model.search([(fname, "!=", False)])
                            else:
                                self.assertFalse(
                                    Model.search([("id", "=", record.id), (fname, "!=", False)])
                                )

    def test_customer_of_another_store(self):
        for who, user in self.outsiders.items():
            if who in ("internal user", "POS user"):
                continue  # contacts are shared; the archive fields are tested below
            with self.subTest(user=who):
                Partner = self.env["res.partner"].with_user(user)
                self.assertFalse(Partner.search([("id", "=", self.customer.id)]))
                with self.assertRaises(AccessError):
                    self.customer.with_user(user).read(["name"])

    def test_dotted_paths_from_every_model_that_links_a_customer(self):
        Partner = self.env["res.partner"]
        reserved = {
            fname: field.groups
            for fname, field in Partner._fields.items()
            if fname.startswith("beauty_") and field.groups and field.groups != "base.group_system"
        }
        self.assertIn("beauty_allergy_ids", reserved)
        self.assertIn("beauty_family_notes", reserved)
        users = {**self.outsiders, **{role: self.users[role] for role in ROLES}}
        checked = 0
        for model_name in self._customer_models():
            for who, user in users.items():
                Model = self.env[model_name].with_user(user)
                if not Model.has_access("read"):
                    continue
                for fname, groups in reserved.items():
                    if user.has_groups(groups):
                        continue
                    with self.subTest(model=model_name, user=who, path=f"partner_id.{fname}"):
                        with self.assertRaises(AccessError):
                            Model.search([(f"partner_id.{fname}", "!=", False)], limit=1)
                        checked += 1
        self.assertGreater(checked, 100)
