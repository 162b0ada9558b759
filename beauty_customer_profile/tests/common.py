"""Shared fixtures for the beauty addons' tests: one user per role, customers with
consents, and the access-matrix runner every addon uses."""

import csv
import os
import pathlib
import threading
import time
from unittest.mock import patch

import polib

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import TransactionCase, get_db_name, new_test_user
from odoo.tools import file_open, mute_logger
from odoo.tools.safe_eval import safe_eval
from odoo.tools.translate import TranslationModuleReader

from ..tools.crypto import ENV_VAR, generate_key

ROLES = ("front_desk", "therapist", "clinician", "manager")
GROUP = "beauty_customer_profile.beauty_customer_profile_group_"
TEST_KEY = generate_key()
MATRIX = pathlib.Path(__file__).resolve().parent / "access_matrix.csv"


def matrix_rows(addon):
    """The rows of security/access_matrix.csv that belong to ``addon``."""
    with MATRIX.open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["addon"] == addon]


class BeautyCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env["beauty.encrypted.mixin"]._beauty_raw_keys():
            # The server normally gets its key from its configuration; tests bring their own.
            cls.startClassPatcher(patch.dict(os.environ, {ENV_VAR: TEST_KEY}))
        cls.company = cls.env.company
        cls.company.country_id = cls.env.ref("base.cn")
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"beauty_test_{role}",
                # Export is granted so that the export path itself is put to the test.
                groups=f"{GROUP}{role},base.group_allow_export",
                name=f"Test {role}",
                tz="Asia/Shanghai",
            )
            for role in ROLES
        }
        cls.phone_seq = iter(range(10000000, 99999999, 7919))

    @classmethod
    def _next_phone(cls):
        return f"+86 138 {next(cls.phone_seq):08d}"

    @classmethod
    def _customer(cls, name="王丽", consents=("personal", "health", "photo"), **vals):
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "phone": vals.pop("phone", None) or cls._next_phone(),
                "beauty_is_customer": True,
                "company_id": cls.company.id,
                **vals,
            }
        )
        cls.env["beauty.consent"].create(
            [{"partner_id": partner.id, "purpose": purpose} for purpose in consents]
        )
        return partner

    @classmethod
    def _sensitive_records(cls, partner):
        """Create one record of every sensitive model for ``partner`` (as superuser)."""
        env = cls.env
        return {
            "beauty.health.profile": env["beauty.health.profile"].create(
                {
                    "partner_id": partner.id,
                    "chronic_conditions": "Hypothyroidism",
                    "medication": "Levothyroxine",
                    "pregnancy_status": "breastfeeding",
                    "menstrual_notes": "Irregular",
                    "implants_fillers": "Hyaluronic acid, lips, 2025",
                    "contraindication_notes": "No IPL",
                    "contraindication_ids": [
                        (4, env.ref("beauty_customer_profile.beauty_contraindication_keloid").id)
                    ],
                }
            ),
            "beauty.allergy": env["beauty.allergy"].create(
                {
                    "partner_id": partner.id,
                    "allergen_id": env.ref("beauty_customer_profile.beauty_allergen_latex").id,
                    "severity": "severe",
                }
            ),
            "beauty.past.treatment": env["beauty.past.treatment"].create(
                {"partner_id": partner.id, "name": "Botulinum toxin", "kind": "medical_aesthetic"}
            ),
            "beauty.home.product": env["beauty.home.product"].create(
                {"partner_id": partner.id, "brand": "Winona"}
            ),
            "beauty.skin.profile": env["beauty.skin.profile"].create(
                {"partner_id": partner.id, "skin_type": "sensitive"}
            ),
            "beauty.skin.concern": env["beauty.skin.concern"].create(
                {"partner_id": partner.id, "concern_type": "acne", "severity": "3"}
            ),
            "beauty.skin.assessment": env["beauty.skin.assessment"].create(
                {"partner_id": partner.id, "skin_type": "sensitive", "hydration": 40}
            ),
            "beauty.lifestyle": env["beauty.lifestyle"].create(
                {"partner_id": partner.id, "smoking": "daily", "stress": "high"}
            ),
        }


