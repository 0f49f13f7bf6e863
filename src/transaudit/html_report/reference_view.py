"""What the report shows of references: a word diff per pair and the per-digest trend chart.

The diff is the machine translation against its reference (what the editor changed), word by
word (runs of non-blank characters, so ``है।`` is one word), with ``difflib.SequenceMatcher``
from the standard library. The chart is an inline SVG drawn here, server-side: chrF and COMET
per digest in file-name order (weekly issues), no network, no script. The template escapes all
text; nothing here builds HTML.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field

_WORDS = re.compile(r"\S+")


@dataclass(frozen=True)
class DiffPiece:
    kind: str  # "same", "del" (only in the translation) or "ins" (only in the reference)
    text: str


@dataclass
class ReferenceView:
    diff: list[DiffPiece]
    chrf: float | None
    bleu: float | None
    ter: float | None
    comet: float | None
    file: str
    line: int | None
    changed_words: int  # translation words replaced or deleted, plus reference words inserted
    words: int  # words of the translation

    @property
    def identical(self) -> bool:
        return self.changed_words == 0


def word_diff(translation: str, reference: str) -> list[DiffPiece]:
    """The translation turned into the reference: kept, deleted and inserted word runs."""
    from difflib import SequenceMatcher

    a, b = _WORDS.findall(translation), _WORDS.findall(reference)
    out: list[DiffPiece] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(DiffPiece("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(DiffPiece("del", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(DiffPiece("ins", " ".join(b[j1:j2])))
    return out


def _num(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


def reference_view(pair: dict) -> ReferenceView | None:
    """The view of ``pairs[].reference`` (None when the pair has none)."""
    ref = pair.get("reference")
    if not isinstance(ref, dict) or not isinstance(ref.get("text"), str):
        return None
    translation = pair.get("translation") or ""
    diff = word_diff(translation, ref["text"])
    changed = sum(len(p.text.split()) for p in diff if p.kind != "same")
    comet = ref.get("comet")
    return ReferenceView(diff=diff, chrf=_num(ref.get("chrf")), bleu=_num(ref.get("bleu")), ter=_num(ref.get("ter")),
                         comet=_num(comet.get("score")) if isinstance(comet, dict) else None,
                         file=str(ref.get("file") or ""), line=ref.get("line") if isinstance(ref.get("line"), int) else None,
                         changed_words=changed, words=len(_WORDS.findall(translation)))


# -- the trend chart ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # tooltip: digest, value


@dataclass
class Panel:
    title: str
    top: float
    height: float
    low: float
    high: float
    points: list[Point] = field(default_factory=list)
    # polyline points; a digest without a value breaks the line into separate segments
    segments: list[str] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # y, label


@dataclass
class TrendChart:
    width: int
    height: int
    left: float
    right: float
    panels: list[Panel]
    labels: list[tuple[float, str, str]]  # x, short label, full file name
    digests: int
    comet_kind: str  # "reference-based" or "reference-free (QE)"


def _short(file: str) -> str:
    name = os.path.basename(file)
    stem = name.rsplit(".", 1)[0]
    return stem if len(stem) <= 14 else stem[:13] + "…"


def _range(values: list[float], percent: bool) -> tuple[float, float]:
    """The y range of a panel: whole tens within 0-100 for chrF, the values padded for COMET."""
    low, high = min(values), max(values)
    if percent:
        low, high = max(0.0, math.floor(low / 10) * 10), min(100.0, math.ceil(high / 10) * 10)
        if high - low < 10:
            low, high = (high - 10, high) if high >= 10 else (0.0, 10.0)
        return low, high
    pad = (high - low) * 0.1 or 0.05
    return low - pad, high + pad


def trend_chart(rows: list[dict], width: int = 720) -> TrendChart | None:
    """Per-digest chrF and COMET lines (``trend.digest_rows``), or None with fewer than one
    digest scored against a reference."""
    rows = [r for r in rows if r.get("pairs")]
    if not any(_num(r.get("chrf")) is not None for r in rows):
        return None
    use_ref = any(_num(r.get("comet")) is not None for r in rows)
    comet_key = "comet" if use_ref else "comet_qe"
    series = [("chrF (corpus, 0-100)", "chrf", True)]
    if any(_num(r.get(comet_key)) is not None for r in rows):
        series.append((f"COMET ({'reference-based' if use_ref else 'reference-free'}, mean)", comet_key, False))
    left, right, panel_h, gap, top = 56.0, 16.0, 130.0, 34.0, 24.0
    n = len(rows)
    plot_w = width - left - right
    xs = [left + (plot_w * (i + 0.5) / n) for i in range(n)]
    panels = []
    y = top
    for title, key, percent in series:
        values = [_num(r.get(key)) for r in rows]
        present = [v for v in values if v is not None]
        low, high = _range(present, percent)
        panel = Panel(title=title, top=y, height=panel_h, low=low, high=high)

        def to_y(v: float) -> float:
            return round(y + panel_h - (v - low) / (high - low) * panel_h, 2)

        segment: list[str] = []
        for x, v, r in zip(xs, values, rows):
            if v is None:
                if segment:
                    panel.segments.append(" ".join(segment))
                segment = []
                continue
            py = to_y(v)
            segment.append(f"{round(x, 2)},{py}")
            value = f"{v:.2f}" if key == "chrf" else f"{v:.3f}"
            panel.points.append(Point(round(x, 2), py, f"{r['file']}: {title.split(' ')[0]} {value}"))
        if segment:
            panel.segments.append(" ".join(segment))
        for k in range(5):
            v = low + (high - low) * k / 4
            panel.ticks.append((to_y(v), f"{v:.0f}" if key == "chrf" and high - low > 8 else f"{v:.2f}"))
        panels.append(panel)
        y += panel_h + gap
    every = max(1, math.ceil(n / 12))
    labels = [(round(x, 2), _short(r["file"]) if i % every == 0 else "", r["file"])
              for i, (x, r) in enumerate(zip(xs, rows))]
    height = int(y - gap + 44)
    return TrendChart(width=width, height=height, left=left, right=width - right, panels=panels, labels=labels,
                      digests=n, comet_kind="reference-based" if use_ref else "reference-free (QE)")
