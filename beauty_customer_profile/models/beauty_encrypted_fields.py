"""Field types whose database column holds AES-256-GCM ciphertext.

``EncryptedText`` and ``EncryptedChar`` behave like Odoo's ``Text`` and ``Char`` for views,
forms, access groups, export and writes, with three differences:

- the column holds a token ``bx1:<key id>:<data>`` (see ``tools/crypto.py``), never the
  plaintext: values are encrypted when they are written to the database;
- a value fetched from the database stays sealed in the cache and is decrypted the first
  time a record reads it, once (so a list that never shows the field never decrypts it);
- the content cannot be searched, ordered, grouped or aggregated: the database only sees
  ciphertext. A model may give ``search=`` for an exact lookup through a keyed hash.

They only work on models inheriting ``beauty.encrypted.mixin``, which holds the key
handling, refuses writes without the right key and refuses ordering and grouping.
"""

from odoo import fields


class Sealed:
    """A value as fetched from the database: the token, and its plaintext once opened."""

    __slots__ = ("plain", "token")

    def __init__(self, token):
        self.token = token
        self.plain = None

    def __repr__(self):
        return "<Sealed>"


def _seal(value):
    return Sealed(value) if value else None


class EncryptedMixin:
    """Behaviour shared by the encrypted field types (placed before the Odoo field class)."""

    beauty_encrypted = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("copy", False)
        super().__init__(*args, **kwargs)

    def _setup_attrs__(self, model_class, name):
        result = super()._setup_attrs__(model_class, name)
        if not self.search:
            # "Is set" / "is not set" work; any condition on the content is refused with a
            # clear message. A model may give its own keyed-hash search instead.
            def refuse_search(records, operator, value):
                return records._beauty_search_emptiness(name, operator, value)

            self.search = refuse_search
        return result

    @property
    def _description_searchable(self):
        return bool(self.search) and getattr(self.search, "__name__", "") != "refuse_search"

    def _description_sortable(self, env):
        return False

    def _description_groupable(self, env):
        return False

    def _insert_cache(self, records, values):
        # Values fetched from the column: keep them sealed until a record reads them.
        return super()._insert_cache(records, map(_seal, values))

    def convert_to_record(self, value, record):
        if value.__class__ is Sealed:
            if value.plain is None:
                return record._beauty_open(value, self)
            return value.plain
        return super().convert_to_record(value, record)

    def convert_to_column_insert(self, value, record, values=None, validate=True):
        if value.__class__ is Sealed:
            return value.token
        if value is None or value is False or value == "":
            return None
        return record._beauty_vault_for_write().encrypt(str(value))

    def get_column_update(self, record):
        value = record.env.transaction.field_data[self][record.id]
        return self.convert_to_column_insert(value, record)


class EncryptedText(EncryptedMixin, fields.Text):
    """Multi-line free text encrypted at rest."""


class EncryptedChar(EncryptedMixin, fields.Char):
    """Single-line text encrypted at rest (an identifier, a number)."""