class AccessMatrixMixin:
    """Checks every row of security/access_matrix.csv for one addon, as each role.

    Mix it before BeautyCase into a test class that sets ``matrix_addon``; the rows say for every role whether a menu is visible,
    an action opens, a model operation is allowed, or a field can be read by every path.
    """

    matrix_addon = None
    # Odoo's loader only runs test methods defined on the class itself unless told so.
    allow_inherited_tests_method = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rows = matrix_rows(cls.matrix_addon)
        cls.matrix_customer = cls._customer("矩阵测试")
        cls.matrix_records = cls._sensitive_records(cls.matrix_customer)
        cls.matrix_records["res.partner"] = cls.matrix_customer

    def _allowed(self, row, role):
        self.assertIn(row[role], ("yes", "no"), f"bad matrix cell {row}")
        return row[role] == "yes"

    def test_matrix_has_rows(self):
        self.assertTrue(self.rows, f"no access matrix rows for {self.matrix_addon}")

    def test_menus(self):
        for row in (r for r in self.rows if r["kind"] == "menu"):
            menu = self.env.ref(row["subject"])
            for role, user in self.users.items():
                with self.subTest(menu=row["subject"], role=role):
                    visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
                    # A menu shows only when it and every menu above it are visible.
                    chain = [int(part) for part in menu.parent_path.split("/") if part]
                    self.assertEqual(
                        all(menu_id in visible for menu_id in chain), self._allowed(row, role)
                    )

    def test_actions(self):
        for row in (r for r in self.rows if r["kind"] == "action"):
            for role, user in self.users.items():
                with self.subTest(action=row["subject"], role=role):
                    env = self.env(user=user)
                    action = env["ir.actions.actions"]._for_xml_id(row["subject"])
                    model = env[action["res_model"]]
                    domain = safe_eval(action.get("domain") or "[]", {"uid": user.id})
                    if self._allowed(row, role):
                        result = model.web_search_read(domain, {"display_name": {}}, limit=5)
                        self.assertIn("records", result)
                    else:
                        with self.assertRaises(AccessError):
                            model.web_search_read(domain, {"display_name": {}}, limit=5)

    def test_models(self):
        for row in (r for r in self.rows if r["kind"] == "model"):
            for role, user in self.users.items():
                with self.subTest(model=row["subject"], action=row["action"], role=role):
                    model = self.env[row["subject"]].with_user(user)
                    self.assertEqual(model.has_access(row["action"]), self._allowed(row, role))
                    if row["action"] == "read" and not self._allowed(row, role):
                        with self.assertRaises(AccessError):
                            model.search([], limit=1)
                        with self.assertRaises(AccessError):
                            model._read_group([], ["create_uid"], ["__count"])

    def test_fields(self):
        for row in (r for r in self.rows if r["kind"] == "field"):
            model_name, fname = row["subject"].rsplit(".", 1)
            record = self.matrix_records[model_name]
            field = record._fields[fname]
            for role, user in self.users.items():
                with self.subTest(field=row["subject"], role=role):
                    mine = record.with_user(user)
                    if self._allowed(row, role):
                        self.assertTrue(mine.read([fname]))
                        self.assertTrue(mine.export_data([fname])["datas"])
                        mine.web_read({fname: {}})
                        if field.store or field.search:  # encrypted text is not searchable
                            mine.search([(fname, "!=", False)])
                        continue
                    # Every path must refuse: read, web_read, search, group by, export.
                    with self.assertRaises(AccessError):
                        mine.read([fname])
                    with self.assertRaises(AccessError):
                        mine.web_read({fname: {}})
                    with self.assertRaises(AccessError):
                        mine.search([(fname, "!=", False)])
                    with self.assertRaises(AccessError):
                        mine.export_data([fname])
                    if field.store and field.type not in ("one2many", "many2many", "text"):
                        with self.assertRaises(AccessError):
                            mine._read_group([], [fname], ["__count"])


