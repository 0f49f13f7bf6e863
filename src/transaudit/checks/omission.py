"""TA303 omission: the Hindi drops a large part (about half or more) of the English original."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from transaudit.checks._content import entity_misses, memo, normalized_pair, number_diff
from transaudit.checks.base import Check, CheckContext, register
from transaudit.model import Finding, Segment, Severity
from transaudit.script import normalize

# Calibrated on clean pairs: normalised Hindi characters per English character were min 0.72,
# median 1.04, max 1.33 over the 46 clean pairs of tests/check_cases/TA30[123].yml (the 0.72 is a
# one-sentence pair that writes "twenty-five" as "25"), and min 1.00, median 1.09 over the 10
# pairs of a clean sample digest. The thresholds sit well under that; the test
# test_omission_thresholds_sit_below_clean_pairs keeps them there.
MIN_SOURCE_WORDS = 8
RATIO_ALONE = 0.5  # under this the Hindi is at most half as long: omission on length alone
RATIO_WITH_EVIDENCE = 0.65  # under this, also needs sentences or names/numbers dropped
SENTENCE_SHARE = 0.6  # Hindi sentences / English sentences at or under this counts as evidence

_DEVANAGARI = re.compile(r"[\u0900-\u0963\u0971-\u097F]")
_EN_WORDS = re.compile(r"[A-Za-z0-9]+(?:['’.-][A-Za-z0-9]+)*")
# A sentence end: . ! ? followed by space and a capital/digit/quote, or the end of the text.
_EN_END = re.compile(r"[.!?][\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9]|\s*$)")
_EN_ABBREV = re.compile(
    r"(?:\b(?:e\.g|i\.e|et al|etc|vs|cf|Fig|Figs|Eq|Eqs|Sec|Tab|Dr|Mr|Mrs|Ms|Prof|No|approx|resp|"
    r"[A-Z])|\b[A-Z]\.[A-Z])\.$"
)
_HI_END = re.compile(r"[।?!]+|(?<=[\u0900-\u097F])\.(?=\s|$)")


@dataclass(frozen=True)
class OmissionVerdict:
    ratio: float  # Hindi characters / English characters, normalised
    source_sentences: int
    translation_sentences: int
    dropped: int  # numbers and names of the source missing from the Hindi


def english_sentences(text: str) -> list[str]:
    """Sentences of an English text; abbreviations (e.g., et al.) and decimals do not end one."""
    out, start = [], 0
    for m in _EN_END.finditer(text):
        head = text[start: m.start() + 1]
        if _EN_ABBREV.search(head):
            continue
        out.append(head.strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def hindi_sentence_count(text: str) -> int:
    parts = [p for p in _HI_END.split(text) if p.strip(" \"'()[]—-")]
    return max(1, len(parts))


def length_ratio(source: str, translation: str) -> float:
    return len(normalize(translation)) / max(1, len(normalize(source)))


def omission_verdict(pair: Segment, ctx: CheckContext) -> OmissionVerdict | None:
    """The evidence that ``pair``'s translation drops half or more, or None. Memoised per pair."""
    return memo("omission", pair, ctx, lambda: _verdict(pair, ctx))


def _verdict(pair: Segment, ctx: CheckContext) -> OmissionVerdict | None:
    if not pair.is_pair:
        return None
    source, translation = normalized_pair(pair, ctx)
    if len(_EN_WORDS.findall(source)) < MIN_SOURCE_WORDS:
        return None
    # The ratio means something only for a Hindi translation of an English source; an English
    # or foreign translation, or Hindi in the quote, is reported by the language checks.
    if not _DEVANAGARI.search(translation) or len(_DEVANAGARI.findall(source)) > len(source) // 10:
        return None
    ratio = length_ratio(source, translation)
    if ratio >= RATIO_WITH_EVIDENCE:
        return None
    src_sent = len(english_sentences(source))
    tgt_sent = hindi_sentence_count(translation)
    dropped = len(number_diff(pair, ctx).missing) + len(entity_misses(pair, ctx))
    verdict = OmissionVerdict(ratio, src_sent, tgt_sent, dropped)
    if ratio < RATIO_ALONE:
        return verdict
    fewer_sentences = src_sent >= 2 and tgt_sent / src_sent <= SENTENCE_SHARE
    if fewer_sentences or dropped >= 2:
        return verdict
    return None


@register
class Omission(Check):
    """The Hindi paragraph leaves out a large part (about half or more) of the English original.

    Why it matters: a reader of the Hindi edition silently loses results, caveats or whole
    sentences.

    What counts: the Hindi is under half the length of the English, or
    under two thirds with supporting evidence (far fewer sentences, or two or more numbers
    and names of the source missing). Complete Hindi translations run about as long as the
    English (clean pairs measured 0.72 to 1.33, median 1.04). Pairs under eight English
    words are skipped, and so are translations without Devanagari (an English or
    foreign-language Hindi slot is reported by the language checks).

    Bad:  हम VALL-E प्रस्तुत करते हैं।
          > We introduce VALL-E, a neural codec language model. It is trained on 60K hours of
          > English speech and synthesizes speech from a 3-second prompt.
    Good: हम VALL-E प्रस्तुत करते हैं, एक neural codec language model। इसे 60K घंटे के English
          speech पर train किया गया है और यह 3-second के prompt से speech synthesize करता है।
    """

    code = "TA303"
    category = "omission"
    default_severity = Severity.WARNING

    def check_pair(self, pair: Segment, ctx: CheckContext) -> Iterator[Finding]:
        verdict = omission_verdict(pair, ctx)
        if verdict is None:
            return
        excerpt = _dropped_excerpt(pair, ctx, verdict)
        detail = [f"the Hindi is {verdict.ratio:.0%} as long as the English original"]
        if verdict.source_sentences >= 2:
            detail.append(f"{verdict.translation_sentences} of {verdict.source_sentences} sentences")
        if verdict.dropped:
            detail.append(f"{verdict.dropped} source number(s)/name(s) missing")
        yield self.finding(
            ctx.document, pair.translation_line or pair.line,
            "translation leaves out part of the source: " + ", ".join(detail),
            end_line=pair.translation_end_line, excerpt=excerpt,
            suggestion="translate the missing part of the English original", pair=pair,
            spans=(),  # what is wrong is text that is not there
        )


def _dropped_excerpt(pair: Segment, ctx: CheckContext, verdict: OmissionVerdict) -> str:
    """The source sentence most likely left out: the first one holding a dropped number or
    name, else the sentences after as many as the Hindi has (translations drop the tail)."""
    source = normalized_pair(pair, ctx)[0]
    sentences = english_sentences(source)
    dropped_at = sorted([q.start for q in number_diff(pair, ctx).missing]
                        + [source.find(e.text) for e, _ in entity_misses(pair, ctx)])
    text = ""
    if dropped_at:
        pos = 0
        for sentence in sentences:
            start = source.find(sentence, pos)
            if start <= dropped_at[0] < start + len(sentence):
                text = sentence
                break
            pos = start + len(sentence)
    if not text:
        kept = min(verdict.translation_sentences, len(sentences) - 1)
        text = " ".join(sentences[kept:])
    return text if len(text) <= 160 else text[:157] + "..."
