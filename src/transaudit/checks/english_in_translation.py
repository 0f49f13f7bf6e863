"""TA202 english_in_translation: the Hindi slot holds untranslated English."""

from __future__ import annotations

from typing import Iterator

from transaudit.checks.base import Check, CheckContext, register
from transaudit.language import english_slot, line_excerpt
from transaudit.lines_outside_pairs import english_title_halves
from transaudit.locate import pair_spans
from transaudit.model import Document, Finding, Segment, Severity


@register
class EnglishInTranslation(Check):
    """The Hindi paragraph is (almost) all English: often the source copied unchanged.

    Why it matters: the reader of the Hindi edition gets no translation at all.

    What counts: English terms
    inside a Hindi sentence are normal and are not this problem: a slot counts as English when
    it equals the source, or is Latin prose (English function words) with at most a stray Hindi
    word.

    Bad:  • We introduce REPLUG, a retrieval-augmented language modeling framework.
    Good: • हम REPLUG प्रस्तुत करते हैं, एक retrieval-augmented language modeling framework।
    """

    code = "TA202"
    category = "english_in_translation"
    default_severity = Severity.ERROR

    def check_document(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        for line, hindi_half in english_title_halves(doc):
            yield self.finding(doc, line, f"paper title's Hindi half is English: {hindi_half[:60]!r}",
                               excerpt=hindi_half)

    def check_pair(self, pair: Segment, ctx: CheckContext) -> Iterator[Finding]:
        if not pair.translation or pair.translation_line is None:
            return
        slot = english_slot(pair.translation, pair.source)
        if slot is None:
            return
        if slot.reason == "same_as_source":
            what = "is the English original copied unchanged"
        elif slot.devanagari_words:
            what = f"is English ({slot.latin_words} Latin words, only {slot.devanagari_words} in Devanagari)"
        else:
            what = f"is English ({slot.latin_words} Latin words, none in Devanagari)"
        excerpt = line_excerpt(pair.translation, 0, len(pair.translation))
        yield self.finding(
            ctx.document,
            pair.translation_line,
            f"Hindi paragraph {what}: {excerpt[:60]!r}",
            end_line=pair.translation_end_line,
            excerpt=excerpt,
            pair=pair,
            spans=pair_spans(ctx.document.lines, pair, "translation", [(0, len(pair.translation))]),
        )
