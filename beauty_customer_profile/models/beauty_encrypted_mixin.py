import functools
import logging
import os

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import config

from ..tools.crypto import CONFIG_KEY, ENV_VAR, KeyInvalid, KeyMissing, Vault, parse_keys

_logger = logging.getLogger(__name__)
FINGERPRINT_PARAM = "beauty_customer_profile.encryption_key_fingerprint"


@functools.lru_cache(maxsize=4)
def _vault_for(raw):
    return Vault(parse_keys(raw))


class BeautyEncryptedMixin(models.AbstractModel):
    """Free-text fields kept encrypted at rest.

    A model lists ``_beauty_encrypted = {"plain field": "cipher field"}``; the plain field is
    a non-stored computed field (with the groups allowed to read it) whose compute decrypts
    and whose inverse encrypts into the cipher column, readable by the system group only.
    A missing or wrong key never crashes: values read as "unavailable", writes are refused,
    nothing stored is touched.
    """

    _name = "beauty.encrypted.mixin"
    _description = "Encrypted customer data"
    _beauty_encrypted = {}
    # plain field -> stored keyed-hash field, for the encrypted fields searchable by exact value
    _beauty_hashed = {}

    @api.model
    def _beauty_raw_keys(self):
        return config.get(CONFIG_KEY) or os.environ.get(ENV_VAR) or ""

    @api.model
    def _beauty_vault(self):
        """The vault for the configured keys; raise KeyMissing / KeyInvalid."""
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
    def _beauty_vault_or_error(self):
        try:
            return self._beauty_vault(), None
        except KeyMissing:
            return None, self.env._("Unavailable: no encryption key is configured on the server.")
        except KeyInvalid:
            return None, self.env._(
                "Unavailable: the server's encryption key does not match the stored data."
            )

    def _compute_beauty_decrypted(self):
        vault, error = self._beauty_vault_or_error()
        # sudo: the cipher columns are readable by the system group only; the plain fields'
        # own groups decide who may see the decrypted value.
        for record, secret in zip(self, self.sudo(), strict=True):
            for plain, cipher in self._beauty_encrypted.items():
                token = secret[cipher]
                if not token:
                    record[plain] = False
                elif vault is None:
                    record[plain] = error
                else:
                    try:
                        record[plain] = vault.decrypt(token)
                    except KeyInvalid:
                        _logger.warning(
                            "%s(%s).%s cannot be decrypted", self._name, record.id, plain
                        )
                        record[plain] = self._beauty_unreadable_text()

    def _beauty_unreadable_text(self):
        return self.env._("Unavailable: this value cannot be decrypted with the server's key.")

    def _inverse_beauty_encrypted(self):
        """Nothing to do: create() and write() encrypt the plain values before storing."""

    def _beauty_split_vals(self, vals):
        """Take the plain encrypted fields out of ``vals``; return (vals, cipher vals)."""
        plain_names = [name for name in self._beauty_encrypted if name in vals]
        if not plain_names:
            return vals, {}
        for name in plain_names:
            self._check_field_access(self._fields[name], "write")
        vault, error = self._beauty_vault_or_error()
        if vault is None:
            raise UserError(self.env._("This change cannot be saved: %(reason)s", reason=error))
        vals = dict(vals)
        secret_vals = {}
        for name in plain_names:
            value = vals.pop(name) or False
            secret_vals[self._beauty_encrypted[name]] = vault.encrypt(value) or False
            if name in self._beauty_hashed:
                secret_vals[self._beauty_hashed[name]] = vault.lookup_hash(value)
        return vals, secret_vals

    @api.model_create_multi
    def create(self, vals_list):
        splits = [self._beauty_split_vals(vals) for vals in vals_list]
        records = super().create([vals for vals, _secret in splits])
        for record, (_vals, secret_vals) in zip(records, splits, strict=True):
            if secret_vals:
                # sudo: the cipher columns are writable by the system group only; access to
                # the plain fields was checked in _beauty_split_vals.
                record.sudo().write(secret_vals)
        return records

    def write(self, vals):
        vals, secret_vals = self._beauty_split_vals(vals)
        result = super().write(vals) if vals else True
        if secret_vals:
            self.check_access("write")
            self.sudo().write(secret_vals)  # sudo: see create()
        return result

    @api.model
    def _beauty_models_encrypted(self):
        mixin = self.env.registry["beauty.encrypted.mixin"]
        return [
            self.env[name]
            for name, model in self.env.registry.items()
            if not model._abstract and issubclass(model, mixin)
        ]

    @api.model
    def _beauty_lookup_domain(self, plain, operator, value):
        """Exact search on an encrypted field through its keyed hash (``=`` / ``in`` only)."""
        # A search is a read: without it, a role that may not read the value could still
        # test guesses against it.
        self._check_field_access(self._fields[plain], "read")
        if operator not in ("in", "not in"):
            return NotImplemented
        vault, error = self._beauty_vault_or_error()
        if vault is None:
            raise UserError(self.env._("This search cannot run: %(reason)s", reason=error))
        hashes = [vault.lookup_hash(item) for item in value if item]
        # sudo: the hash column is private; only the matching ids leave this method.
        matching = self.sudo()._search([(self._beauty_hashed[plain], "in", hashes)])
        return [("id", operator, matching)]

    @api.model
    def _beauty_rotate_keys(self, batch_size=200, on_batch=None):
        """Re-encrypt every encrypted value with the newest key, in batches.

        ``on_batch`` is called after each batch (the rotation command commits there), so a
        crash leaves every value readable: old and new keys are both configured meanwhile.
        Returns the number of records processed.
        """
        vault = self._beauty_vault()
        done = 0
        for model in self._beauty_models_encrypted():
            secret = model.sudo().with_context(active_test=False)
            ciphers = list(model._beauty_encrypted.values())
            domain = ["|"] * (len(ciphers) - 1) + [(cipher, "!=", False) for cipher in ciphers]
            ids = secret.search(domain, order="id").ids
            for start in range(0, len(ids), batch_size):
                for record in secret.browse(ids[start : start + batch_size]):
                    values = {cipher: vault.rotate(record[cipher]) for cipher in ciphers}
                    for plain, hash_field in model._beauty_hashed.items():
                        token = values[model._beauty_encrypted[plain]]
                        values[hash_field] = (
                            vault.lookup_hash(vault.decrypt(token)) if token else False
                        )
                    record.write(values)
                done += len(ids[start : start + batch_size])
                if on_batch:
                    on_batch(done)
        self.env["ir.config_parameter"].sudo().set_param(
            FINGERPRINT_PARAM, vault.primary_fingerprint
        )
        return done
