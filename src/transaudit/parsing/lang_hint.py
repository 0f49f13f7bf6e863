"""Cheap Hindi-or-English hints the parser needs to pair an unmarked English original.

Tech Hindi is code-mixed: a clean Hindi paragraph is often half Latin letters (model names,
terms), so "English" here means almost no Devanagari at all plus a few Latin words, and
"Hindi" means a fair share of Devanagari. Only a bounded sample of a text is looked at, so
a 5 MB paragraph costs the same as a short one.
"""

from __future__ import annotations

from transaudit.script import script_counts

_SAMPLE = 2000  # characters from each end of a long text
_MIN_ENGLISH_WORDS = 4


def _sample(text: str) -> str:
    if len(text) <= 2 * _SAMPLE:
        return text
    return text[:_SAMPLE] + " " + text[-_SAMPLE:]


def _latin_words(text: str) -> int:
    count = 0
    for token in text.split():
        if any("a" <= ch.lower() <= "z" for ch in token[:8]):
            count += 1
            if count >= _MIN_ENGLISH_WORDS:
                break
    return count


def looks_english(text: str) -> bool:
    """Latin-dominant prose with (almost) no Devanagari: an English sentence."""
    sample = _sample(text)
    counts = script_counts(sample)
    total = sum(counts.values())
    if not total:
        return False
    return (
        counts["latin"] / total >= 0.9
        and counts["devanagari"] / total < 0.05
        and _latin_words(sample) >= _MIN_ENGLISH_WORDS
    )


def looks_hindi(text: str) -> bool:
    """A Hindi slot as written in tech Hindi: at least a fifth of the letters Devanagari."""
    counts = script_counts(_sample(text))
    total = sum(counts.values())
    return bool(total) and counts["devanagari"] / total >= 0.2


def starts_english_sentence(text: str) -> bool:
    """An English line that starts a sentence (capital letter), not a wrapped fragment."""
    stripped = text.lstrip(" \t\"'“‘(")
    return bool(stripped) and "A" <= stripped[0] <= "Z" and looks_english(text)
