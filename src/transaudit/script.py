"""Script analysis: which writing systems a text uses, by letters and by word.

Tech Hindi is code-mixed (English terms in Latin script are normal), so language decisions
start from scripts and words; ``langdetect`` is only consulted where the script cannot decide
(see ``language.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

# Scripts we name; anything else alphabetic is "other".
_RANGES: list[tuple[int, int, str]] = [
    (0x0041, 0x005A, "latin"), (0x0061, 0x007A, "latin"), (0x00C0, 0x024F, "latin"),
    (0x0900, 0x097F, "devanagari"), (0xA8E0, 0xA8FF, "devanagari"),
    (0x0980, 0x09FF, "bengali"), (0x0A00, 0x0A7F, "gurmukhi"), (0x0A80, 0x0AFF, "gujarati"),
    (0x0B00, 0x0B7F, "oriya"), (0x0B80, 0x0BFF, "tamil"), (0x0C00, 0x0C7F, "telugu"),
    (0x0C80, 0x0CFF, "kannada"), (0x0D00, 0x0D7F, "malayalam"),
    (0x0600, 0x06FF, "arabic"), (0x0750, 0x077F, "arabic"), (0x0590, 0x05FF, "hebrew"),
    (0x0400, 0x04FF, "cyrillic"), (0x0370, 0x03FF, "greek"),
    (0x0E00, 0x0E7F, "thai"),
    (0x1100, 0x11FF, "hangul"), (0x3130, 0x318F, "hangul"), (0xAC00, 0xD7AF, "hangul"),
    (0x3040, 0x309F, "kana"), (0x30A0, 0x30FF, "kana"),
    (0x4E00, 0x9FFF, "han"), (0x3400, 0x4DBF, "han"), (0xF900, 0xFAFF, "han"),
]


_CHAR_SCRIPT: dict[str, str | None] = {}


def char_script(ch: str) -> str | None:
    """Script of one character, or None for digits, punctuation, spaces and marks of no script."""
    # Memoised: texts repeat a small alphabet, and the range scan is the hot path of every check.
    try:
        return _CHAR_SCRIPT[ch]
    except KeyError:
        script = _CHAR_SCRIPT[ch] = _scan_script(ch)
        return script


def _scan_script(ch: str) -> str | None:
    cp = ord(ch)
    for lo, hi, name in _RANGES:
        if lo <= cp <= hi:
            # Devanagari danda and digits are script-neutral punctuation/numbers.
            if name == "devanagari" and (cp in (0x0964, 0x0965) or 0x0966 <= cp <= 0x096F):
                return None
            return name
    if ch.isalpha():
        return "other"
    return None


def letter_class(scripts: set[str] | frozenset[str]) -> str:
    """A regex character class matching the letters of ``scripts`` (for C-speed scans).

    The Devanagari danda and digits are left out, as ``char_script`` leaves them out.
    """
    parts = []
    for lo, hi, name in _RANGES:
        if name not in scripts:
            continue
        if name == "devanagari" and lo == 0x0900:
            parts.append("\\u0900-\\u0963\\u0970-\\u097F")
        else:
            parts.append(f"\\u{lo:04X}-\\u{hi:04X}")
    return "[" + "".join(parts) + "]"


def script_counts(text: str) -> Counter:
    """Letters per script."""
    return Counter(s for s in map(char_script, text) if s)


def dominant_script(text: str) -> str | None:
    counts = script_counts(text)
    return counts.most_common(1)[0][0] if counts else None


# ``\w`` alone stops at Indic vowel signs and viramas (प्रस्तुत -> प, रस, त, त), so the combining
# marks of the Indic, Thai and Latin blocks are added to the word class explicitly.
_WORD_CHAR = r"[\w\u0300-\u036F\u0900-\u0963\u0966-\u0DFF\u0E00-\u0E7F\uA8E0-\uA8FF]"
_WORD = re.compile(rf"{_WORD_CHAR}+(?:[-'’]{_WORD_CHAR}+)*", re.UNICODE)


def words(text: str) -> list[tuple[str, int, int]]:
    """Words with their offsets; Devanagari combining marks stay inside the word."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def scripted_words(text: str) -> list[tuple[str, int, int, str | None]]:
    """Words with offsets and the script of their first scripted letter (None for numbers).

    The first letter decides: words are single-script in practice, and this is the hot path of
    the language checks (one dictionary look-up per word instead of a count per letter).
    """
    out = []
    table = _CHAR_SCRIPT
    for m in _WORD.finditer(text):
        word = m.group()
        script = table.get(word[0], "")
        if not script:
            script = next(filter(None, map(char_script, word)), None)
        start, end = m.span()
        out.append((word, start, end, script))
    return out


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_HAS_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


# Every check of a pair normalises the same two texts again; a chunk of a parallel file holds
# about a thousand texts, and its whole-document checks read them all before the pairs' checks.
@lru_cache(maxsize=2048)
def normalize(text: str) -> str:
    """NFC, zero-width characters removed, whitespace collapsed: the form texts are compared in.

    Nukta letters such as क़ (U+0958) are excluded from composition, so NFC keeps them as
    क + ़ on both sides and the two spellings compare equal.
    """
    # str.translate walks the text in Python-object steps; a C-speed search skips it when (as
    # almost always) there is nothing to remove.
    if _HAS_ZERO_WIDTH.search(text):
        text = text.translate(_ZERO_WIDTH)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


@lru_cache(maxsize=2048)
def comparable(text: str) -> str:
    """Form for "is this the same text": :func:`normalize`, then case-folded."""
    return normalize(text).casefold()

