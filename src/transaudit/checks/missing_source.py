"""TA101 missing_source: a Hindi paragraph with no English original after it."""

from __future__ import annotations

import difflib
from typing import Iterator

from transaudit.checks.base import Check, CheckContext, register
from transaudit.model import Document, Finding, Segment, Severity
from transaudit.parsing.lang_hint import looks_hindi
from transaudit.script import dominant_script, normalize

NEAR_DUPLICATE = 0.9  # difflib ratio at which a paragraph counts as a repeat
_MAX_FUZZY = 20_000  # longer texts are compared exactly (difflib is quadratic)


def _key(text: str) -> str:
    return normalize(text).casefold()


def _is_repeat(text: str, earlier: list[str]) -> bool:
    for other in earlier:
        if text == other:
            return True
        if len(text) > _MAX_FUZZY or len(other) > _MAX_FUZZY:
            continue
        matcher = difflib.SequenceMatcher(None, text, other, autojunk=False)
        if (matcher.real_quick_ratio() >= NEAR_DUPLICATE and matcher.quick_ratio() >= NEAR_DUPLICATE
                and matcher.ratio() >= NEAR_DUPLICATE):
            return True
    return False


def _is_hindi_slot_text(text: str) -> bool:
    """Hindi as tech Hindi is written, or another non-Latin script (a wrong-language slot).

    Plain English prose (a README next to the digests, the source pasted into the Hindi slot)
    is not a "Hindi paragraph"; english_in_translation covers the latter.
    """
    if looks_hindi(text):
        return True
    top = dominant_script(text[:4000])
    return top is not None and top not in ("latin", "devanagari")


@register
class MissingSource(Check):
    """A Hindi paragraph has no English original after it.

    Why it matters: every Hindi paragraph of a digest is followed by the English original it
    translates, so readers and reviewers can compare the two; without it nobody can check
    the translation. A paragraph that repeats an earlier one is left to duplicate_paragraph,
    and an English text found without its ``>`` marker to unquoted_source.

    Bad:
      पेपर परिचय
        • VALL-E एक text-to-audio मॉडल प्रस्तुत करता है।
      पेपर सारांश

    Good:
      पेपर परिचय
        • VALL-E एक text-to-audio मॉडल प्रस्तुत करता है।
          > Introduces VALL-E, a text-to-audio model.
    """

    code = "TA101"
    category = "missing_source"
    default_severity = Severity.ERROR

    def check_document(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        earlier: list[str] = []
        for seg in doc.segments:
            if seg.translation is None:
                continue
            key = _key(seg.translation)
            if seg.source is None and _is_hindi_slot_text(seg.translation) and not _is_repeat(key, earlier):
                yield self._finding(doc, seg)
            earlier.append(key)

    def _finding(self, doc: Document, seg: Segment) -> Finding:
        message = ("row has a translation but no source" if doc.layout == "parallel"
                   else "Hindi paragraph has no English original (quote) after it")
        return self.finding(
            doc, seg.translation_line or 1, message,
            end_line=seg.translation_end_line, excerpt=seg.translation.split("\n")[0][:80], pair=seg,
        )
