"""TA305: a glossary term of the English original is not rendered as the glossary requires."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from transaudit.checks.base import Check, CheckContext, register
from transaudit.locate import pair_spans
from transaudit.model import Finding, Segment, Severity
from transaudit.script import normalize


@lru_cache(maxsize=1024)
def _term_pattern(term: str) -> re.Pattern:
    """The term as a whole word or phrase, any case, any spacing, an optional plural ending."""
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?:s|es)?(?![\w-])", re.IGNORECASE)


def _renderings(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@register
class Terminology(Check):
    """A source term from the project glossary is not rendered as the glossary requires.

    Why it matters: a weekly digest teaches its readers one Hindi word per concept; a term
    rendered three ways in three issues (or left in English where the team agreed on Hindi) reads
    as three different ideas.

    What counts: the glossary lives in the config (``[tool.transaudit.glossary]``,
    ``require = {"attention" = "ध्यान"}``, a list when several renderings are fine); the Hindi is
    matched as a substring after normalisation, so inflected forms (ध्यान -> ध्यानों) count.

    Bad:  (glossary attention = ध्यान) हम एक नया attention तंत्र प्रस्तावित करते हैं।
          > We propose a new attention mechanism.
    Good: हम एक नया ध्यान तंत्र प्रस्तावित करते हैं।
          > We propose a new attention mechanism.
    """

    code = "TA305"
    category = "terminology"
    default_severity = Severity.WARNING

    def check_pair(self, pair: Segment, ctx: CheckContext) -> Iterator[Finding]:
        require = (ctx.settings.get("glossary") or {}).get("require") or {}
        if not require or not pair.is_pair:
            return
        source = normalize(pair.source)
        translation = normalize(pair.translation).casefold()
        for term, value in require.items():
            renderings = _renderings(value)
            pattern = _term_pattern(term)
            found = pattern.search(source)
            if not found or any(normalize(r).casefold() in translation for r in renderings):
                continue
            wanted = " or ".join(repr(r) for r in renderings)
            kept = pattern.search(pair.translation)
            message = f"glossary: {term!r} should be rendered as {wanted}"
            message += f", not kept as {kept.group()!r}" if kept else ", which the translation lacks"
            yield self.finding(
                ctx.document, pair.translation_line or pair.line, message,
                end_line=pair.translation_end_line, excerpt=kept.group() if kept else found.group(),
                suggestion=renderings[0], pair=pair,
                # the English term kept in the Hindi; a rendering that is simply absent has no text
                spans=pair_spans(ctx.document.lines, pair, "translation",
                                 [m.span() for m in pattern.finditer(pair.translation)]),
            )
