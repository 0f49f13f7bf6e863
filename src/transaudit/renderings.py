"""Which Hindi paragraph belongs to which English original, when two Hindi texts compete.

- A second Hindi rendering written in the English slot (no ``>``, Devanagari): two Hindi
  paragraphs in a row with nothing between them, the second a re-translation of the first.
- A paragraph copied into another pair: of two equal Hindi paragraphs, the stray copy is the
  one that fits its own English original worse.

Fit is read from the Latin tokens a tech-Hindi paragraph keeps from its original (names,
terms, numbers): plain data in, plain data out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from transaudit.entities import missing_entities
from transaudit.model import Document, Segment
from transaudit.numbers import NumberDiff, compare_normalized
from transaudit.parsing.lang_hint import looks_hindi
from transaudit.script import comparable, normalize

_KEPT = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*")
RENDERING_SIMILARITY = 0.5  # share of Latin tokens two renderings of one original have in common
_MAX_CHARS = 20_000  # longer texts are never compared token by token


def kept_tokens(text: str) -> set[str]:
    return {t.casefold().rstrip(".") for t in _KEPT.findall(text[:_MAX_CHARS])}


def fit(hindi: str, source: str | None) -> float:
    """Share of the Hindi's kept Latin tokens that its English original has too."""
    kept = kept_tokens(hindi)
    if not kept or not source:
        return 0.0
    return len(kept & kept_tokens(source)) / len(kept)


def _overlap(a: str, b: str) -> float:
    ka, kb = kept_tokens(a), kept_tokens(b)
    if not ka or not kb:
        return 1.0 if comparable(a[:_MAX_CHARS]) == comparable(b[:_MAX_CHARS]) else 0.0
    return len(ka & kb) / max(len(ka), len(kb))


@dataclass(frozen=True)
class Rendering:
    """A second Hindi rendering (``line``..``end_line``, ``text``) in the English slot of the
    paragraph at ``first_line``..``first_end_line``."""

    first_line: int
    first_end_line: int
    first_text: str
    line: int
    end_line: int
    text: str
    segment: Segment  # the segment holding the second rendering


def _renders(first: str, second: str) -> bool:
    return looks_hindi(first) and looks_hindi(second) and _overlap(first, second) >= RENDERING_SIMILARITY


def second_renderings(doc: Document) -> list[Rendering]:
    """Second Hindi renderings standing where the English original belongs: a Hindi paragraph
    with no original right after another one (only blank lines between, one section) that keeps
    the first's names and terms, or, in the text layout, an indented line under a Hindi bullet
    (where ``> `` would be) that renders the bullet's sentences again."""
    out = []
    segs = doc.segments
    for a, b in zip(segs, segs[1:]):
        if a.source is not None or b.source is not None or not a.translation or not b.translation:
            continue
        if a.section != b.section or a.paper != b.paper or a.translation_end_line is None or b.translation_line is None:
            continue
        between = doc.lines[a.translation_end_line: b.translation_line - 1]
        if not any(line.strip() for line in between) and _renders(a.translation, b.translation):
            out.append(Rendering(a.translation_line, a.translation_end_line, a.translation,
                                 b.translation_line, b.translation_end_line or b.translation_line, b.translation, b))
    seen = {r.line for r in out}
    for seg in segs:
        if seg.source is not None or not seg.translation or "\n" not in seg.translation or seg.translation_line is None:
            continue
        parts = seg.translation.split("\n")
        for k in range(1, len(parts)):
            first = "\n".join(parts[:k])
            line = seg.translation_line + k
            if line in seen or not first.rstrip().endswith("।"):
                continue
            if _renders(first, parts[k]) and 0.5 <= len(parts[k]) / max(len(first), 1) <= 2:
                out.append(Rendering(seg.translation_line, line - 1, first, line, line, parts[k], seg))
                break
    return out


def cached_renderings(doc: Document, cache: dict) -> list[Rendering]:
    """:func:`second_renderings` once per document and run (several checks read them)."""
    key = ("renderings", id(doc))
    if key not in cache:
        cache[key] = second_renderings(doc)
    return cache[key]


def number_differences(r: Rendering) -> NumberDiff:
    """Quantities of the first rendering missing from the second (``missing``) and the reverse
    (``extra``), offsets in the normalised texts: 101B in one, 101 in the other."""
    return compare_normalized(normalize(r.first_text), normalize(r.text))


def name_differences(r: Rendering) -> list[tuple[str | None, str | None]]:
    """Names one rendering writes and the other does not, as (first's form, second's form), None
    where a rendering has no form of it: each is the other's only witness of the lost original,
    so both ways (GPT-3 in one, GPT-4 in the other)."""
    first, second = normalize(r.first_text), normalize(r.text)
    out: list[tuple[str | None, str | None]] = []
    seen: set[str] = set()
    for ent, altered in missing_entities(first, second):
        seen.update(x.casefold() for x in (ent.text, altered) if x)
        out.append((ent.text, altered))
    for ent, altered in missing_entities(second, first):
        if ent.text.casefold() not in seen and (altered is None or altered.casefold() not in seen):
            out.append((altered, ent.text))
    return out
