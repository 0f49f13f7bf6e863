"""Split long pairs into sentence-aligned chunks that fit the model, never truncating silently.

COMET truncates each input at the encoder's limit (512 tokens for XLM-R) without a word, so a
long paragraph would be scored on its first half only. Here both sides are split into
sentences, aligned monotonically (1-1, 1-2 and 2-1 beads, as Gale & Church do, plus 1-0/0-1
for a sentence with no counterpart, which is then attached to its neighbour so no text is
dropped), and consecutive aligned units are packed into chunks as long as they fit.

Pure Python: the caller passes ``fits(source, translation) -> bool`` built from the model's
own tokenizer.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable

# Words that end with a full stop without ending the sentence (compared lower-cased, without
# the final dot). "etc." is left out on purpose: it usually does end the sentence.
ABBREVIATIONS = frozenset(
    """e.g i.e et al al cf vs viz approx resp fig figs eq eqs sec secs tab ref refs no nos vol
    pp ch dr mr mrs ms prof inc ltd jr sr st dept univ ph.d u.s u.k a.k.a w.r.t""".split()
)

# A terminator run, closing quotes/brackets, then whitespace or the end of the text.
_BOUNDARY = re.compile(r"([.!?\u0964\u0965\u2026]+)([\"'\u201d\u2019)\]]*)(?=\s|$)")
_WORD_BEFORE = re.compile(r"(\S+)$")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of ``text`` (Hindi ``।``/``॥``, ``?``, ``!``, ``.``; English sentence ends).

    A full stop after an abbreviation (``e.g.``, ``et al.``), an initial (``J. Smith``) or
    before a lower-case word does not end a sentence; decimals (``4.5``) never match because
    no space follows their dot.

    >>> t = "Accuracy rose to 91.4 percent, i.e. four points. Smith et al. agree! यह सही है। ठीक?"
    >>> [t[s.start:s.end] for s in split_sentences(t)]
    ['Accuracy rose to 91.4 percent, i.e. four points.', 'Smith et al. agree!', 'यह सही है।', 'ठीक?']
    """
    spans: list[Span] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if not _ends_sentence(text, m):
            continue
        span = _strip(text, start, end)
        if span:
            spans.append(span)
        start = end
    tail = _strip(text, start, len(text))
    if tail:
        spans.append(tail)
    return spans


def _ends_sentence(text: str, m: re.Match) -> bool:
    marks = m.group(1)
    if "\u0964" in marks or "\u0965" in marks or "?" in marks or "!" in marks:
        return True
    rest = text[m.end():].lstrip()
    if not rest:
        return True
    if rest[0].islower():  # "approx. three", "e.g. from English": the sentence goes on
        return False
    before = _WORD_BEFORE.search(text, 0, m.start())
    word = before.group(1).lstrip("([\"'\u201c\u2018").lower() if before else ""
    if word in ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isalpha() and word.isascii():  # an initial: "J. Smith"
        return False
    return True


def _strip(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


# -- alignment -------------------------------------------------------------------------------

# Extra cost of each bead shape; 1-1 is the norm, merges cost a little, a sentence without a
# counterpart costs more (its length mismatch is also paid in the ratio term).
BEAD_PENALTY: dict[tuple[int, int], float] = {
    (1, 1): 0.0, (1, 2): 0.4, (2, 1): 0.4, (1, 0): 1.5, (0, 1): 1.5,
}


def align(source_lengths: list[int], target_lengths: list[int]) -> list[tuple[range, range]]:
    """Monotonic alignment of two sentence lists by length (dynamic programming).

    Returns beads ``(source_range, target_range)`` covering both lists in order. The cost of a
    bead is how far its length ratio is from the pair's overall ratio, on a log scale, plus
    ``BEAD_PENALTY`` for its shape.

    >>> align([10, 40, 40], [12, 90])
    [(range(0, 1), range(0, 1)), (range(1, 3), range(1, 2))]
    """
    n, m = len(source_lengths), len(target_lengths)
    ratio = (sum(target_lengths) + 1) / (sum(source_lengths) + 1)
    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            base = cost[i][j]
            if base == inf:
                continue
            for (di, dj), penalty in BEAD_PENALTY.items():
                ni, nj = i + di, j + dj
                if ni > n or nj > m:
                    continue
                ls = sum(source_lengths[i:ni])
                lt = sum(target_lengths[j:nj])
                c = base + penalty + abs(math.log((lt + 1) / (ratio * ls + 1)))
                if c < cost[ni][nj]:
                    cost[ni][nj] = c
                    back[ni][nj] = (di, dj)
    beads: list[tuple[range, range]] = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]  # type: ignore[misc]
        beads.append((range(i - di, i), range(j - dj, j)))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


def _attach_unmatched(beads: list[tuple[range, range]]) -> list[tuple[range, range]]:
    """Fold 1-0 and 0-1 beads into a neighbour, so every unit has text on both sides."""
    units: list[tuple[range, range]] = []
    pending: tuple[range, range] | None = None  # unmatched beads before the first full one
    for src, tgt in beads:
        if src and tgt or not units:
            if pending is not None:
                src = range(min(pending[0].start, src.start), max(pending[0].stop, src.stop))
                tgt = range(min(pending[1].start, tgt.start), max(pending[1].stop, tgt.stop))
                pending = None
            if src and tgt:
                units.append((src, tgt))
            else:
                pending = (src, tgt)
            continue
        last_src, last_tgt = units[-1]
        units[-1] = (range(last_src.start, max(last_src.stop, src.stop)),
                     range(last_tgt.start, max(last_tgt.stop, tgt.stop)))
    if pending is not None:  # only possible when one side has no sentence at all
        units.append(pending)
    return units


# -- chunks ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Chunk:
    source: str
    translation: str
    fits: bool  # False: even this smallest aligned unit exceeds the model's limit


def make_chunks(source: str, translation: str, fits: Callable[[str, str], bool]) -> list[Chunk]:
    """One chunk when the pair fits; otherwise aligned sentence groups, packed greedily."""
    if fits(source, translation):
        return [Chunk(source, translation, True)]
    src_spans, tgt_spans = split_sentences(source), split_sentences(translation)
    if not src_spans or not tgt_spans:
        return [Chunk(source, translation, False)]
    units = _attach_unmatched(align([s.end - s.start for s in src_spans],
                                    [s.end - s.start for s in tgt_spans]))

    def text(spans: list[Span], idx: range, whole: str) -> str:
        return whole[spans[idx.start].start:spans[idx.stop - 1].end]

    chunks: list[Chunk] = []
    current: tuple[range, range] | None = None
    for unit in units:
        if current is not None:
            merged = (range(current[0].start, unit[0].stop), range(current[1].start, unit[1].stop))
            if fits(text(src_spans, merged[0], source), text(tgt_spans, merged[1], translation)):
                current = merged
                continue
            chunks.append(_chunk(current, src_spans, tgt_spans, source, translation, fits, text))
        current = unit
    if current is not None:
        chunks.append(_chunk(current, src_spans, tgt_spans, source, translation, fits, text))
    return chunks


def _chunk(unit, src_spans, tgt_spans, source, translation, fits, text) -> Chunk:
    s = text(src_spans, unit[0], source)
    t = text(tgt_spans, unit[1], translation)
    return Chunk(s, t, fits(s, t))
