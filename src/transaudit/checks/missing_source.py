"""TA101 missing_source: a Hindi paragraph with no English original after it."""

from __future__ import annotations

from typing import Iterator

from transaudit.checks.base import Check, CheckContext, register
from transaudit.checks.duplicate_paragraph import MAX_NEAR_CHARS, NEAR_RATIO, dup_key, similarity
from transaudit.language import line_excerpt
from transaudit.model import Document, Finding, Segment, Severity
from transaudit.parsing.lang_hint import looks_hindi
from transaudit.renderings import second_renderings
from transaudit.script import dominant_script

# ratio >= NEAR_RATIO needs 2*min/(a+b) >= NEAR_RATIO: the shorter at least this share of the longer.
_MIN_LENGTH_SHARE = NEAR_RATIO / (2 - NEAR_RATIO)


def _similar(a: str, b: str) -> bool:
    """The near-repeat test of duplicate_paragraph, on normalised keys."""
    if a == b:
        return True
    if len(a) > MAX_NEAR_CHARS or len(b) > MAX_NEAR_CHARS:
        return False
    return similarity(a.split(" "), b.split(" "), NEAR_RATIO) >= NEAR_RATIO


def _explained_by_repeat(i: int, keys: list[str | None], paired: list[bool], index: "_RepeatIndex | None" = None) -> bool:
    """Paragraph ``i`` repeats an earlier paragraph, or a later one that has its original.

    Either way the stray copy is the duplicate_paragraph finding; reporting its missing
    original as well would count one mistake twice.
    """
    index = index or _RepeatIndex(keys)
    key = keys[i]
    for j in index.candidates(i):
        other = keys[j]
        if j == i or other is None or (j > i and not paired[j]):
            continue
        shorter, longer = sorted((len(key), len(other)))
        if longer and shorter / longer >= _MIN_LENGTH_SHARE and _similar(key, other):
            return True
    return False


class _RepeatIndex:
    """The paragraphs an orphan may repeat, without comparing it with every paragraph: those
    with its key, and those sharing at least half of its informative sampled word trigrams (a
    near repeat at ratio 0.9 shares far more); built once per document, only when it has
    orphans."""

    MAX_POSTINGS = 64

    def __init__(self, keys: list[str | None]):
        from transaudit.dupindex import key_grams as ngrams  # memoised: the corpus pass reads them too

        self.keys = keys
        self.exact: dict[str, list[int]] = {}
        self.postings: dict[int, list[int]] = {}
        self.grams: list[frozenset] = []
        for j, key in enumerate(keys):
            grams = ngrams(key) if key is not None and len(key) <= MAX_NEAR_CHARS else frozenset()
            self.grams.append(grams)
            if key is None:
                continue
            self.exact.setdefault(key, []).append(j)
            for g in grams:
                self.postings.setdefault(g, []).append(j)

    def candidates(self, i: int) -> list[int]:
        from collections import Counter

        key = self.keys[i]
        if key is None:
            return []
        same = [j for j in self.exact.get(key, ()) if j != i]
        grams = self.grams[i]
        if not grams:
            return same
        # as in duplicate_paragraph's index: a trigram of many paragraphs (a template phrase)
        # tells nothing and is left out of the count and of the share a candidate must reach
        lists = [p for g in grams if len(p := self.postings.get(g, ())) <= self.MAX_POSTINGS]
        shared = Counter(j for p in lists for j in p if j != i)
        need = len(lists) / 2
        return same + sorted(j for j, n in shared.items() if n >= need and self.keys[j] != key)


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
    the translation.

    What counts: a stray copy of another paragraph is left to duplicate_paragraph, and an
    English text found without its ``>`` marker to unquoted_source.

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
        orphans = [i for i, seg in enumerate(doc.segments)
                   if seg.translation is not None and seg.source is None and _is_hindi_slot_text(seg.translation)]
        if not orphans:
            return
        # A second Hindi rendering standing in the English slot is duplicate_paragraph's finding.
        renderings = {r.line for r in second_renderings(doc) if r.segment.translation_line == r.line}
        orphans = [i for i in orphans if doc.segments[i].translation_line not in renderings]
        keys = [dup_key(seg.translation) if seg.translation is not None else None for seg in doc.segments]
        paired = [seg.is_pair for seg in doc.segments]
        index = _RepeatIndex(keys)
        for i in orphans:
            if not _explained_by_repeat(i, keys, paired, index):
                yield self._finding(doc, doc.segments[i])

    def _finding(self, doc: Document, seg: Segment) -> Finding:
        message = ("row has a translation but no source" if doc.layout == "parallel"
                   else "Hindi paragraph has no English original (quote) after it")
        return self.finding(
            doc, seg.translation_line or 1, message,
            end_line=seg.translation_end_line, excerpt=line_excerpt(seg.translation, 0, len(seg.translation), 80), pair=seg,
            spans=(),  # nothing in the file is wrong: the original is absent
        )
