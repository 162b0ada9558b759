import pytest


def test_empty_archive_scores_zero_and_lists_heaviest_first(completeness):
    score, missing = completeness.completeness({})
    assert score == 0
    assert missing[:2] == ["consent_personal", "health"]
    assert set(missing) == set(completeness.WEIGHTS)


def test_full_archive_scores_hundred(completeness):
    score, missing = completeness.completeness(dict.fromkeys(completeness.WEIGHTS, True))
    assert (score, missing) == (100, [])


def test_partial_archive_is_weighted(completeness):
    weights = completeness.WEIGHTS
    filled = {"phone": True, "consent_personal": True, "health": False}
    score, missing = completeness.completeness(filled)
    expected = (weights["phone"] + weights["consent_personal"]) * 100 // sum(weights.values())
    assert score == expected
    assert "phone" not in missing and "health" in missing


def test_unknown_part_is_refused(completeness):
    with pytest.raises(KeyError):
        completeness.completeness({"phnoe": True})
