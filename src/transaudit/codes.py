"""Central table of check codes and categories (one place to see them all, never reused).

The registry refuses a check whose code/category pair is not listed here, so a new check
must be added to this table first.
"""

CODES: dict[str, str] = {
    # structure
    "TA101": "missing_source",
    "TA102": "missing_translation",
    "TA103": "unquoted_source",
    "TA104": "duplicate_paragraph",
    # language
    "TA201": "hindi_in_source",
    "TA202": "english_in_translation",
    "TA203": "wrong_language",
    "TA204": "untranslated_fragment",
    # content
    "TA301": "number_mismatch",
    "TA302": "entity_mismatch",
    "TA303": "omission",
    "TA304": "mistranslation",
    "TA305": "terminology",
    # scoring
    "TA401": "low_quality",
    # style
    "TA501": "punctuation",
    # meta
    "TA901": "unused_suppression",
}

CATEGORIES: frozenset[str] = frozenset(CODES.values())
