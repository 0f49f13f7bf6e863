"""TA102 missing_translation: an English original with no Hindi paragraph before it."""

from __future__ import annotations

from typing import Iterator

from transaudit.checks.base import Check, CheckContext, register
from transaudit.language import line_excerpt
from transaudit.model import Finding, Segment, Severity


@register
class MissingTranslation(Check):
    """An English original has no Hindi paragraph before it.

    Why it matters: the reader of the Hindi edition gets only the English quote; the
    paragraph was deleted or never written.

    Bad:
      पेपर परिचय
          > Introduces VALL-E, a text-to-audio model.

    Good:
      पेपर परिचय
        • VALL-E एक text-to-audio मॉडल प्रस्तुत करता है।
          > Introduces VALL-E, a text-to-audio model.
    """

    code = "TA102"
    category = "missing_translation"
    default_severity = Severity.ERROR

    def check_pair(self, pair: Segment, ctx: CheckContext) -> Iterator[Finding]:
        if pair.translation is not None or pair.source is None:
            return
        doc = ctx.document
        message = ("row has a source but no translation" if doc.layout == "parallel"
                   else "English original has no Hindi paragraph before it")
        yield self.finding(
            doc, pair.source_line or 1, message,
            end_line=pair.source_end_line, excerpt=line_excerpt(pair.source, 0, len(pair.source), 80), pair=pair,
            spans=(),  # the quote is right; the paragraph before it is absent
        )
