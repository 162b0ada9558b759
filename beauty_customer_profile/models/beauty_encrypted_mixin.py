import contextlib
import functools
import logging
import os

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, config

from ..tools.crypto import (
    CONFIG_KEY,
    ENV_VAR,
    KeyInvalid,
    KeyMissing,
    TokenUnreadable,
    Vault,
    parse_keys,
)
from .beauty_encrypted_fields import Sealed

_logger = logging.getLogger(__name__)
FINGERPRINT_PARAM = "beauty_customer_profile.encryption_key_fingerprint"


@functools.lru_cache(maxsize=4)
def _vault_for(raw):
    return Vault(parse_keys(raw))


def _configured_vault():
    """The vault of the configured keys (raise KeyMissing / KeyInvalid when malformed)."""
    return _vault_for(config.get(CONFIG_KEY) or os.environ.get(ENV_VAR) or "")


class BeautyEncryptedMixin(models.AbstractModel):
    """Models with fields encrypted at rest (``EncryptedText`` / ``EncryptedChar``).

    The fields keep their names; their column holds ciphertext only. Values are decrypted
    lazily, once per record and transaction, when a record reads them. A missing or wrong
    key never crashes: values read as "unavailable", writes are refused, nothing stored is
    touched. Searching, ordering and grouping on encrypted content are refused.
    """

    _name = "beauty.encrypted.mixin"
    _description = "Encrypted customer data"
    # encrypted field -> stored keyed-hash field, for the fields searchable by exact value
    _beauty_hashed = {}

    # -- keys -------------------------------------------------------------------------------
    @api.model
    def _beauty_raw_keys(self):
        return config.get(CONFIG_KEY) or os.environ.get(ENV_VAR) or ""

    @api.model
    def _beauty_vault(self):
        """The vault for the configured keys, checked against the data; raise KeyMissing /
        KeyInvalid."""
        vault = _vault_for(self._beauty_raw_keys())
        params = self.env["ir.config_parameter"].sudo()
        known = params.get_param(FINGERPRINT_PARAM)
        if not known:
            # First use: remember which key the data is encrypted with (not the key itself).
            params.set_param(FINGERPRINT_PARAM, vault.primary_fingerprint)
        elif known not in vault.fingerprints:
            raise KeyInvalid()
        return vault

    @api.model
    def _beauty_key_error(self, error):
        if isinstance(error, KeyMissing):
            return self.env._("Unavailable: no encryption key is configured on the server.")
        return self.env._(
            "Unavailable: the server's encryption key does not match the stored data."
        )

    @api.model
    def _beauty_vault_or_error(self):
        try:
            return self._beauty_vault(), None
        except (KeyMissing, KeyInvalid) as error:
            return None, self._beauty_key_error(error)

    @api.model
    def _beauty_vault_for_write(self):
        """The vault to encrypt with; a translatable UserError when there is none."""
        vault, error = self._beauty_vault_or_error()
        if vault is None:
            raise UserError(self.env._("This change cannot be saved: %(reason)s", reason=error))
        return vault

    # -- reading ----------------------------------------------------------------------------
    def _beauty_open(self, sealed, field):
        """Decrypt a value fetched from the database (called by the field on first read).

        A read needs no fingerprint check: each token names its key, so a token whose key is
        not configured is reported as a key mismatch.
        """
        try:
            sealed.plain = _configured_vault().decrypt(sealed.token)
        except TokenUnreadable:
            _logger.warning("%s(%s).%s cannot be decrypted", self._name, self.id, field.name)
            return self.env._("Unavailable: this value cannot be decrypted with the server's key.")
        except (KeyMissing, KeyInvalid) as error:
            return self._beauty_key_error(error)
        return sealed.plain

    def _read_format(self, fnames, load="_classic_read"):
        # Open the sealed values the read returns in one pass (one key lookup for all);
        # whatever does not open is reported per value by _beauty_open().
        encrypted = [
            field
            for field in map(self._fields.get, fnames)
            if field is not None and getattr(field, "beauty_encrypted", False)
        ]
        if encrypted:
            try:
                decrypt = _configured_vault().decrypt
            except (KeyMissing, KeyInvalid):
                decrypt = None
            for field in encrypted if decrypt else ():
                field_cache = field._get_cache(self.env)
                for id_ in self._ids:
                    sealed = field_cache.get(id_)
                    if sealed.__class__ is Sealed and sealed.plain is None:
                        # left sealed on failure: _beauty_open() reports it
                        with contextlib.suppress(KeyInvalid):
                            sealed.plain = decrypt(sealed.token)
        return super()._read_format(fnames, load=load)

    def _beauty_is_unavailable(self, fname):
        """Whether ``fname`` of this record, once read, could not be decrypted (it reads as
        an "unavailable" message instead of its value)."""
        self.ensure_one()
        value = self._fields[fname]._get_cache(self.env).get(self.id)
        return value.__class__ is Sealed and value.plain is None

    @api.model
    def _beauty_encrypted_fields(self):
        return [
            field for field in self._fields.values() if getattr(field, "beauty_encrypted", False)
        ]

    # -- writing ----------------------------------------------------------------------------
    def _beauty_prepare_vals(self, vals):
        """Refuse a change of encrypted fields without the right key, before anything is
        written; return the keyed hashes to store along (sudo) for ``vals``.

        Erasing a value needs no key: nothing is encrypted (anonymisation works without it).
        """
        # Look at the written fields only: res.partner carries this mixin, and its create()
        # and write() run everywhere; scanning its hundreds of fields each time is waste.
        names = [
            name for name in vals if getattr(self._fields.get(name), "beauty_encrypted", False)
        ]
        if not names:
            return {}
        vault = None
        if any(vals[name] for name in names):
            vault = self._beauty_vault_for_write()
        return {
            self._beauty_hashed[name]: vault.lookup_hash(vals[name]) if vals[name] else False
            for name in names
            if name in self._beauty_hashed
        }

    @api.model_create_multi
    def create(self, vals_list):
        hashes = [self._beauty_prepare_vals(vals) for vals in vals_list]
        records = super().create(vals_list)
        for record, hash_vals in zip(records, hashes, strict=True):
            if hash_vals:
                # sudo: the hash columns are private (system group); access to the encrypted
                # fields themselves was checked by create().
                record.sudo().write(hash_vals)
        return records

    def write(self, vals):
        hash_vals = self._beauty_prepare_vals(vals)
        result = super().write(vals)
        if hash_vals:
            self.sudo().write(hash_vals)  # sudo: see create()
        return result

    # -- what the database cannot do on ciphertext -------------------------------------------
    def _beauty_refuse(self, field):
        # A role that may not read the field gets the access error, not a hint about it.
        self._check_field_access(field, "read")
        raise UserError(
            self.env._(
                "“%(field)s” is encrypted: it cannot be searched, sorted or grouped by.",
                field=field._description_string(self.env),
            )
        )

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        field = self._fields.get(field_name.split(".", 1)[0])
        if getattr(field, "beauty_encrypted", False):
            self._beauty_refuse(field)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    def _read_group_groupby(self, alias, groupby_spec, query):
        field = self._fields.get(groupby_spec.split(":", 1)[0].split(".", 1)[0])
        if getattr(field, "beauty_encrypted", False):
            self._beauty_refuse(field)
        return super()._read_group_groupby(alias, groupby_spec, query)

    def _read_group_select(self, aggregate_spec, query):
        field = self._fields.get(aggregate_spec.split(":", 1)[0].split(".", 1)[0])
        if getattr(field, "beauty_encrypted", False):
            self._beauty_refuse(field)
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _beauty_search_emptiness(self, fname, operator, value):
        """Search an encrypted field for being set or not; refuse any other condition."""
        field = self._fields[fname]
        # A search is a read, and a search method bypasses the ORM's field access check:
        # a role that may not read the field gets the access error, not a hint about it.
        self._check_field_access(field, "read")
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        if operator in ("in", "not in", "=", "!=") and not any(values):
            # Returned unchanged, the condition runs in SQL on the column: NULL or a token.
            return [(fname, operator, value)]
        return self._beauty_refuse(field)

    @api.model
    def _beauty_lookup_domain(self, fname, operator, value):
        """Exact search on an encrypted field through its keyed hash (``=`` / ``in`` only)."""
        if operator not in ("in", "not in") or not any(value):
            return self._beauty_search_emptiness(fname, operator, value)
        self._check_field_access(self._fields[fname], "read")
        vault, error = self._beauty_vault_or_error()
        if vault is None:
            raise UserError(self.env._("This search cannot run: %(reason)s", reason=error))
        hashes = [vault.lookup_hash(item) for item in value if item]
        # sudo: the hash column is private; only the matching ids leave this method. Archived
        # records too: the caller's own search decides whether they are wanted.
        matching = (
            self.sudo()
            .with_context(active_test=False)
            ._search([(self._beauty_hashed[fname], "in", hashes)])
        )
        return [("id", operator, matching)]

    # -- key rotation ----------------------------------------------------------------------
    @api.model
    def _beauty_models_encrypted(self):
        mixin = self.env.registry["beauty.encrypted.mixin"]
        return [
            self.env[name]
            for name, model in self.env.registry.items()
            if not model._abstract and issubclass(model, mixin) and model._auto
        ]

    @api.model
    def _beauty_rotate_row(self, vault, model, id_, names, hashed, values):
        """Re-encrypt one row's stale tokens with the newest key, in place in ``values``
        (field name -> stored value), with the lookup hash of a hashed field; each stale
        token is decrypted once, tokens already under the newest key are kept.

        A damaged token is left as it is (no key can read it) and logged, so that it does
        not stop the rotation of everything else.
        """
        for name in names:
            token = values[name]
            if not token or token.startswith(vault.token_prefix):
                continue
            try:
                plain = vault.decrypt(token)
            except TokenUnreadable:
                _logger.warning(
                    "%s(%s).%s cannot be decrypted: left as it is", model._name, id_, name
                )
                continue
            values[name] = vault.encrypt(plain)
            if name in hashed:
                values[hashed[name]] = vault.lookup_hash(plain)
        return values

    @api.model
    def _beauty_rotate_keys(self, batch_size=200, on_batch=None):
        """Re-encrypt every value not yet under the newest key, in batches.

        A storage operation, not business processing: the ciphertext is rewritten in SQL
        (no consent check, no access log, no decryption into the cache). ``on_batch`` is
        called after each batch (the rotation command commits there), so a crash leaves
        every value readable: old and new keys are both configured meanwhile, and running
        it again continues where it stopped. Returns the number of records re-encrypted.
        """
        vault = self._beauty_vault()
        current = f"{vault.token_prefix}%"
        done = 0
        for model in self._beauty_models_encrypted():
            model.flush_model()
            names = [field.name for field in model._beauty_encrypted_fields()]
            hashed = model._beauty_hashed
            table = SQL.identifier(model._table)
            stale = SQL(" OR ").join(
                SQL(
                    "(%s IS NOT NULL AND %s NOT LIKE %s)",
                    SQL.identifier(n),
                    SQL.identifier(n),
                    current,
                )
                for n in names
            )
            columns = [*names, *(hashed[name] for name in names if name in hashed)]
            last_id = 0  # rows are walked by id: a damaged value left stale is passed once
            while True:
                rows = self.env.execute_query(
                    SQL(
                        "SELECT id, %s FROM %s WHERE id > %s AND (%s) ORDER BY id LIMIT %s",
                        SQL(", ").join(map(SQL.identifier, columns)),
                        table,
                        last_id,
                        stale,
                        batch_size,
                    )
                )
                if not rows:
                    break
                last_id = rows[-1][0]
                new_rows = []
                for id_, *stored in rows:
                    values = self._beauty_rotate_row(
                        vault, model, id_, names, hashed, dict(zip(columns, stored, strict=True))
                    )
                    new_rows.append(
                        SQL("(%s, %s)", id_, SQL(", ").join(values[c] for c in columns))
                    )
                # one statement per batch, not one per record
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET %s FROM (VALUES %s) AS new (id, %s) WHERE %s.id = new.id",
                        table,
                        SQL(", ").join(
                            SQL("%s = new.%s", SQL.identifier(c), SQL.identifier(c))
                            for c in columns
                        ),
                        SQL(", ").join(new_rows),
                        SQL(", ").join(map(SQL.identifier, columns)),
                        table,
                    )
                )
                model.invalidate_model(columns)
                done += len(rows)
                if on_batch:
                    on_batch(done)
        self.env["ir.config_parameter"].sudo().set_param(
            FINGERPRINT_PARAM, vault.primary_fingerprint
        )
        return done
