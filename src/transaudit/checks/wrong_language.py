"""TA203 wrong_language: a third language on either side of a pair."""

from __future__ import annotations

import re
from typing import Iterator

from transaudit.checks.base import Check, CheckContext, register
from transaudit.language import (
    LANGUAGE_NAMES,
    SCRIPT_NAMES,
    analyse,
    comparable,
    sentence_spans,
    devanagari_variants,
    foreign_script_spans,
    has_devanagari,
    latin_language,
    line_excerpt,
)
from transaudit.locate import pair_spans
from transaudit.model import Finding, Segment, Severity

# A Latin text needs this many words before a detector's "not English" is believed.
MIN_LATIN_WORDS = 8
# Words no other Latin-script language writes: two of them settle "English" without counting.
_ENGLISH_ONLY = re.compile(r"(?<![A-Za-z])(?:the|and|that|this|which|with|from|their)(?![A-Za-z])", re.IGNORECASE)


@register
class WrongLanguage(Check):
    """A third language in a pair: another script, Marathi/Nepali instead of Hindi, or a non-English original.

    Another script means Korean, Chinese, Japanese, Arabic/Urdu, Cyrillic, Bengali, Tamil ... on
    either side. Why it matters: machine translation sometimes drifts into a neighbouring language; a
    reader of the Hindi edition cannot read it. A foreign-script term both sides carry (a
    quoted example) is fine; Greek letters are notation.

    Bad:  • 우리는 새로운 방법을 제안합니다, जो LLMs को बेहतर बनाता है।
    Bad:  • आम्ही एक नवीन पद्धत सादर करतो आणि ती LLMs ना सुधारते.
    Good: • हम एक नई विधि प्रस्तुत करते हैं, जो LLMs को बेहतर बनाती है।
    """

    code = "TA203"
    category = "wrong_language"
    default_severity = Severity.ERROR

    def check_pair(self, pair: Segment, ctx: CheckContext) -> Iterator[Finding]:
        sides = (
            (pair.translation, pair.translation_line, pair.translation_end_line,
             lambda: self._located_in_translation(pair.translation, pair.source or "")),
            (pair.source, pair.source_line, pair.source_end_line,
             lambda: self._located_in_source(pair.source, pair.translation or "")),
        )
        for (text, line, end_line, find), side in zip(sides, ("translation", "source")):
            found = find() if text and line is not None else None
            if found:
                message, excerpt, ranges = found
                yield self.finding(ctx.document, line, message, end_line=end_line, excerpt=excerpt, pair=pair,
                                   spans=pair_spans(ctx.document.lines, pair, side, ranges))

    # (message, excerpt) for a text, as before spans existed; the _located_ forms add the ranges.
    def _in_translation(self, translation: str, source: str) -> tuple[str, str] | None:
        return _message_excerpt(self._located_in_translation(translation, source))

    def _in_source(self, source: str, translation: str) -> tuple[str, str] | None:
        return _message_excerpt(self._located_in_source(source, translation))

    @staticmethod
    def _foreign_scripts(text: str, other_side: str, side: str) -> tuple[str, str] | None:
        return _message_excerpt(WrongLanguage._located_foreign_scripts(text, other_side, side))

    @staticmethod
    def _latin_not_english(text: str, side: str) -> tuple[str, str] | None:
        return _message_excerpt(WrongLanguage._located_latin_not_english(text, side))

    @staticmethod
    def _located_foreign_scripts(text: str, other_side: str, side: str) -> tuple[str, str, list] | None:
        spans = foreign_script_spans(text)
        if spans:
            other = comparable(other_side)
            spans = [s for s in spans if comparable(s.text) not in other]
        if not spans:
            return None
        names = ", ".join(dict.fromkeys(SCRIPT_NAMES.get(s.script, s.script) for s in spans))
        excerpt = line_excerpt(text, spans[0].start, spans[0].end)
        return f"{side} contains {names} text: {excerpt[:60]!r}", excerpt, [(s.start, s.end) for s in spans]

    def _located_in_translation(self, translation: str, source: str) -> tuple[str, str, list] | None:
        found = self._located_foreign_scripts(translation, source, "Hindi paragraph")
        if found:
            return found
        variants = devanagari_variants(translation)
        if variants:
            first = variants[0]
            name = LANGUAGE_NAMES[first.language]
            evidence = ", ".join(dict.fromkeys(first.markers))
            excerpt = line_excerpt(translation, first.start, first.end)
            return (f"Hindi paragraph has {name} instead of Hindi (marker words: {evidence}): {excerpt[:60]!r}",
                    excerpt, _whole_sentences(translation, [(v.start, v.end) for v in variants]))
        return self._located_latin_not_english(translation, "Hindi paragraph")

    def _located_in_source(self, source: str, translation: str) -> tuple[str, str, list] | None:
        return (self._located_foreign_scripts(source, translation, "English original")
                or self._located_latin_not_english(source, "English original"))

    @staticmethod
    def _located_latin_not_english(text: str, side: str) -> tuple[str, str, list] | None:
        if has_devanagari(text) or len(_ENGLISH_ONLY.findall(text, 0, 2000)) >= 2:
            return None  # Hindi is another check's business; "the ... which" is plainly English
        verdict = latin_language(text)
        if verdict.language in (None, "en") or verdict.words < MIN_LATIN_WORDS:
            return None
        latin = analyse(text).latin
        excerpt = line_excerpt(text, latin[0].start, latin[-1].end)
        expected = "English" if side == "English original" else "Hindi or English"
        return (f"{side} is in another language (detected {verdict.language!r}), not {expected}: {excerpt[:60]!r}",
                excerpt, [(latin[0].start, latin[-1].end)])


def _message_excerpt(found: tuple[str, str, list] | None) -> tuple[str, str] | None:
    return found[:2] if found else None


def _whole_sentences(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each range widened to its sentence, read across line breaks (a wrapped paragraph's
    lines are one text: the variant found on one line is the whole sentence's)."""
    sentences = sentence_spans(text.replace("\n", " "))
    out = []
    for a, b in ranges:
        around = [(s, e) for s, e in sentences if s <= a and b <= e]
        out.append(around[0] if around else (a, b))
    return list(dict.fromkeys(out))
