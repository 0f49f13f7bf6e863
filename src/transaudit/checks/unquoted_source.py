"""TA103 unquoted_source: an English original written without its quote marker."""

from __future__ import annotations

from typing import Iterator

from transaudit.checks.base import Check, CheckContext, register
from transaudit.fixes.build import quote_marker_fix, quote_prefix
from transaudit.language import line_excerpt
from transaudit.locate import pair_spans
from transaudit.model import Finding, Segment, Severity


@register
class UnquotedSource(Check):
    """An English original is there but lost its quote marker.

    Why it matters: without the ``>`` the English original renders as a second paragraph
    of the Hindi text, and tools (and readers) no longer see which text is the original.

    Bad:
        • हम StitchNet प्रस्तावित करते हैं, neural networks बनाने का एक नया तरीका।
          We propose StitchNet, a novel neural network creation paradigm.

    Good:
        • हम StitchNet प्रस्तावित करते हैं, neural networks बनाने का एक नया तरीका।
          > We propose StitchNet, a novel neural network creation paradigm.
    """

    code = "TA103"
    category = "unquoted_source"
    default_severity = Severity.ERROR

    def check_pair(self, pair: Segment, ctx: CheckContext) -> Iterator[Finding]:
        if pair.source is None or pair.source_quoted:
            return
        yield self.finding(
            ctx.document, pair.source_line or 1,
            "English original is missing its quote marker ('> ')",
            end_line=pair.source_end_line, excerpt=line_excerpt(pair.source, 0, len(pair.source), 80), pair=pair,
            spans=pair_spans(ctx.document.lines, pair, "source", [(0, len(pair.source))]),
            fix=quote_marker_fix(ctx.document, pair.source_line, pair.source_end_line or pair.source_line,
                                 self._prefix(ctx)) if pair.source_line else None,
        )

    @staticmethod
    def _prefix(ctx: CheckContext) -> str:
        """The digest's quote marker, read once per document."""
        key = ("quote_prefix", id(ctx.document))
        if key not in ctx.cache:
            ctx.cache[key] = quote_prefix(ctx.document)
        return ctx.cache[key]
