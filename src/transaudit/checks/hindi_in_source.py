"""TA201 hindi_in_source: Devanagari text inside the English original."""

from __future__ import annotations

import re
from typing import Iterator

from transaudit.checks.base import Check, CheckContext, register
from transaudit.language import Word, analyse, has_devanagari, line_excerpt, quoted_spans, sentence_spans
from transaudit.locate import pair_spans
from transaudit.model import Finding, Segment, Severity


@register
class HindiInSource(Check):
    """Hindi (Devanagari) words inside the English original quote.

    Why it matters: the quote is the English original readers check the Hindi against; Hindi
    in it means the original was overwritten with (part of) a translation. A single quoted
    Devanagari word, given by the paper as an example (``greetings such as “नमस्ते”``), is fine.

    Bad:  > मौजूदा NNs के pretrained fragments को फिर से उपयोग करके नए networks बनाने का idea।
    Good: > Reuses pretrained fragments of existing NNs to build new coherent neural networks.
    """

    code = "TA201"
    category = "hindi_in_source"
    default_severity = Severity.ERROR

    def check_pair(self, pair: Segment, ctx: CheckContext) -> Iterator[Finding]:
        if not pair.source or pair.source_line is None:
            return
        source = pair.source
        if not has_devanagari(source):
            return
        hindi = analyse(source).devanagari
        if not hindi:
            return
        # One quoted Devanagari word is an example the paper gives (``such as “नमस्ते”``); two or
        # more words, or an unquoted one, are translation text that leaked into the original.
        if len(hindi) == 1 and any(s <= hindi[0].start and hindi[0].end <= e for s, e in quoted_spans(source)):
            return
        # The excerpt spans the Hindi on the first line that has any, so a report can mark it.
        line_end = source.find("\n", hindi[0].start)
        on_line = [w for w in hindi if line_end < 0 or w.start < line_end]
        excerpt = line_excerpt(source, on_line[0].start, on_line[-1].end)
        share = f"{len(hindi)} of {len(analyse(source).words)} words"
        yield self.finding(
            ctx.document,
            pair.source_line,
            f"English original contains Hindi (Devanagari) text ({share}): {excerpt[:60]!r}",
            end_line=pair.source_end_line,
            excerpt=excerpt,
            pair=pair,
            spans=pair_spans(ctx.document.lines, pair, "source", hindi_ranges(source, hindi)),
        )


_CLAUSE_BREAK = re.compile(r"[,;:]")


def hindi_ranges(text: str, hindi: list[Word]) -> list[tuple[int, int]]:
    """One range per sentence with Hindi in it, from its first to its last Devanagari word, and
    on to the sentence's edges when no comma, semicolon or colon intervenes and brackets and
    quotes stay balanced: a code-mixed Hindi sentence keeps its Latin terms (``... का नया idea``,
    ``(यानी zero-shot)``), an English clause before ``, जो ...`` stays out."""
    # A quote wraps over lines; its sentences do not end at a line break.
    flat = text.replace("\n", " ")
    out, i = [], 0
    for start, end in sentence_spans(flat):
        first = last = None
        while i < len(hindi) and hindi[i].start < end:
            if hindi[i].start >= start:
                first = first or hindi[i]
                last = hindi[i]
            i += 1
        if first is None:
            continue
        head = not _CLAUSE_BREAK.search(flat, start, first.start)
        tail = not _CLAUSE_BREAK.search(flat, last.end, end)
        for a, b, ok in ((start, end, head and tail), (start, last.end, head), (first.start, end, tail)):
            if ok and _balanced(flat[a:b]):
                out.append((a, b))
                break
        else:
            out.append((first.start, last.end))
    return out


def _balanced(text: str) -> bool:
    return (text.count("(") == text.count(")") and text.count("“") == text.count("”")
            and text.count('"') % 2 == 0)
