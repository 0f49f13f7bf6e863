"""Per-pair analyses shared by the content checks, computed once per pair.

number_mismatch (TA301), entity_mismatch (TA302) and omission (TA303) all look at the same
normalised texts, number differences and missing names; each is memoised in the run's
``CheckContext.cache``.
"""

from __future__ import annotations

from transaudit.checks.base import CheckContext
from transaudit.entities import Entity, missing_entities
from transaudit.model import Segment
from transaudit.numbers import NumberDiff, compare_normalized
from transaudit.script import normalize


def memo(name: str, pair: Segment, ctx: CheckContext, compute):
    """``compute()`` once per pair and run (keyed by the pair's index and lines)."""
    key = ("content", name, pair.index, pair.translation_line, pair.source_line)
    cache = ctx.cache
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def normalized_pair(pair: Segment, ctx: CheckContext) -> tuple[str, str]:
    """(source, translation) normalised: NFC, no zero-width characters, whitespace collapsed."""
    return memo("normalized", pair, ctx, lambda: (normalize(pair.source or ""), normalize(pair.translation or "")))


def number_diff(pair: Segment, ctx: CheckContext) -> NumberDiff:
    return memo("numbers", pair, ctx, lambda: compare_normalized(*normalized_pair(pair, ctx)))


def entity_misses(pair: Segment, ctx: CheckContext) -> list[tuple[Entity, str | None]]:
    return memo("entities", pair, ctx, lambda: missing_entities(*normalized_pair(pair, ctx)))
