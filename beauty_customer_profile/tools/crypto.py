"""Encryption at rest of the most sensitive free text, without any ORM dependency.

Keys never live in the database: they come from the Odoo server configuration option
``beauty_encryption_keys`` or the environment variable ``BEAUTY_ENCRYPTION_KEYS``, as a
comma-separated list of Fernet keys, the newest first. Values are encrypted with the newest
key and decrypted with any listed key, so a rotation is: put the new key first, keep the old
one, re-encrypt, then drop the old key.

Exact lookups use a keyed hash (HMAC-SHA256 with a key derived from the newest key), so the
plaintext is never stored even for searchable values such as ID numbers.
"""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

ENV_VAR = "BEAUTY_ENCRYPTION_KEYS"
CONFIG_KEY = "beauty_encryption_keys"


class KeyMissing(Exception):
    """No encryption key is configured."""


class KeyInvalid(Exception):
    """A configured key is malformed, or it cannot decrypt the stored data."""


def generate_key():
    return Fernet.generate_key().decode()


def parse_keys(raw):
    """Return the list of key strings in ``raw`` (comma or whitespace separated)."""
    return [part.strip() for part in (raw or "").replace("\n", ",").split(",") if part.strip()]


class Vault:
    """Encrypts with the first key, decrypts with any of them."""

    def __init__(self, keys):
        if not keys:
            raise KeyMissing()
        try:
            self._fernets = [Fernet(key.encode() if isinstance(key, str) else key) for key in keys]
        except (ValueError, TypeError) as exc:
            raise KeyInvalid() from exc
        self._multi = MultiFernet(self._fernets)
        primary = keys[0].encode() if isinstance(keys[0], str) else keys[0]
        self._hash_key = hashlib.sha256(b"beauty-lookup-hash:" + primary).digest()
        self.fingerprints = [self._fingerprint(key) for key in keys]

    @staticmethod
    def _fingerprint(key):
        raw = key.encode() if isinstance(key, str) else key
        return hmac.new(raw, b"beauty-key-fingerprint", hashlib.sha256).hexdigest()[:16]

    @property
    def primary_fingerprint(self):
        return self.fingerprints[0]

    def encrypt(self, plaintext):
        if plaintext in (None, False, ""):
            return plaintext or False
        return self._multi.encrypt(plaintext.encode()).decode()

    def decrypt(self, token):
        if not token:
            return False
        try:
            return self._multi.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise KeyInvalid() from exc

    def rotate(self, token):
        """Re-encrypt ``token`` with the newest key (a no-op for empty values)."""
        if not token:
            return token
        try:
            return self._multi.rotate(token.encode()).decode()
        except InvalidToken as exc:
            raise KeyInvalid() from exc

    def lookup_hash(self, value):
        """Keyed hash of a normalised value, for exact search without plaintext."""
        if not value:
            return False
        normalised = "".join(str(value).split()).upper()
        digest = hmac.new(self._hash_key, normalised.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def mask(value, keep_start=3, keep_end=4, char="*"):
    """Mask the middle of an identifier: 13812345678 -> 138****5678."""
    if not value:
        return value
    text = str(value)
    visible = keep_start + keep_end
    if len(text) <= visible:
        return char * len(text)
    return text[:keep_start] + char * (len(text) - visible) + text[-keep_end:]


def mask_phone(value):
    """Mask a phone number to its first 3 and last 4 national digits: 138****5678."""
    if not value:
        return value
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    if digits.startswith("86") and len(digits) > 11:
        digits = digits[2:]
    return mask(digits, 3, 4)