class TranslationMixin:
    """Every translatable term of ``translated_addon`` has a zh_CN translation shipped."""

    translated_addon = None
    allow_inherited_tests_method = True

    def test_zh_cn_translation_is_complete(self):
        addon = self.translated_addon
        reader = TranslationModuleReader(self.env.cr, modules=[addon])
        terms, located = set(), set()
        for module, kind, name, res_id, source, _value, _comments in reader:
            if module != addon:
                continue
            terms.add(source)
            if kind in ("model", "model_terms"):
                # Terms of records (menus, actions, views, fields) are loaded by the record
                # they belong to: the translation must name that record, not only the text.
                located.add((f"{kind}:{name}:{res_id}", source))
        self.assertTrue(terms, f"{addon} exports no term at all")
        with file_open(f"{addon}/i18n/zh_CN.po", "rb") as handle:
            catalogue = polib.pofile(handle.read().decode())
        entries = [
            entry
            for entry in catalogue
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
        ]
        missing = sorted(terms - {entry.msgid for entry in entries})
        self.assertFalse(
            missing,
            f"{len(missing)} terms of {addon} have no zh_CN translation "
            f"(run scripts/i18n-update and translate): {missing[:10]}",
        )
        unlocated = sorted(
            located
            - {(where, entry.msgid) for entry in entries for where, _line in entry.occurrences}
        )
        self.assertFalse(
            unlocated,
            f"{len(unlocated)} record terms of {addon} are translated only elsewhere, so the "
            f"record stays untranslated (run scripts/i18n-update): {unlocated[:5]}",
        )


class ConcurrentTillsMixin:
    """Real concurrency for tests: each till works in its own transaction on its own
    database cursor, all tills start at the same moment, and a job is retried on a
    serialization failure, a deadlock or a lock timeout as Odoo retries an RPC.

    Mix it before ``odoo.tests.BaseCase`` (not a TransactionCase: the tills must see each
    other's commits). Fixtures are committed: implement ``_till_fixtures(env)`` (returns a
    dict of ids kept in ``cls.ids``) and ``_till_cleanup(env)`` that deletes them again.
    """

    tills = 2
    till_uid = SUPERUSER_ID

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            cls.ids = cls._till_fixtures(api.Environment(cr, SUPERUSER_ID, {}))
        cls.till_envs = []
        cls.addClassCleanup(cls._till_teardown)
        for _till in range(cls.tills):
            cr = cls.registry.cursor()
            cls.till_envs.append(api.Environment(cr, cls.till_uid, {}))

    @classmethod
    def _till_fixtures(cls, env):
        return {}

    @classmethod
    def _till_cleanup(cls, env):
        """Delete what ``_till_fixtures`` and the tills committed."""

    @classmethod
    def _till_teardown(cls):
        for env in cls.till_envs:
            env.cr.close()
        with cls.registry.cursor() as cr:
            cls._till_cleanup(api.Environment(cr, SUPERUSER_ID, {}))

    def run_tills(self, job, jobs_per_till=1, retries=100, timeout=120):
        """Run ``job(env, till, number)`` ``jobs_per_till`` times on every till at once,
        each run in its own transaction: committed when it returns, rolled back and
        retried on a concurrency error, rolled back on a UserError or ValidationError.
        Returns one result per run: True (committed), False (refused) or None (gave up
        after ``retries`` attempts), in the order the runs ended."""
        barrier = threading.Barrier(len(self.till_envs))
        results = []
        self.till_errors = []  # the messages of the refusals, in order

        def till(env, index):
            barrier.wait()
            for number in range(jobs_per_till):
                for _attempt in range(retries):
                    env.invalidate_all()
                    try:
                        job(env, index, number)
                        env.cr.commit()
                        results.append(True)
                        break
                    except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                        env.cr.rollback()
                        time.sleep(0.01)
                    except (UserError, ValidationError) as error:
                        env.cr.rollback()
                        self.till_errors.append(str(error))
                        results.append(False)
                        break
                else:
                    env.cr.rollback()
                    results.append(None)

        threads = [
            threading.Thread(target=till, args=(env, index))
            for index, env in enumerate(self.till_envs)
        ]
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=timeout)
        self.assertFalse(any(thread.is_alive() for thread in threads), "a till never finished")
        return results
