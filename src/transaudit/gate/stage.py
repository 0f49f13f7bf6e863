"""The gate stage between the audit and the output: severities, unused waivers, the baseline.

Order in ``check``: audit (in-document suppressions act inside it) -> :func:`before_waivers`
(config severities, TA901 for waivers that match nothing) -> waivers -> :func:`after_waivers`
(write or apply the baseline) -> output -> exit code. Functions return the notes the CLI prints;
they never print or decide the exit code.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from transaudit.gate.baseline import BaselineEntry, split_by_baseline, write_baseline
from transaudit.gate.suppressions import UNUSED_CODE
from transaudit.model import Finding, Severity, finding_order

MAX_STALE_LISTED = 20


def apply_severity(findings: Sequence[Finding], overrides: dict[str, str]) -> list[Finding]:
    """Config ``severity = {TA305 = "error", punctuation = "info"}``; a code beats a category."""
    if not overrides:
        return list(findings)
    by_code = {k.upper(): Severity.parse(v) for k, v in overrides.items()}
    by_category = {k: Severity.parse(v) for k, v in overrides.items()}
    out = []
    for f in findings:
        level = by_code.get(f.check) or by_category.get(f.category)
        out.append(replace(f, severity=level) if level and level != f.severity else f)
    return out


def audited_files(result) -> list[str]:
    # root-relative, as baseline and waiver entries name files
    return [result.path_of(d.path) for d in result.documents] + [result.path_of(e.file) for e in result.errors]


def unused_waiver_findings(findings: Sequence[Finding], waivers: Sequence, waivers_path: str,
                           audited: Sequence[str], partial: bool) -> list[Finding]:
    """TA901 info findings for ``not a mistake`` waivers that match no finding of an audited file.

    ``partial``: only some digests were audited (``--changed-since``), so a waiver that names no
    file cannot be judged.
    """
    from transaudit.checks.base import registered
    from transaudit.waivers import unused_waivers

    check = registered()[UNUSED_CODE]
    seen = {os.path.normpath(p) for p in audited}
    out = []
    for w in unused_waivers(findings, waivers):
        if w.file and os.path.normpath(w.file) not in seen:
            continue
        if not w.file and partial:
            continue
        what = f"{w.category} " if w.category else ""
        out.append(Finding(
            check=check.code, category=check.category, severity=check.default_severity,
            file=w.file or waivers_path, line=w.line or 1, end_line=w.line or 1,
            message=f"unused waiver: {waivers_path} waives {what}finding {w.id}, which no longer occurs",
            excerpt=w.id, suggestion=f"remove the entry from {waivers_path}",
        ))
    return out


def before_waivers(result, severity: dict[str, str], checks: Sequence, waivers: Sequence,
                   waivers_path: str | None, partial: bool) -> None:
    result.findings = apply_severity(result.findings, severity)
    if waivers and any(c.code == UNUSED_CODE for c in checks):
        result.findings.extend(unused_waiver_findings(
            result.findings, waivers, waivers_path or "waivers", audited_files(result), partial))
        result.findings.sort(key=finding_order)


def foreign_baseline_note(result, entries: Sequence[BaselineEntry], path) -> str | None:
    """Entries that matched nothing and name a file neither audited nor present under the root
    were most likely written from another root (or another spelling of the paths): say so, since
    their findings come back as new and fail the run."""
    present = {f.id for f in result.findings}
    unmatched = [e for e in entries if e.id not in present]
    audited = {os.path.normpath(p) for p in audited_files(result)}
    root = getattr(result, "root", None)
    foreign = [e for e in unmatched if os.path.normpath(e.file) not in audited
               and not (root is not None and e.file and (root.path / e.file).exists())]
    if not foreign:
        return None
    where = f" (paths are relative to {root.path} here)" if root is not None else ""
    return (f"baseline {path}: {len(unmatched)} of {len(entries)} baseline entries matched nothing: "
            f"were the paths written from another root?{where}")


def after_waivers(result, *, fail_on: str, baseline_entries: list[BaselineEntry] | None,
                  baseline_path: Path | None, write_path: Path | None,
                  changed_since: str | None) -> list[str]:
    """Write and/or apply the baseline; record what the gate did in the summary. Returns notes."""
    notes: list[str] = []
    gate: dict = {"fail_on": fail_on}
    if changed_since:
        gate["changed_since"] = changed_since
    if write_path:
        write_baseline(write_path, result.findings)
        notes.append(f"wrote {len(result.findings)} finding(s) to the baseline {write_path}")
    if baseline_entries is not None:
        foreign = foreign_baseline_note(result, baseline_entries, baseline_path)  # before the split
        split = split_by_baseline(result.findings, baseline_entries, audited_files(result))
        result.findings = split.new
        gate.update(baseline=str(baseline_path), baselined=len(split.known), stale=len(split.stale))
        if split.stale:
            notes.append(f"baseline {baseline_path}: {len(split.stale)} entr{'y' if len(split.stale) == 1 else 'ies'} "
                         f"no longer occur; prune them with --write-baseline:")
            notes.extend(f"  {entry}" for entry in split.stale[:MAX_STALE_LISTED])
            if len(split.stale) > MAX_STALE_LISTED:
                notes.append(f"  ... and {len(split.stale) - MAX_STALE_LISTED} more")
        if foreign:
            notes.append(foreign)
    result.summary_extras["gate"] = gate
    return notes
