"""TA301 number_mismatch: a number, quantity, percentage or model size changed or dropped."""

from __future__ import annotations

import re
from typing import Iterator

from transaudit.checks._content import number_diff, normalized_pair
from transaudit.checks.base import Check, CheckContext, register
from transaudit.checks.omission import omission_verdict
from transaudit.fixes.build import UNSAFE, normalized_text_fix
from transaudit.locate import denormalize, normalized_spans, text_spans
from transaudit.model import Document, Finding, Segment, Severity
from transaudit.numbers import describe, units_dropped
from transaudit.renderings import cached_renderings, number_differences
from transaudit.script import normalize


MAX_LISTED = 5


@register
class NumberMismatch(Check):
    """A number in the English original is changed, dropped or added in the Hindi.

    Why it matters: numbers are what readers quote; "4.5 hours" printed as "45 घंटे" is
    a factual error that no fluency check notices.

    What counts: values are compared, not spellings:
    Devanagari digits, Indian grouping (1,00,000), 7B/60K/$100K, "1.5 million" = "15 लाख",
    and number words ("three" = "तीन") are all equal to their digits. Numbers inside names
    (GPT-3, OPT-175B, T5) are names, checked by entity_mismatch. When the Hindi drops half
    the paragraph, the dropped numbers are reported once, as an omission.

    Where the English original was replaced by a second Hindi rendering (see
    duplicate_paragraph), the numbers of the two renderings are compared with each other.

    Bad:  हम SparseGPT को 45 घंटे से कम समय में चला सकते हैं।
          > We can execute SparseGPT in under 4.5 hours.
    Good: हम SparseGPT को 4.5 घंटे से कम समय में चला सकते हैं।
    """

    code = "TA301"
    category = "number_mismatch"
    default_severity = Severity.ERROR

    def check_pair(self, pair: Segment, ctx: CheckContext) -> Iterator[Finding]:
        if not pair.is_pair:
            return
        diff = number_diff(pair, ctx)
        src, tgt = normalized_pair(pair, ctx)
        # The value survived but "65%" became "65", "4x" became "4": a different claim.
        dropped = units_dropped(src, tgt)
        if not diff and not dropped:
            return
        missing, extra = list(diff.missing), list(diff.extra)
        if omission_verdict(pair, ctx) and not extra and not dropped:
            return  # the omission finding names what was dropped
        parts = [f"source has {describe(m, src)}, translation has {describe(e, tgt)}"
                 for m, e in [*zip(missing, extra), *dropped]]
        parts += [f"{describe(m, src)} from the source is missing" for m in missing[len(extra):]]
        parts += [f"translation adds {describe(e, tgt)}, not in the source" for e in extra[len(missing):]]
        suggestion = fix = None
        if len(missing) == 1 and len(extra) == 1 and not dropped:
            suggestion = f"write {missing[0].text} as in the source, not {extra[0].text}"
            fix = _restore_fix(ctx.document.lines, pair, missing[0], extra[0])
        elif not missing and not extra and len(dropped) == 1:
            suggestion = f"write {dropped[0][0].text} as in the source, not {dropped[0][1].text}"
        excerpt = extra[0].text if extra else missing[0].text if missing else dropped[0][1].text
        if len(parts) > MAX_LISTED:  # a message is read in one line of a terminal or a CI log
            parts = parts[:MAX_LISTED] + [f"and {len(parts) - MAX_LISTED} more difference(s)"]
        yield self.finding(
            ctx.document, pair.translation_line or pair.line, "; ".join(parts),
            end_line=pair.translation_end_line, excerpt=excerpt, suggestion=suggestion, pair=pair,
            # the changed or added numbers; a dropped one has no text in the Hindi to point at
            spans=normalized_spans(ctx.document.lines, pair, "translation", [(e.start, e.end) for e in extra]),
            fix=fix,
        )


    def check_document(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        # Two Hindi renderings of one lost original: each is the other's only witness.
        for r in cached_renderings(doc, ctx.cache):
            diff = number_differences(r)
            if not diff:
                continue
            first, second = normalize(r.first_text), normalize(r.text)
            parts = [f"{describe(m, first)} (line {r.first_line}) is {describe(e, second)} in the second"
                     for m, e in zip(diff.missing, diff.extra)]
            parts += [f"{describe(m, first)} (line {r.first_line}) is missing from the second"
                      for m in diff.missing[len(diff.extra):]]
            parts += [f"the second adds {describe(e, second)}" for e in diff.extra[len(diff.missing):]]
            if len(parts) > MAX_LISTED:
                parts = parts[:MAX_LISTED] + [f"and {len(parts) - MAX_LISTED} more difference(s)"]
            ranges = [denormalize(r.text, e.start, e.end) for e in diff.extra]
            yield self.finding(
                doc, r.line,
                f"numbers differ between the two Hindi renderings (lines {r.first_line} and {r.line}): " + "; ".join(parts),
                end_line=r.end_line, excerpt=(diff.extra or diff.missing)[0].text, pair=r.segment,
                spans=text_spans(doc.lines, r.line, r.text, [x for x in ranges if x]),
            )


_PLAIN_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*%?")


def _restore_fix(lines, pair: Segment, source_q, changed_q):
    """Write the source's number in place of the one changed number (unsafe: the English may be
    the side that is wrong). Only digits for digits: a number written in words, in Devanagari
    digits or in lakh/crore is not rewritten in another system."""
    if not (_PLAIN_NUMBER.fullmatch(source_q.text) and _PLAIN_NUMBER.fullmatch(changed_q.text)):
        return None
    return normalized_text_fix(lines, pair.translation_line, pair.translation,
                               [(changed_q.start, changed_q.end, source_q.text)],
                               f"write {source_q.text} as in the English original", UNSAFE)
