"""Find a finding's excerpt in a text and cut the text into plain and marked pieces.

The pieces stay plain strings; the template escapes each one, so a digest holding
``</mark><script>`` cannot break out of the highlight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def locate(text: str, excerpt: str) -> tuple[int, int] | None:
    """Start and end of ``excerpt`` in ``text``: exact, then ignoring case, then ignoring spacing."""
    if not text or not excerpt or not excerpt.strip():
        return None
    start = text.find(excerpt)
    if start >= 0:
        return start, start + len(excerpt)
    start = text.lower().find(excerpt.lower())
    if start >= 0 and len(text.lower()) == len(text):  # lower() kept offsets aligned
        return start, start + len(excerpt)
    words = excerpt.split()
    if not words:
        return None
    match = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return (match.start(), match.end()) if match else None


def mark_spans(spans: list[dict], maps: dict) -> list[tuple[str, int, int]] | None:
    """``(side, start, end)`` in a side's text for each span of a finding (JSON form), using
    each side's :class:`~transaudit.locate.TextMap`; None when a span lies on no side's text
    (the digest changed since the result was written, or the map is missing)."""
    from transaudit.model import Span

    out = []
    for raw in spans:
        try:
            span = Span(int(raw["line"]), int(raw["column"]), int(raw["end_line"]), int(raw["end_column"]))
        except (KeyError, TypeError, ValueError):
            return None
        for side, tmap in maps.items():
            where = tmap.offsets(span)
            if where and where[1] > where[0]:
                out.append((side, *where))
                break
        else:
            return None
    return out


@dataclass(frozen=True)
class Piece:
    text: str
    finding_ids: tuple[str, ...] = ()  # empty: plain text; else the findings marking it

    @property
    def marked(self) -> bool:
        return bool(self.finding_ids)


def split_marked(text: str, spans: list[tuple[int, int, str]]) -> list[Piece]:
    """Cut ``text`` at every span edge; overlapping spans give pieces marked by several ids."""
    if not text:
        return []
    edges = {0, len(text)}
    for start, end, _ in spans:
        edges.update((max(0, start), min(len(text), end)))
    cuts = sorted(edges)
    pieces: list[Piece] = []
    for a, b in zip(cuts, cuts[1:]):
        if a == b:
            continue
        ids = tuple(fid for start, end, fid in spans if start <= a and b <= end)
        if pieces and pieces[-1].finding_ids == ids:
            pieces[-1] = Piece(pieces[-1].text + text[a:b], ids)
        else:
            pieces.append(Piece(text[a:b], ids))
    return pieces


def pieces_html(pieces: list[Piece]):
    """The pieces as HTML: each piece escaped on its own, marked ones wrapped in <mark>."""
    from markupsafe import Markup, escape

    out = []
    for p in pieces:
        if p.marked:
            out.append(f'<mark data-for="{escape(" ".join(p.finding_ids))}">{escape(p.text)}</mark>')
        else:
            out.append(str(escape(p.text)))
    return Markup("".join(out))
