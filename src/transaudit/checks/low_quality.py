"""TA401 low_quality: COMET rates the translation below ``--min-score``, or rules cap it."""

from __future__ import annotations

from typing import Iterator

from transaudit.checks.base import Check, CheckContext, register
from transaudit.model import Finding, Segment, Severity


def _record(ctx: CheckContext, pair: Segment) -> dict | None:
    scores = ctx.settings.get("comet_scores") or {}
    record = (scores.get(ctx.document.path) or {}).get(pair.index)
    if isinstance(record, (int, float)):  # a bare score, as YAML cases may give it
        return {"score": float(record)}
    return record


@register
class LowQuality(Check):
    """The COMET quality-estimation score of the pair is below the threshold.

    Why it matters: rules catch what is visibly wrong; a fluent paragraph can still say
    something other than its source, and a reviewer should read it twice.

    What counts: COMET (reference-free, source + translation) scores the
    pair; a pair under ``--min-score`` (default per model, see README "COMET scores") is worth
    a reviewer's second look. A pair whose translation is the source, or is in the wrong
    language, is reported here too whatever COMET says: its score is capped (COMET rates a
    copy of the source highly). Long pairs are scored in aligned sentence chunks; the message
    names the weakest chunk. Needs scores from the scoring stage: without COMET, no findings.

    Bad:  • मॉडल छोटे डेटासेट पर खराब प्रदर्शन करता है।   (source: "The model outperforms larger baselines.")
    Good: • छोटा model बड़े baselines से बेहतर प्रदर्शन करता है।
    """

    code = "TA401"
    category = "low_quality"
    default_severity = Severity.WARNING

    def check_pair(self, pair: Segment, ctx: CheckContext) -> Iterator[Finding]:
        if not pair.is_pair or pair.translation_line is None:
            return
        record = _record(ctx, pair)
        if not record or record.get("score") is None:
            return
        score = float(record["score"])
        capped_by = record.get("capped_by") or []
        threshold = ctx.settings.get("comet_min_score")
        if capped_by:
            raw = record.get("raw_score", score)
            message = (f"COMET score not counted as good: {', '.join(capped_by)} "
                       f"(raw score {raw:.3f}, capped at {score:.3f})")
        elif threshold is not None and score < float(threshold):
            message = f"COMET score {score:.3f} is below {float(threshold):.3f}"
        else:
            return
        excerpt = ""
        chunks = record.get("chunks") or []
        weakest = record.get("weakest_chunk")
        if len(chunks) > 1 and weakest is not None:
            chunk = chunks[weakest]
            excerpt = chunk["translation"]
            message += (f"; weakest chunk {weakest + 1}/{len(chunks)} scores {chunk['score']:.3f}: "
                        f"{excerpt[:60]!r}")
        yield self.finding(
            ctx.document,
            pair.translation_line,
            message,
            end_line=pair.translation_end_line,
            excerpt=excerpt,
            pair=pair,
        )
