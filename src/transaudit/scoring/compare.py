"""fp32 against bf16 on a user's own pairs and model: how far the scores move, and the time.

The drift of bf16 could only be measured on random-weight models when it was made the default
(see the README); this lets a user measure it on the real model and their own digests. A sample
of pairs is scored in both precisions through the normal scoring stage (chunking, cache), and
the comparison uses the raw COMET scores (before any cap by the rule checks, which would hide
a difference behind a 0 in both).
"""

from __future__ import annotations

import dataclasses
import math
import random
from dataclasses import dataclass, field
from typing import Callable

from transaudit.model import Document
from transaudit.scoring.run import ScoringOptions, score_documents

PRECISIONS = ("fp32", "bf16")


@dataclass
class PrecisionComparison:
    model: str
    where: list[tuple[str, int]]  # (file, line) of each compared pair
    scores: dict[str, list[float]]  # precision -> scores, in the order of ``where``
    seconds: dict[str, float] = field(default_factory=dict)
    cached: dict[str, int] = field(default_factory=dict)
    total_pairs: int = 0  # pairs with text on both sides before sampling

    @property
    def diffs(self) -> list[float]:
        return [abs(a - b) for a, b in zip(self.scores["bf16"], self.scores["fp32"])]

    def stats(self) -> dict:
        diffs = self.diffs
        worst = max(range(len(diffs)), key=diffs.__getitem__) if diffs else None
        return {
            "model": self.model,
            "pairs": len(diffs),
            "of_pairs": self.total_pairs,
            "max_abs_diff": max(diffs) if diffs else None,
            "mean_abs_diff": sum(diffs) / len(diffs) if diffs else None,
            "spearman": spearman(self.scores["fp32"], self.scores["bf16"]),
            "worst": ({"file": self.where[worst][0], "line": self.where[worst][1],
                       "fp32": self.scores["fp32"][worst], "bf16": self.scores["bf16"][worst]}
                      if worst is not None else None),
            "seconds": {p: round(s, 3) for p, s in self.seconds.items()},
            "cached": dict(self.cached),
        }


def spearman(a: list[float], b: list[float]) -> float | None:
    """Spearman's rank correlation (scipy's, ties averaged); None for fewer than 3 pairs or a
    constant side."""
    if len(a) < 3:
        return None
    from scipy.stats import spearmanr  # a dependency of unbabel-comet

    value = float(spearmanr(a, b).statistic)
    return None if math.isnan(value) else value


def sample_documents(documents: list[Document], sample: int, seed: int) -> tuple[list[Document], int]:
    """The documents with only ``sample`` of their scorable pairs left (all when 0), and how
    many scorable pairs there were. The sample is drawn with ``seed``, in document order."""
    pairs = [(d, s.index) for d in documents for s in d.segments
             if s.is_pair and (s.source or "").strip() and (s.translation or "").strip()]
    keep = pairs if not sample or sample >= len(pairs) else random.Random(seed).sample(pairs, sample)
    chosen = {(d.path, i) for d, i in keep}
    out = []
    for doc in documents:
        segments = [s for s in doc.segments if not s.is_pair or (doc.path, s.index) in chosen]
        out.append(dataclasses.replace(doc, segments=segments))
    return out, len(pairs)


def compare_precisions(documents: list[Document], options: ScoringOptions, sample: int, seed: int,
                       notify: Callable[[str], None]) -> PrecisionComparison:
    """Score a sample in fp32 and in bf16; raises ``ModelUnavailable`` with a one-line reason."""
    sampled, total = sample_documents(documents, sample, seed)
    where: list[tuple[str, int]] = []
    lines = {(d.path, s.index): s.line for d in sampled for s in d.segments if s.is_pair}
    scores: dict[str, list[float]] = {}
    comparison = PrecisionComparison(model=options.model, where=where, scores=scores, total_pairs=total)
    _import_comet_untimed()
    for precision in PRECISIONS:
        run = score_documents(sampled, dataclasses.replace(options, precision=precision, verbose=False), notify)
        comparison.model = run.model
        keys = sorted(k for k, r in run.records.items() if r is not None)
        if not where:
            where.extend((k[0], lines[k]) for k in keys)
        scores[precision] = [run.records[k].get("raw_score", run.records[k]["score"]) for k in keys]
        comparison.seconds[precision] = run.seconds
        comparison.cached[precision] = run.cached
    return comparison


def _import_comet_untimed() -> None:
    """Import COMET before either precision is timed, so the first does not pay for both."""
    import importlib.util

    if importlib.util.find_spec("comet") is None:
        return  # score_documents says in one line that the extra is missing
    from transaudit.scoring.comet_scorer import _quiet_imports

    try:
        with _quiet_imports():
            import comet  # noqa: F401
    except Exception:  # reported, in one line, by the scorer's own import
        pass


def render_text(comparison: PrecisionComparison) -> str:
    st = comparison.stats()
    if not st["pairs"]:
        return "no pair with text on both sides to compare\n"
    rho = "n/a (fewer than 3 pairs or constant scores)" if st["spearman"] is None else f"{st['spearman']:.4f}"
    lines = [
        f"COMET model {st['model']}: {st['pairs']} of {st['of_pairs']} pairs scored in fp32 and in bf16",
        f"max |bf16 - fp32|:  {st['max_abs_diff']:.4f} (at {st['worst']['file']}:{st['worst']['line']}: "
        f"fp32 {st['worst']['fp32']:.4f}, bf16 {st['worst']['bf16']:.4f})",
        f"mean |bf16 - fp32|: {st['mean_abs_diff']:.4f}",
        f"Spearman (fp32, bf16): {rho}",
    ]
    timing = []
    for precision in PRECISIONS:
        cached = st["cached"].get(precision, 0)
        note = f", {cached} pairs from the cache" if cached else ""
        timing.append(f"{precision} {st['seconds'][precision]:.1f} s{note}")
    lines.append("time (model load and scoring): " + "; ".join(timing))
    return "\n".join(lines) + "\n"
