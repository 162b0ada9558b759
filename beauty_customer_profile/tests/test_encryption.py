import os
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from ..tools.crypto import ENV_VAR, generate_key
from .common import BeautyCase

MEDICATION = "SECRET-MEDICATION-7731"
RESULT = "SECRET-RESULT-5519"
ID_NUMBER = "31010119900101123X"


@tagged("post_install", "-at_install")
class TestEncryption(BeautyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key = cls.env["beauty.encrypted.mixin"]._beauty_raw_keys()
        cls.customer = cls._customer("加密测试")
        cls.profile = cls.env["beauty.health.profile"].create(
            {"partner_id": cls.customer.id, "medication": MEDICATION}
        )
        cls.past = cls.env["beauty.past.treatment"].create(
            {"partner_id": cls.customer.id, "name": "Laser", "result": RESULT}
        )
        cls.customer.beauty_id_number = ID_NUMBER

    def _keys(self, raw):
        return patch.dict(os.environ, {ENV_VAR: raw})

    def _stored(self, record, column):
        """The value in the database column, as a stolen backup would show it."""
        record.env.flush_all()
        return self.env.execute_query(
            SQL(
                "SELECT %s FROM %s WHERE id = %s",
                SQL.identifier(column),
                SQL.identifier(record._table),
                record.id,
            )
        )[0][0]

    def _fresh(self, record, user="clinician"):
        self.env.invalidate_all()
        return record.with_user(self.users[user])

    def test_database_holds_no_plaintext(self):
        self.env.flush_all()
        columns = self.env.execute_query(
            SQL(
                """SELECT c.table_name, c.column_name FROM information_schema.columns c
                     JOIN information_schema.tables t
                       ON t.table_name = c.table_name AND t.table_schema = c.table_schema
                    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                      AND c.data_type IN ('text', 'character varying', 'jsonb')"""
            )
        )
        self.assertGreater(len(columns), 500, "the whole database is scanned")
        for secret in (MEDICATION, RESULT, ID_NUMBER):
            leaks = [
                f"{table}.{column}"
                for table, column in columns
                if self.env.execute_query(
                    SQL(
                        "SELECT 1 FROM %s WHERE %s::text LIKE %s LIMIT 1",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        f"%{secret}%",
                    )
                )
            ]
            self.assertEqual(leaks, [], f"{secret} found in plain text")

    def test_columns_hold_tokens(self):
        token = self._stored(self.profile, "medication")
        self.assertTrue(token.startswith("bx1:"), "the field's own column holds the ciphertext")
        self.assertTrue(self._stored(self.past, "result").startswith("bx1:"))
        self.assertTrue(self._stored(self.customer, "beauty_id_number").startswith("bx1:"))
        self.assertFalse(self._stored(self.profile, "chronic_conditions"), "empty stays empty")

    def test_content_cannot_be_searched_sorted_or_grouped(self):
        Profile = self.env["beauty.health.profile"].with_user(self.users["clinician"])
        for path in (
            lambda: Profile.search([("medication", "ilike", "SECRET")]),
            lambda: Profile.search([], order="medication"),
            lambda: Profile._read_group([], ["medication"], ["__count"]),
            lambda: Profile._read_group([], [], ["medication:count_distinct"]),
            lambda: (
                self.env["res.partner"]
                .with_user(self.users["clinician"])
                .search([("beauty_id_number", "ilike", "3101")])
            ),
        ):
            with self.assertRaisesRegex(UserError, "is encrypted"):
                path()
        self.assertEqual(
            Profile.search([("medication", "!=", False), ("id", "=", self.profile.id)]),
            self.profile,
            "whether a value is set can be searched",
        )
        self.assertFalse(
            Profile.search([("chronic_conditions", "!=", False), ("id", "=", self.profile.id)])
        )
        described = Profile.fields_get(["medication"], ["searchable", "sortable", "groupable"])
        self.assertEqual(
            described["medication"],
            {"searchable": False, "sortable": False, "groupable": False},
            "the web client offers no filter, sort or group on encrypted content",
        )

    def test_damaged_value_is_unavailable(self):
        token = self._stored(self.profile, "medication")
        self.env.cr.execute(
            SQL(
                "UPDATE beauty_health_profile SET medication = %s WHERE id = %s",
                token[:-6] + "AAAAAA",
                self.profile.id,
            )
        )
        with self.assertLogs(
            "odoo.addons.beauty_customer_profile.models.beauty_encrypted_mixin", "WARNING"
        ):
            self.assertIn("cannot be decrypted", self._fresh(self.profile).medication)

    def test_roles_read_decrypted_or_masked(self):
        self.assertEqual(self._fresh(self.profile).medication, MEDICATION)
        self.assertEqual(self._fresh(self.past).result, RESULT)
        self.assertEqual(self._fresh(self.customer).beauty_id_number, ID_NUMBER)
        front = self._fresh(self.customer, "front_desk")
        self.assertEqual(front.beauty_id_number_masked, "3101**********123X")
        found = (
            self.env["res.partner"]
            .with_user(self.users["clinician"])
            .search([("beauty_id_number", "=", " 31010119900101123x ")])
        )
        self.assertEqual(found, self.customer, "exact lookup through the keyed hash")

    def test_exact_lookup_finds_archived_customers(self):
        self.customer.action_archive()
        Partner = self.env["res.partner"].with_user(self.users["clinician"])
        self.assertEqual(
            Partner.with_context(active_test=False).search([("beauty_id_number", "=", ID_NUMBER)]),
            self.customer,
        )
        self.assertNotIn(
            self.customer,
            Partner.with_context(active_test=False).search(
                [("beauty_id_number", "!=", ID_NUMBER), ("id", "=", self.customer.id)]
            ),
        )
        self.assertFalse(Partner.search([("beauty_id_number", "=", ID_NUMBER)]))

    def test_rotation(self):
        new_key = generate_key()
        before = self._stored(self.profile, "medication")
        with self._keys(f"{new_key},{self.key}"):
            done = self.env["beauty.encrypted.mixin"]._beauty_rotate_keys(batch_size=1)
        self.assertGreaterEqual(done, 3)
        self.assertNotEqual(self._stored(self.profile, "medication"), before)
        with self._keys(new_key):  # the old key is gone
            self.assertEqual(self._fresh(self.profile).medication, MEDICATION)
            self.assertEqual(self._fresh(self.customer).beauty_id_number, ID_NUMBER)
            found = self.env["res.partner"].search([("beauty_id_number", "=", ID_NUMBER)])
            self.assertEqual(found, self.customer, "lookup hashes follow the new key")
        with self._keys(self.key):  # only the old key: refused, not silently wrong
            self.assertIn("Unavailable", self._fresh(self.profile).medication)

    def test_rotation_passes_a_damaged_value(self):
        damaged = self._stored(self.profile, "medication")[:-6] + "AAAAAA"
        self.env.cr.execute(
            SQL(
                "UPDATE beauty_health_profile SET medication = %s WHERE id = %s",
                damaged,
                self.profile.id,
            )
        )
        other = self.env["beauty.health.profile"].create(
            {"partner_id": self._customer("加密测试二").id, "chronic_conditions": "Asthma"}
        )
        new_key = generate_key()
        with (
            self._keys(f"{new_key},{self.key}"),
            self.assertLogs(
                "odoo.addons.beauty_customer_profile.models.beauty_encrypted_mixin", "WARNING"
            ) as logs,
        ):
            self.env["beauty.encrypted.mixin"]._beauty_rotate_keys()
        self.assertIn(f"beauty.health.profile({self.profile.id}).medication", logs.output[0])
        self.assertNotIn(damaged, "".join(logs.output), "no ciphertext in the log")
        self.assertEqual(self._stored(self.profile, "medication"), damaged, "left as it is")
        with self._keys(new_key):  # everything else was re-encrypted
            self.assertEqual(self._fresh(self.past).result, RESULT)
            self.assertEqual(self._fresh(self.customer).beauty_id_number, ID_NUMBER)
            self.assertEqual(self._fresh(other).chronic_conditions, "Asthma")
            self.assertFalse(self._fresh(other).medication)

    def test_missing_key(self):
        stored = self._stored(self.profile, "medication")
        with self._keys(""):
            value = self._fresh(self.profile).medication
            self.assertIn("no encryption key", value)
            with self.assertRaisesRegex(UserError, "no encryption key"):
                self._fresh(self.profile).write({"medication": "Overwritten"})
            self.assertFalse(self._fresh(self.customer, "front_desk").beauty_id_number_masked)
            # erasing needs no key: nothing is encrypted
            self._fresh(self.past).write({"result": False})
            self.assertFalse(self._stored(self.past, "result"))
        self.assertEqual(self._stored(self.profile, "medication"), stored, "nothing was lost")
        self.assertEqual(self._fresh(self.profile).medication, MEDICATION)

    def test_wrong_key(self):
        stored = self._stored(self.profile, "medication")
        with self._keys(generate_key()):
            self.assertIn("does not match", self._fresh(self.profile).medication)
            with self.assertRaisesRegex(UserError, "does not match"):
                self._fresh(self.profile).write({"chronic_conditions": "Asthma"})
        self.assertEqual(self._stored(self.profile, "medication"), stored)
        self.assertEqual(self._fresh(self.profile).medication, MEDICATION)

    def test_other_fields_survive_an_edit(self):
        profile = self._fresh(self.profile)
        profile.write({"chronic_conditions": "Asthma"})
        profile = self._fresh(self.profile)
        self.assertEqual(profile.chronic_conditions, "Asthma")
        self.assertEqual(profile.medication, MEDICATION)
