"""Baseline: the findings a project has accepted, so CI fails only on new ones.

``check --write-baseline FILE`` records every current finding by its fingerprint
(:attr:`Finding.id`, computed from the file, the check, the content of the line and the excerpt,
not the line number), so a baselined finding stays baselined when lines above it move or another
part of the digest is edited. ``check --baseline FILE`` drops the findings the file lists and
names the entries that no longer occur, so the file can be pruned. The file is JSON, version 1::

    {"version": 1, "tool": "transaudit",
     "findings": [{"id": "3f9c0a1b2c3d4e5f", "file": "digests/901.txt", "line": 15,
                   "check": "TA204", "category": "untranslated_fragment", "message": "..."}]}

Only ``id`` decides; the other fields are there for people reading or pruning the file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Iterable, Sequence

from transaudit.fileio import ReadError, read_json_file, write_atomic
from transaudit.gate import GateError
from transaudit.model import Finding

BASELINE_VERSION = 1


@dataclass(frozen=True)
class BaselineEntry:
    id: str
    file: str
    line: int | None = None
    check: str = ""
    category: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.check} {self.category} ({self.id}) {self.message}".rstrip()


@dataclass(frozen=True)
class BaselineSplit:
    new: list[Finding]  # not in the baseline: reported, and they decide the exit code
    known: list[Finding]  # accepted by the baseline
    stale: list[BaselineEntry]  # baseline entries of audited files that no longer occur


def baseline_document(findings: Iterable[Finding]) -> dict:
    entries = sorted(findings, key=lambda f: (f.root_file or f.file, f.line, f.check, f.id))
    return {
        "version": BASELINE_VERSION,
        "tool": "transaudit",
        "findings": [
            {"id": f.id, "file": f.root_file or f.file, "line": f.line, "check": f.check,
             "category": f.category, "message": f.message}
            for f in entries
        ],
    }


def write_baseline(path: str | os.PathLike, findings: Iterable[Finding]) -> None:
    text = json.dumps(baseline_document(findings), ensure_ascii=False, indent=2) + "\n"
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise GateError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None


def load_baseline(path: str | os.PathLike) -> list[BaselineEntry]:
    """Read a baseline file; every problem is a one-line GateError naming the file."""
    try:
        data = read_json_file(path, "baseline file", " (create it with --write-baseline)")
    except ReadError as exc:
        raise GateError(str(exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise GateError(f"{path}: not a transaudit baseline (expected an object with 'findings')")
    if data.get("version") != BASELINE_VERSION:
        raise GateError(f"{path}: unsupported baseline version {data.get('version')!r} "
                        f"(expected {BASELINE_VERSION})")
    for n, item in enumerate(data["findings"], 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            raise GateError(f"{path}: baseline entry {n} has no 'id'")
    from transaudit.json_inputs import JSONShapeError, check_baseline

    try:
        check_baseline(data, str(path))
    except JSONShapeError as exc:
        raise GateError(str(exc)) from None
    entries = []
    for item in data["findings"]:
        line = item.get("line")
        entries.append(BaselineEntry(
            id=item["id"], file=str(item.get("file") or ""),
            line=line if isinstance(line, int) and not isinstance(line, bool) else None,
            check=str(item.get("check") or ""), category=str(item.get("category") or ""),
            message=str(item.get("message") or ""),
        ))
    return entries


def split_by_baseline(findings: Sequence[Finding], entries: Sequence[BaselineEntry],
                      audited_files: Iterable[str]) -> BaselineSplit:
    """Separate new findings from accepted ones; stale entries only for files audited now.

    With ``--changed-since`` most digests are not audited, and their entries are not stale.
    """
    accepted = {e.id for e in entries}
    new = [f for f in findings if f.id not in accepted]
    known = [f for f in findings if f.id in accepted]
    present = {f.id for f in findings}
    audited = {os.path.normpath(p) for p in audited_files}
    stale = [e for e in entries if e.id not in present and os.path.normpath(e.file) in audited]
    return BaselineSplit(new=new, known=known, stale=stale)
