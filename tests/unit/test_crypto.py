import pytest


def test_round_trip_and_rotation(crypto):
    old, new = crypto.generate_key(), crypto.generate_key()
    token = crypto.Vault([old]).encrypt("metformin")
    assert "metformin" not in token
    both = crypto.Vault([new, old])
    assert both.decrypt(token) == "metformin"
    rotated = both.rotate(token)
    assert crypto.Vault([new]).decrypt(rotated) == "metformin"
    with pytest.raises(crypto.KeyInvalid):
        crypto.Vault([old]).decrypt(rotated)


def test_missing_and_malformed_keys(crypto):
    with pytest.raises(crypto.KeyMissing):
        crypto.Vault(crypto.parse_keys(" , "))
    with pytest.raises(crypto.KeyInvalid):
        crypto.Vault(["not-a-key"])


def test_lookup_hash_normalises_and_depends_on_key(crypto):
    vault = crypto.Vault([crypto.generate_key()])
    assert vault.lookup_hash("31010119900101123x") == vault.lookup_hash(" 31010119900101123X ")
    other = crypto.Vault([crypto.generate_key()])
    assert vault.lookup_hash("A1") != other.lookup_hash("A1")
    assert vault.lookup_hash("") is False


def test_masks(crypto):
    assert crypto.mask_phone("+86 138 1234 5678") == "138****5678"
    assert crypto.mask("31010119900101123X", 4, 4) == "3101**********123X"
    assert crypto.mask("123", 3, 4) == "***"


def test_rotation_skips_current_tokens_and_damage_is_told_apart(crypto):
    old, new = crypto.generate_key(), crypto.generate_key()
    token = crypto.Vault([new, old]).encrypt("氨氯地平")
    both = crypto.Vault([new, old])
    assert both.rotate(token) is token, "already under the newest key: left as is"
    assert token.startswith(both.token_prefix)
    with pytest.raises(crypto.KeyInvalid) as unknown:
        crypto.Vault([old]).decrypt(token)
    assert not isinstance(unknown.value, crypto.TokenUnreadable), "a key mismatch"
    damaged = token[:-6] + ("A" * 6 if not token.endswith("A" * 6) else "B" * 6)
    with pytest.raises(crypto.TokenUnreadable):
        both.decrypt(damaged)
