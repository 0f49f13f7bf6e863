"""Overview of a result: count tables (pandas, escaped HTML) and a histogram of pair scores."""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup

SEVERITIES = ("error", "warning", "info")


def _table_html(df) -> Markup:
    # escape=True: digest paths and categories come from user data
    html = df.to_html(escape=True, border=0, classes="counts", index=False, na_rep="–",
                      float_format=lambda v: f"{v:.3f}")
    return Markup(html)


def count_tables(data: dict) -> dict[str, Markup]:
    """Tables per severity, per category (by severity) and per digest (pairs, findings, scores)."""
    import pandas as pd

    findings = pd.DataFrame(data.get("findings") or [], columns=["file", "category", "severity"])
    pairs = pd.DataFrame(
        [{"file": p["file"], "score": (p.get("comet") or {}).get("score") if isinstance(p.get("comet"), dict) else None}
         for p in data.get("pairs") or []],
        columns=["file", "score"],
    )
    pairs["score"] = pd.to_numeric(pairs["score"], errors="coerce")

    by_severity = findings["severity"].value_counts().reindex(list(SEVERITIES), fill_value=0)
    by_severity["total"] = int(by_severity.sum())
    severity = by_severity.rename_axis("severity").rename("findings").reset_index()

    category = pd.crosstab(findings["category"], findings["severity"]).reindex(columns=list(SEVERITIES), fill_value=0)
    category["total"] = category.sum(axis=1)
    category = category.sort_values(["total"], ascending=False, kind="stable")
    category.index.name = "category"
    category.columns.name = None
    category = category.reset_index()

    per_file = pd.crosstab(findings["file"], findings["severity"]).reindex(columns=list(SEVERITIES), fill_value=0)
    per_file["findings"] = per_file.sum(axis=1)
    scores = pairs.groupby("file")["score"].agg(["size", "mean", "min"]).rename(
        columns={"size": "pairs", "mean": "mean score", "min": "min score"})
    digest = scores.join(per_file, how="outer")
    for col in ("pairs", "findings", *SEVERITIES):
        digest[col] = digest[col].fillna(0).astype(int)
    digest = digest[["pairs", "findings", *SEVERITIES, "mean score", "min score"]].sort_index()
    if digest["mean score"].isna().all():
        digest = digest.drop(columns=["mean score", "min score"])
    digest.index.name = "digest"
    digest = digest.reset_index()

    return {"severity": _table_html(severity),
            "category": _table_html(category) if len(category) else Markup('<p class="none">No findings.</p>'),
            "digest": _table_html(digest)}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label: str  # "0.40–0.45: 12 pairs"


@dataclass(frozen=True)
class Histogram:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # x position, label
    max_count: int
    scored: int
    mean: float
    low: float
    high: float
    base_y: float
    left: float
    right: float


def score_histogram(scores: list[float], bins: int = 20, width: int = 640, height: int = 200) -> Histogram | None:
    """Bins over [0, 1], widened to include any score outside it; None when nothing was scored."""
    scores = [s for s in scores if isinstance(s, (int, float)) and math.isfinite(s)]
    if not scores:
        return None
    low = min(0.0, math.floor(min(scores) * 10) / 10)
    high = max(1.0, math.ceil(max(scores) * 10) / 10)
    step = (high - low) / bins
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, int((s - low) / step))] += 1
    left, right, top, bottom = 40.0, 10.0, 10.0, 30.0
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(counts)
    bars = []
    for i, c in enumerate(counts):
        h = plot_h * c / peak if peak else 0
        a, b = low + i * step, low + (i + 1) * step
        bars.append(Bar(
            x=round(left + i * plot_w / bins + 1, 2), y=round(top + plot_h - h, 2),
            width=round(plot_w / bins - 2, 2), height=round(h, 2), count=c,
            label=f"{a:.2f}–{b:.2f}: {c} pair{'s' if c != 1 else ''}",
        ))
    n_ticks = int(round((high - low) / 0.1))
    every = max(1, n_ticks // 10)
    ticks = [(round(left + plot_w * (k * 0.1) / (high - low), 2), f"{low + k * 0.1:.1f}")
             for k in range(0, n_ticks + 1, every)]
    return Histogram(width=width, height=height, bars=bars, ticks=ticks, max_count=peak, scored=len(scores),
                     mean=sum(scores) / len(scores), low=low, high=high, base_y=top + plot_h, left=left,
                     right=width - right)
