"""Completeness score of a customer archive, without any ORM dependency."""

# Weight of each part of the archive in the score; the consents and the sections that make
# a treatment safe weigh most.
WEIGHTS = {
    "phone": 10,
    "gender": 5,
    "birthday": 10,
    "occupation": 5,
    "consultant": 5,
    "preferences": 5,
    "consent_personal": 15,
    "consent_health": 10,
    "consent_photo": 5,
    "skin": 10,
    "health": 15,
    "lifestyle": 5,
}


def completeness(filled):
    """Return ``(score, missing)`` for a mapping of part name -> bool.

    ``score`` is the weighted share of filled parts, 0-100, rounded down; ``missing`` lists
    the parts not filled, heaviest first, so the most useful thing to ask comes first.
    Unknown parts raise ``KeyError``: a typo must not silently count as filled.
    """
    unknown = set(filled) - set(WEIGHTS)
    if unknown:
        raise KeyError(f"unknown archive parts: {sorted(unknown)}")
    total = sum(WEIGHTS.values())
    got = sum(WEIGHTS[part] for part, ok in filled.items() if ok)
    missing = sorted(
        (part for part in WEIGHTS if not filled.get(part)),
        key=lambda part: (-WEIGHTS[part], part),
    )
    return got * 100 // total, missing
