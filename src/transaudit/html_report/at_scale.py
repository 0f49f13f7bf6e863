"""The report of a large run: one file that stays small and opens fast.

Up to ``FINDINGS_CAP`` findings are shown, in report order, each with its pair; pairs without
findings are only counted once the run has more than ``PAIRS_CAP`` pairs; the overview tables,
the histogram and the page's header count the whole run. A line under the header says how many
findings are not shown and where they are (the JSON or JSONL output). Smaller runs are shown
whole, exactly as before.

Measured with ``benchmarks/bench_scale.py --report``: see the README ("Large corpora").
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

FINDINGS_CAP = 1000
PAIRS_CAP = 5000
SEVERITIES = ("error", "warning", "info")


class Counts:
    """What the overview shows, counted over every finding and pair of the run."""

    def __init__(self) -> None:
        self.findings = 0
        self.by_category: Counter = Counter()  # (category, severity) -> findings
        self.by_file: Counter = Counter()  # (file, severity) -> findings
        self.pairs: Counter = Counter()  # file -> pairs
        self.scores: dict[str, list[float]] = {}

    def add_finding(self, file: str, category: str, severity: str) -> None:
        self.findings += 1
        self.by_category[(category, severity)] += 1
        self.by_file[(file, severity)] += 1

    def add_pair(self, file: str, score=None) -> None:
        self.pairs[file] += 1
        if isinstance(score, (int, float)):
            self.scores.setdefault(file, []).append(float(score))

    def as_dict(self, shown_findings: int, shown_pairs: int, where: str) -> dict:
        return {"findings": self.findings, "pairs": sum(self.pairs.values()), "shown_findings": shown_findings,
                "shown_pairs": shown_pairs, "where": where, "counts": self}


def _pair_lines(p: dict):
    for first, last in ((p.get("line"), p.get("end_line")), (p.get("source_line"), p.get("source_end_line"))):
        if first:
            yield from range(first, max(first, last or first) + 1)


def cap_for_report(data: dict, where: str = "the JSON output (--format json or jsonl)") -> dict:
    """``data`` itself when small enough; else the findings and pairs the page shows, with
    ``report_cap`` holding the counts of the whole run."""
    findings, pairs = data.get("findings") or [], data.get("pairs") or []
    if len(findings) <= FINDINGS_CAP and len(pairs) <= PAIRS_CAP:
        return data
    counts = Counts()
    for f in findings:
        counts.add_finding(f["file"], f["category"], f["severity"])
    for p in pairs:
        comet = p.get("comet")
        counts.add_pair(p["file"], comet.get("score") if isinstance(comet, dict) else None)
    kept = findings[:FINDINGS_CAP]
    if len(pairs) > PAIRS_CAP:
        wanted = {(f["file"], f["line"]) for f in kept}
        pairs = [p for p in pairs if any((p["file"], n) in wanted for n in _pair_lines(p))]
    return {**data, "findings": kept, "pairs": pairs,
            "report_cap": counts.as_dict(len(kept), len(pairs), where)}


def cap_note(cap: dict | None) -> str:
    if not cap:
        return ""
    more = cap["findings"] - cap["shown_findings"]
    clean = cap["pairs"] - cap["shown_pairs"]
    parts = []
    if more > 0:
        parts.append(f"Showing the first {cap['shown_findings']:,} of {cap['findings']:,} findings: "
                     f"{more:,} more in {cap['where']}.")
    if clean > 0:
        parts.append(f"{clean:,} pairs without findings are counted in the overview, not listed.")
    return " ".join(parts)


def count_tables(cap: dict):
    """The overview's tables (as overview.count_tables) from the whole run's counts."""
    import pandas as pd

    from transaudit.html_report.overview import _table_html
    from markupsafe import Markup

    counts: Counts = cap["counts"]
    by_sev = Counter()
    for (_, sev), n in counts.by_category.items():
        by_sev[sev] += n
    severity = pd.DataFrame({"severity": [*SEVERITIES, "total"],
                             "findings": [by_sev.get(s, 0) for s in SEVERITIES] + [sum(by_sev.values())]})
    cats = sorted({c for c, _ in counts.by_category})
    category = pd.DataFrame([{"category": c, **{s: counts.by_category.get((c, s), 0) for s in SEVERITIES}} for c in cats],
                            columns=["category", *SEVERITIES])
    category["total"] = category[list(SEVERITIES)].sum(axis=1)
    category = category.sort_values(["total"], ascending=False, kind="stable")
    files = sorted(set(counts.pairs) | {f for f, _ in counts.by_file})
    rows = []
    for file in files:
        row = {"digest": file, "pairs": counts.pairs.get(file, 0),
               "findings": sum(counts.by_file.get((file, s), 0) for s in SEVERITIES),
               **{s: counts.by_file.get((file, s), 0) for s in SEVERITIES}}
        scores = counts.scores.get(file)
        if counts.scores:
            row["mean score"] = sum(scores) / len(scores) if scores else None
            row["min score"] = min(scores) if scores else None
        rows.append(row)
    digest = pd.DataFrame(rows)
    return {"severity": _table_html(severity),
            "category": _table_html(category) if len(category) else Markup('<p class="none">No findings.</p>'),
            "digest": _table_html(digest)}


def all_scores(cap: dict) -> list[float]:
    return [s for scores in cap["counts"].scores.values() for s in scores]


class ReportCollector:
    """The streaming run's report: the first ``FINDINGS_CAP`` findings with their pairs, and the
    counts of everything."""

    def __init__(self) -> None:
        self.counts = Counts()
        self.findings: list[dict] = []
        self.pairs: dict[tuple[str, int], dict] = {}
        self.digests: set[str] = set()  # files small enough to read back for lines outside pairs

    def add(self, finding, pair: dict | None = None) -> None:
        data = finding.to_dict()
        self.counts.add_finding(data["file"], data["category"], data["severity"])
        if len(self.findings) < FINDINGS_CAP:
            self.findings.append(data)
            if pair is not None:
                self.pairs.setdefault((pair["file"], pair["line"] or pair["source_line"] or 0), pair)

    def add_pairs(self, file: str, n: int) -> None:
        self.counts.pairs[file] += n

    def data(self, summary: dict, tool: dict, errors: list[dict]) -> dict:
        pairs = list(self.pairs.values())
        return {"schema_version": 2, "tool": tool, "findings": self.findings, "pairs": pairs, "errors": errors,
                "summary": summary,
                "report_cap": self.counts.as_dict(len(self.findings), len(pairs), "the JSONL output")}

    def write(self, path: Path, data: dict, line_texts: dict, report_url, quiet: bool) -> None:
        from transaudit.html_report import write_report

        write_report(path, data, line_texts=line_texts, report_url=report_url)
        if not quiet:
            print(f"report: {path}", file=sys.stderr)
