"""Encryption at rest of the most sensitive free text, without any ORM dependency.

Keys never live in the database: they come from the Odoo server configuration option
``beauty_encryption_keys`` or the environment variable ``BEAUTY_ENCRYPTION_KEYS``, as a
comma-separated list of 256-bit keys (URL-safe base64), the newest first. Values are encrypted with the newest
key and decrypted with any listed key, so a rotation is: put the new key first, keep the old
one, re-encrypt, then drop the old key.

Exact lookups use a keyed hash (HMAC-SHA256 with a key derived from the newest key), so the
plaintext is never stored even for searchable values such as ID numbers.
"""

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ENV_VAR = "BEAUTY_ENCRYPTION_KEYS"
CONFIG_KEY = "beauty_encryption_keys"
PREFIX = "bx1"


class KeyMissing(Exception):
    """No encryption key is configured."""


class KeyInvalid(Exception):
    """A configured key is malformed, or it cannot decrypt the stored data."""


class TokenUnreadable(KeyInvalid):
    """A token names a configured key but does not decrypt with it (damaged data)."""


def generate_key():
    """A new random 256-bit key, URL-safe base64 encoded."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def parse_keys(raw):
    """Return the list of key strings in ``raw`` (comma or whitespace separated)."""
    return [part.strip() for part in (raw or "").replace("\n", ",").split(",") if part.strip()]


def _fingerprint(raw_key):
    return hmac.new(raw_key, b"beauty-key-fingerprint", hashlib.sha256).hexdigest()[:16]


class Vault:
    """AES-256-GCM with key ids: encrypts with the first key, decrypts with the key whose
    id the token names, so a rotation never has to guess which key a value was made with.

    Token: ``bx1:<key id>:<urlsafe base64 of nonce + ciphertext + tag>``.
    """

    def __init__(self, keys):
        if not keys:
            raise KeyMissing()
        self._ciphers = {}
        self.fingerprints = []
        for key in keys:
            try:
                raw = base64.urlsafe_b64decode(key.encode() if isinstance(key, str) else key)
            except (ValueError, TypeError) as exc:
                raise KeyInvalid() from exc
            if len(raw) != 32:
                raise KeyInvalid()
            fingerprint = _fingerprint(raw)
            self._ciphers[fingerprint] = AESGCM(raw)
            self.fingerprints.append(fingerprint)
        self.primary_fingerprint = self.fingerprints[0]
        self.token_prefix = f"{PREFIX}:{self.primary_fingerprint}:"
        primary_raw = base64.urlsafe_b64decode(
            keys[0].encode() if isinstance(keys[0], str) else keys[0]
        )
        self._hash_key = hashlib.sha256(b"beauty-lookup-hash:" + primary_raw).digest()

    def encrypt(self, plaintext):
        if plaintext in (None, False, ""):
            return plaintext or False
        nonce = os.urandom(12)
        sealed = self._ciphers[self.primary_fingerprint].encrypt(nonce, plaintext.encode(), None)
        body = base64.urlsafe_b64encode(nonce + sealed).decode()
        return f"{PREFIX}:{self.primary_fingerprint}:{body}"

    def decrypt(self, token):
        """The plaintext of ``token``; raise KeyInvalid when the key it names is not
        configured, TokenUnreadable when it does not decrypt with that key."""
        if not token:
            return False
        prefix, _sep, rest = token.partition(":")
        key_id, _sep, body = rest.partition(":")
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise KeyInvalid()
        try:
            if prefix != PREFIX:
                raise ValueError(prefix)
            raw = base64.urlsafe_b64decode(body)
            return cipher.decrypt(raw[:12], raw[12:], None).decode()
        except (ValueError, InvalidTag) as exc:
            raise TokenUnreadable() from exc

    def rotate(self, token):
        """Re-encrypt ``token`` with the newest key (a no-op for empty values and for values
        already encrypted with it)."""
        if not token or token.startswith(self.token_prefix):
            return token
        return self.encrypt(self.decrypt(token))

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
